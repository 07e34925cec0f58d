"""Rollover on records: what carries, how years shift, what is flagged, and that counts reconcile."""

from __future__ import annotations

import pytest

from lubudget_xl.catalog import load_catalog
from lubudget_xl.model import Funds, Indicator, Location, ProjectTarget
from lubudget_xl.rollover import rollover, shift_years
from lubudget_xl.values import parse_value


@pytest.mark.parametrize(
    ("text", "expected", "shifted", "suspect"),
    [
        ("2021年内实施完毕", "2022年内实施完毕", (2021,), ()),
        ("预计2021年完成", "预计2022年完成", (2021,), ()),
        ("预计2020年受理量为18万件次。", "预计2020年受理量为18万件次。", (), (2020,)),
        ("2021年政务公开培训300人次", "2022年政务公开培训300人次", (2021,), ()),
        ("２０２１年内完成", "2022年内完成", (2021,), ()),
        ("2021-12-31前完成", "2022-12-31前完成", (2021,), ()),
        ("接线外包人数≥24", "接线外包人数≥24", (), ()),
        ("发放12021份", "发放12021份", (), ()),
        ("2021份资料", "2021份资料", (), ()),
        ("", "", (), ()),
    ],
)
def test_shift_years(text, expected, shifted, suspect):
    scan = shift_years(text, 2021, 2022)
    assert (scan.text, scan.shifted, scan.suspect) == (expected, shifted, suspect)


def _project(name: str, attribute: str, values: list[tuple[str, str, str, str]]) -> ProjectTarget:
    src = "last.txt"
    indicators = [
        Indicator(l1, l2, l3, v, parse_value(v), locations={"value": Location(src, line=20 + i)})
        for i, (l1, l2, l3, v) in enumerate(values)
    ]
    return ProjectTarget(
        year=2021,
        department="六安市人民政府办公室",
        name=name,
        unit="六安市人民政府办公室本级",
        attribute=attribute,
        funds=Funds(total=30.0, fiscal=30.0),
        goal="2021年完成会议保障。",
        indicators=indicators,
        source_file=src,
        locations={"attribute": Location(src, line=3), "funds.total": Location(src, line=4)},
    )


def test_recurring_carried_one_off_listed_and_rows_reconcile():
    rows = [
        ("产出指标", "数量指标", "政府常务会次数", "24次"),
        ("产出指标", "时效指标", "项目实施期限", "2021年实施完毕"),
        ("产出指标", "数量指标", "受理留言件次", "预计2020年受理量为18万件次。"),
    ]
    projects = [_project("政府会议专项经费", "经常性项目", rows), _project("办公楼维修", "一次性项目", rows[:1])]
    result = rollover(projects, load_catalog("2021"), 2022)

    assert [p.name for p in result.projects] == ["政府会议专项经费"]
    carried = result.projects[0]
    assert carried.year == 2022
    assert carried.goal == "2022年完成会议保障。"
    assert [i.value for i in carried.indicators] == ["24次", "2022年实施完毕", "预计2020年受理量为18万件次。"]
    assert carried.indicators[1].parsed.years == (2022,)
    assert carried.funds.total == 30.0

    rows_in = sum(o.rows_in for o in result.outcomes)
    rows_out = sum(len(p.indicators) for p in result.projects)
    rows_listed = sum(o.rows_in for o in result.outcomes if not o.carried)
    assert rows_in == rows_out + rows_listed == 4

    keys = {(i.code, i.project, i.location.line) for i in result.issues}
    assert ("ROLLOVER_YEAR_SHIFTED", "政府会议专项经费", 21) in keys
    assert ("ROLLOVER_YEAR_SUSPECT", "政府会议专项经费", 22) in keys
    assert ("ROLLOVER_FUNDS_CARRIED", "政府会议专项经费", 4) in keys
    assert ("ROLLOVER_NOT_CARRIED", "办公楼维修", 3) in keys
    assert not any(i.code == "ROLLOVER_YEAR_SHIFTED" and i.location.line == 20 for i in result.issues)


def test_unknown_attribute_is_carried_and_flagged():
    result = rollover([_project("某项目", "", [])], load_catalog("2021"), 2022)
    assert len(result.projects) == 1
    assert [i.code for i in result.issues if i.code == "ROLLOVER_ATTRIBUTE_UNKNOWN"] == ["ROLLOVER_ATTRIBUTE_UNKNOWN"]
