"""The seed (六安市人民政府办公室 2021) imported from text, checked against hand-written expectations."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, SEED

from lubudget_xl.catalog import load_catalog
from lubudget_xl.records import read_records, write_records
from lubudget_xl.textimport import import_text
from lubudget_xl.textimport.cells import split_text
from lubudget_xl.textimport.decoding import read_text
from lubudget_xl.textimport.importer import TextImporter
from lubudget_xl.values import parse_value

EXPECTED = json.loads((FIXTURES / "seed_expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    return import_text(SEED)


def test_ten_projects_with_titles_department_and_year(seed):
    assert [p.name for p in seed.projects] == [p["name"] for p in EXPECTED["projects"]]
    for got in seed.projects:
        assert got.department == EXPECTED["department"] and got.year == EXPECTED["year"]
        assert got.source_file == str(SEED)
        # department and year come from the title line of the project's first page
        assert got.locations["department"].line == got.locations["name"].line - 6
        assert got.locations["year"].line == got.locations["department"].line


@pytest.mark.parametrize("index", range(10))
def test_header_fields_funds_and_goal(seed, index):
    got, want = seed.projects[index], EXPECTED["projects"][index]
    assert (got.unit, got.attribute) == (want["unit"], want["attribute"])
    assert got.funds.to_dict() == {**want["funds"], "extra": {}}
    assert got.locations["name"].line == want["name_line"]
    assert got.locations["unit"].line == want["name_line"] + 1
    assert got.locations["attribute"].line == want["name_line"] + 2
    assert [got.locations[f"funds.{k}"].line for k in ("total", "fiscal", "other")] == want["funds_lines"]
    assert got.locations["goal"].line == want["goal_line"]
    assert got.goal.startswith(want["goal_start"]) and got.goal.endswith(want["goal_end"])
    assert "<p>" not in got.goal and "</p>" not in got.goal
    for loc in got.locations.values():
        assert loc.file == str(SEED) and loc.sheet is None and loc.line >= 1


def test_every_indicator_row(seed):
    got = [
        [i.locations["row"].line, i.level1, i.level2, i.level3, i.value]
        for p in seed.projects
        for i in p.indicators
    ]
    want = [row for p in EXPECTED["projects"] for row in p["indicators"]]
    assert len(want) == 113
    assert got == want
    assert seed.rows_read == 113


@pytest.mark.parametrize("index", range(10))
def test_indicators_per_project(seed, index):
    got, want = seed.projects[index], EXPECTED["projects"][index]
    assert [[i.locations["row"].line, i.level1, i.level2, i.level3, i.value] for i in got.indicators] == want["indicators"]


def test_indicator_locations_and_parsed_values(seed):
    for project in seed.projects:
        for ind in project.indicators:
            row = ind.locations["row"].line
            assert ind.locations["level3"].line == row and ind.locations["value"].line == row
            # levels carry down: stated on this row or an earlier one of the same project
            assert ind.locations["level1"].line <= ind.locations["level2"].line <= row
            assert ind.parsed == parse_value(ind.value)
            assert ind.sign is None and ind.unit is None and ind.note is None


def test_levels_carried_and_stated(seed):
    by_line = {i.locations["row"].line: i for p in seed.projects for i in p.indicators}
    # line 99: 成本指标 at column 0, its level one carried from line 91
    assert by_line[99].locations["level1"].line == 91 and by_line[99].locations["level2"].line == 99
    # line 223: level three at column 0, both levels carried from line 214
    assert by_line[223].locations["level2"].line == 214
    # line 196: 可持续影响指标 without level one keeps 效益指标 from line 195
    assert by_line[196].locations["level1"].line == 195
    # line 157: the grid header of line 156 lacks 绩效指标; the label leads the first data row
    assert by_line[157].locations["level1"].line == 157


def test_continuation_pages_join_the_previous_project(seed):
    names = [p.name for p in seed.projects]
    assert names.count("应急、督查、外事工作经费") == 1 and names.count("政府文印专项经费") == 1
    emergency = seed.projects[3]
    assert [i.locations["row"].line for i in emergency.indicators][-5:] == [108, 109, 110, 111, 112]
    assert len(seed.projects[7].indicators) == 16


def test_every_line_accounted_for():
    text, encoding = read_text(SEED)
    rows, mode = split_text(text)
    assert (encoding, mode, len(rows)) == ("utf-8", "tab", 290)
    outcome = TextImporter(str(SEED), load_catalog("2021")).run(rows)
    assert sorted(outcome.lines) == list(range(1, 291))
    assert set(outcome.lines.values()) == {"used", "structural"}
    blank_or_title = [n for n, s in outcome.lines.items() if s == "structural"]
    assert all(not rows[n - 1].raw.strip() or "绩效目标表" in rows[n - 1].raw or "年度" in rows[n - 1].raw
               or "填报单位" in rows[n - 1].raw or "一级指标" in rows[n - 1].raw for n in blank_or_title)
    assert outcome.issues == []


def test_records_round_trip(seed, tmp_path):
    out = tmp_path / "records.json"
    write_records(seed.projects, out)
    back = read_records(out)
    assert [p.to_dict() for p in back] == [p.to_dict() for p in seed.projects]
