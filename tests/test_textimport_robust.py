"""Whatever text arrives, the importer accounts for every line and fails only with a UserError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lubudget_xl.catalog import load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.textimport import import_text
from lubudget_xl.textimport.cells import split_text
from lubudget_xl.textimport.importer import TextImporter

CATALOG = load_catalog("2021")
# Pieces of real tables, shuffled: labels, level names, values, separators, markup.
TOKENS = [
    "六安市人民政府办公室2021年项目支出预算绩效目标表", "(2021年度)", "填报单位(盖章)", "项目名称", "实施单位",
    "项目属性", "项目资金(万元)", "年度资金总额:", "其中:财政拨款", "其他资金", "上年结转", "年度目标", "绩效指标",
    "一级指标", "二级指标", "三级指标", "本年度指标值", "指标值符号", "计量单位", "产出指标", "数量指标", "成本指标",
    "效益指标", "满意度指标", "服务对象满意度指标", "可持续影响指标", "≥", "95%以上", "46.0", "壹佰", "12期,每期3000本",
    "<p>", "</p>", "- 1 -", "市长热线工作经费", "接线外包人数", "主管部门及代码", "项目期", "中期资金总额", "",
]
LINE = st.lists(st.sampled_from(TOKENS), max_size=7).map(lambda cells: "\t".join(cells))
TEXT = st.lists(LINE, min_size=1, max_size=40).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_every_line_accounted_for_whatever_the_order(text):
    rows, mode = split_text(text)
    outcome = TextImporter("x.txt", CATALOG, mode).run(rows)
    assert sorted(outcome.lines) == [r.number for r in rows]
    skipped = {i.location.line for i in outcome.issues if i.code == "IMPORT_SKIPPED_LINE"}
    assert skipped == {n for n, s in outcome.lines.items() if s == "skipped"}
    for project in outcome.projects:
        for ind in project.indicators:
            assert ind.locations["row"].line in outcome.lines


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_import_or_refuse_in_chinese(tmp_path, data):
    path = tmp_path / "任意.txt"
    path.write_bytes(data)
    try:
        result = import_text(path)
    except UserError as err:
        assert str(path) in str(err)
    else:
        assert result.projects
