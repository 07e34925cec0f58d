"""The corpus scorer (tests/real_corpus.compare) counts exactly what it claims: checked on readings built
from an expectation, then spoiled one field at a time. It does not run the readers."""

from __future__ import annotations

import copy

import pytest
from real_corpus import CELL_KINDS, compare, load_expected

from lubudget_xl.errors import UserError
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Funds, Indicator, Location, ProjectTarget
from lubudget_xl.read_result import ReadResult
from lubudget_xl.values import parse_value

TARGET = "hunan_hengyang_nanyue_2018_fupin_jidi"  # all header fields and 16 complete rows expected
NEGATIVE = "neg_fujian_ningde_2019_fangzhi_zhengti"


def _reading(expected: dict) -> ReadResult:
    """A ReadResult that reads the form exactly as expected."""
    projects = []
    for want in expected["projects"]:
        indicators = [
            Indicator(
                level1=a or "", level2=b or "", level3=c or "", value=v or "", parsed=parse_value(v or "")
            )
            for a, b, c, v in want["indicators"]
        ]
        projects.append(
            ProjectTarget(
                year=expected["year"],
                department=want["department"] or "",
                name=want["name"],
                unit=want["unit"] or "",
                funds=Funds(**want["funds"]),
                goal=want.get("goal") or want["goal_prefix"],
                indicators=indicators,
            )
        )
    return ReadResult(file="x.txt", projects=projects)


@pytest.fixture
def expected():
    return load_expected(TARGET)


def test_an_exact_reading_scores_every_expected_field(expected):
    score = compare(_reading(expected), expected)
    assert score.fields_expected > 0
    assert score.fields_right == score.fields_expected
    assert not score.misses
    assert score.rows_read == score.rows_expected == 16
    assert not score.silent_loss


def test_expected_field_count_follows_the_expectation(expected):
    score = compare(_reading(expected), expected)
    project = expected["projects"][0]
    headers = sum(project[k] is not None for k in ("name", "department", "unit"))
    headers += (expected["year"] is not None) + sum(v is not None for v in project["funds"].values()) + 1
    cells = sum(c is not None for row in project["indicators"] for c in row)
    assert score.fields_expected == headers + cells


@pytest.mark.parametrize("field", ["name", "unit", "goal"])
def test_a_wrong_header_field_costs_one_field(expected, field):
    reading = _reading(expected)
    setattr(reading.projects[0], field, "错")
    score = compare(reading, expected)
    assert score.fields_expected - score.fields_right == 1
    assert score.expected[field] - score.right[field] == 1


def test_a_wrong_amount_costs_one_field(expected):
    reading = _reading(expected)
    reading.projects[0].funds.total = 11.0
    score = compare(reading, expected)
    assert score.right["funds.total"] == 0 and score.right["funds.fiscal"] == 1


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_a_wrong_cell_costs_one_field(expected, kind):
    reading = _reading(expected)
    setattr(reading.projects[0].indicators[3], kind, "错")
    score = compare(reading, expected)
    assert score.fields_expected - score.fields_right == 1
    assert score.expected[kind] - score.right[kind] == 1


def test_a_dropped_row_shifts_the_rest_and_is_a_silent_loss(expected):
    reading = _reading(expected)
    del reading.projects[0].indicators[0]
    score = compare(reading, expected)
    assert score.rows_read == 15
    assert score.silent_loss
    assert score.right["level3"] <= 1  # matched by order: every later row is now compared with its successor


def test_an_error_finding_is_not_a_silent_loss(expected):
    reading = _reading(expected)
    reading.projects[0].indicators.clear()
    reading.issues.append(Issue("X", Severity.ERROR, "指标表没有读到指标", Location(file="x.txt")))
    assert not compare(reading, expected).silent_loss


def test_only_whitespace_and_fullwidth_brackets_and_colons_are_forgiven(expected):
    reading = _reading(expected)
    row = reading.projects[0].indicators[1]  # 贫困地区旅游景点开发数量( ≥**个 )
    row.level3 = "贫困地区旅游景点开发数量\uff08≥**个\uff09"
    reading.projects[0].name = expected["projects"][0]["name"].replace("(", " \uff08")
    assert compare(reading, expected).fields_right == compare(_reading(expected), expected).fields_right
    row.level3 = "贫困地区旅游景点开发数量"  # the printed note dropped: wrong
    assert compare(reading, expected).right["level3"] == 15


def test_a_value_split_into_sign_value_unit_counts_when_it_joins_back():
    expected = copy.deepcopy(load_expected(TARGET))
    reading = _reading(expected)
    row = reading.projects[0].indicators[0]  # >=20平方米
    row.sign, row.value, row.unit = ">=", "20", "平方米"
    assert compare(reading, expected).right["value"] == 16
    row.unit = None
    assert compare(reading, expected).right["value"] == 15


def test_projects_are_matched_by_name_before_order(expected):
    reading = _reading(expected)
    decoy = ProjectTarget(year=None, department="", name="别的项目")
    reading.projects.insert(0, decoy)
    assert compare(reading, expected).fields_right == compare(_reading(expected), expected).fields_right


def test_a_refused_target_scores_nothing_and_a_refused_negative_counts_as_refused(expected):
    score = compare(UserError("x.txt: 没有找到项目绩效目标表"), expected)
    assert score.fields_right == 0 and score.fields_expected > 0 and not score.silent_loss
    negative = load_expected(NEGATIVE)
    assert compare(UserError("x.txt: 部门整体支出绩效目标表"), negative).refused
    assert compare(ReadResult(file="x.txt"), negative).refused
    assert not compare(_reading(expected), negative).refused


def test_a_refusal_names_the_document_only_when_its_message_says_so():
    negative = load_expected(NEGATIVE)  # a 部门整体支出绩效目标表
    generic = compare(UserError("x.txt: 没有找到项目绩效目标表(没有“项目名称”行),无法导入"), negative)
    named = compare(UserError("x.txt: 这是部门整体支出绩效目标表,不是项目绩效目标表"), negative)
    assert generic.refused and named.refused
    assert generic.names_the_refusal("department_overall") is False
    assert named.names_the_refusal("department_overall") is True
    assert named.names_the_refusal("other") is None
