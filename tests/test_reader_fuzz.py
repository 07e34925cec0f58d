"""Any grid at all gives records and Issues or a UserError, never another exception."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lubudget_xl.catalog import load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.reader import UncalculatedFormula, read_sheets
from lubudget_xl.records import dumps

CATALOG = load_catalog("2021")
WORDS = [
    "项目名称", "实施单位", "项目属性", "项目资金(万元)", "年度资金总额:", "其中:财政拨款", "其他资金", "上年结转",
    "年度目标", "绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值", "指标值符号", "计量单位", "校验区",
    "填报单位(盖章)", "产出指标", "数量指标", "满意度指标", "(2021年度)", "某单位2021年项目支出预算绩效目标表",
    "项目名称:甲", "≥95%", "１５６", "abc", "", " ", "模板信息",
]
CELLS = st.one_of(
    st.sampled_from(WORDS),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10**12, 10**12),
    st.booleans(),
    st.just(dt.datetime(2021, 1, 1)),
    st.builds(UncalculatedFormula, st.sampled_from(["A1+1", ""])),
    st.text(max_size=8),
)
GRID = st.lists(st.lists(CELLS, max_size=9), max_size=25)


def _refuse(constant: str):
    raise AssertionError(f"records hold {constant}, which is not JSON")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets=st.dictionaries(st.sampled_from(["甲", "乙", "模板信息"]), GRID, max_size=3),
       merged=st.lists(st.tuples(st.integers(0, 25), st.integers(0, 9), st.integers(0, 3), st.integers(0, 3)),
                       max_size=4))
def test_any_grid(sheets, merged):
    ranges = {name: [((r, c), (r + h, c + w)) for r, c, h, w in merged] for name in sheets}
    try:
        result = read_sheets("fuzz.xlsx", sheets, CATALOG, {}, merged=ranges)
    except UserError as err:
        assert "fuzz.xlsx" in str(err)
        return
    json.loads(dumps(result.projects), parse_constant=_refuse)  # schema-valid records, strict JSON
    for project in result.projects:
        for ind in project.indicators:
            assert all(loc.cell for loc in ind.locations.values())


def test_fund_amounts_that_are_no_numbers():
    grid = [
        ["项目名称", "甲"],
        ["项目资金(万元)", "年度资金总额", float("nan")],
        [None, "其中:财政拨款", "1e999"],
        [None, "其他资金", "壹佰"],
    ]
    result = read_sheets("funds.xlsx", {"甲": grid}, CATALOG, {})
    (p,) = result.projects
    assert (p.funds.total, p.funds.fiscal, p.funds.other) == (None, None, None)
    found = sorted(i.location.cell for i in result.issues if i.code == "READ_FUNDS_NOT_NUMBER")
    assert found == ["C2", "C3", "C4"]
    json.loads(dumps(result.projects), parse_constant=_refuse)
