"""Rule machinery the data-file cases do not reach (issue 17, docs/mutation.md): registration, where a
finding points when a field has no location of its own, settings isolation, one context over several
projects, and the self-evaluation's shared scoring. Each test names the behaviour a surviving mutant
of `make mutate MODULES=rules` changed."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from selfeval_cases import apply_selfeval_overrides, build_selfeval
from test_rules_cases import base_project, build_project

from lubudget_xl.catalog import load_catalog
from lubudget_xl.issues import Severity
from lubudget_xl.model import Indicator, Location, ProjectTarget
from lubudget_xl.rules import REGISTRY, check_project, check_projects
from lubudget_xl.rules._docs import render_rules_markdown
from lubudget_xl.rules._registry import (
    DEFAULT_SETTINGS,
    RULE_SETTINGS,
    Rule,
    RuleContext,
    effective_settings,
    rule,
)
from lubudget_xl.rules.selfeval import fmt, is_cost, scored_lines
from lubudget_xl.values import parse_value

DOC = """
    检查内容:
    探针规则。
    为什么:
    测试注册。
    错误示例:
    甲。
    正确示例:
    乙。
    """


@pytest.fixture(scope="module")
def catalog():
    return load_catalog("2021")


def _probe(project, ctx):
    return iter(())


def test_a_rule_is_registered_with_its_code_severity_function_family_and_sections():
    _probe.__doc__ = "前言行(标题之前的文字不属于任何一节)。\n" + DOC
    _probe.__module__ = "lubudget_xl.rules.values"
    try:
        assert rule("MUT_PROBE", Severity.INFO)(_probe) is _probe
        assert REGISTRY["MUT_PROBE"] == Rule(
            "MUT_PROBE", Severity.INFO, _probe, "values",
            {"检查内容": "探针规则。", "为什么": "测试注册。", "错误示例": "甲。", "正确示例": "乙。"},
        )  # fmt: skip
        assert REGISTRY["MUT_PROBE"].form == "target"
    finally:
        REGISTRY.pop("MUT_PROBE", None)


def test_a_family_without_a_title_is_shown_by_its_module_name():
    _probe.__doc__ = DOC
    _probe.__module__ = "lubudget_xl.rules.probe"
    try:
        rule("MUT_PROBE", Severity.INFO)(_probe)
        page = render_rules_markdown()
        assert "| [`MUT_PROBE`](#mut_probe) | 提示 | probe | 探针规则。 |" in page
        assert "级别:提示(info) · 类别:probe" in page
    finally:
        REGISTRY.pop("MUT_PROBE", None)


def test_a_rule_without_a_docstring_or_a_section_is_refused_by_name():
    def bare(project, ctx):
        return iter(())

    with pytest.raises(ValueError, match=r"^rule MUT_BARE: missing docstring \(needs 检查内容, 为什么, 错误示例, 正确示例\)$"):
        rule("MUT_BARE", Severity.INFO)(bare)
    bare.__doc__ = DOC.replace("为什么:", "原因:").replace("正确示例:", "正确:")
    with pytest.raises(ValueError, match=r"^rule MUT_BARE: docstring lacks section\(s\) 为什么, 正确示例$"):
        rule("MUT_BARE", Severity.INFO)(bare)
    assert "MUT_BARE" not in REGISTRY


def _indicator(level3: str, value: str, locations: dict[str, Location]) -> Indicator:
    return Indicator(level1="产出指标", level2="数量指标", level3=level3, value=value, parsed=parse_value(value),
                     locations=locations)  # fmt: skip


def _project(indicators: list[Indicator], **fields) -> ProjectTarget:
    data = base_project()
    project = ProjectTarget(
        year=fields.get("year", 2021), department=data["department"], name=fields.get("name", data["name"]),
        unit=data["unit"], attribute=data["attribute"], goal=fields.get("goal", data["goal"]),
        indicators=indicators, source_file="p.xlsx",
    )  # fmt: skip
    project.locations = {"name": Location("p.xlsx", "项目", "B3")}
    return project


def test_check_project_is_check_projects_for_one_project(catalog):
    project = _project([_indicator("会议次数", "", {"value": Location("p.xlsx", "项目", "E9")})])
    assert check_project(project, catalog) == check_projects([project], catalog)
    only = check_project(project, catalog, ["VALUE_EMPTY"])
    assert [(i.code, str(i.location)) for i in only] == [("VALUE_EMPTY", str(Location("p.xlsx", "项目", "E9")))]


def test_a_finding_falls_back_to_the_row_then_to_the_project_name(catalog):
    row = Location("p.xlsx", "项目", "A9")
    project = _project([
        _indicator("会议次数", "", {"row": row}),
        _indicator("<br>培训次数", "≥2次", {}),
    ])  # fmt: skip
    issues = check_projects([project], catalog, ["VALUE_EMPTY", "TEXT_HTML"])
    assert [(i.code, i.location) for i in issues] == [
        ("VALUE_EMPTY", row), ("TEXT_HTML", project.location("name"))
    ]  # fmt: skip


def test_an_unnamed_row_is_called_empty_row(catalog):
    project = _project([Indicator(level1="", level2="", level3="", value="", parsed=parse_value(""))])
    (issue,) = check_projects([project], catalog, ["VALUE_EMPTY"])
    assert issue.message == "指标值为空:(空行) 没有填写本年度指标值,应填写目标值。"


def test_settings_are_copies_a_run_cannot_change_the_defaults(catalog):
    assert effective_settings(None) == DEFAULT_SETTINGS
    before_defaults, before_rules = copy.deepcopy(DEFAULT_SETTINGS), copy.deepcopy(RULE_SETTINGS)
    effective_settings(None)["grade_words"].append("探针")
    effective_settings(catalog)["disabled_rules"].append("VALUE_EMPTY")
    assert (before_defaults, before_rules) == (DEFAULT_SETTINGS, RULE_SETTINGS)
    assert effective_settings(catalog)["disabled_rules"] == []


def test_without_a_catalogue_the_levels_are_taken_as_written():
    project = _project([_indicator("会议保障", "按时完成会议保障", {})])
    assert [i.code for i in check_projects([project], None, ["VALUE_NOT_QUANTIFIED"])] == ["VALUE_NOT_QUANTIFIED"]


def test_the_budget_year_comes_from_the_catalogue_when_the_project_has_none(catalog):
    project = _project([_indicator("会议次数", "2020年底前召开24次", {})], year=None)
    assert [i.params["found"] for i in check_projects([project], catalog, ["YEAR_OUTSIDE_BUDGET"])] == [[2020]]
    assert check_projects([project], None, ["YEAR_OUTSIDE_BUDGET"]) == []  # no year known: nothing to compare


def test_one_context_checks_each_project_with_its_own_rows(catalog):
    clean = _project([_indicator("会议次数", "≥24次", {})], name="甲项目")
    empty = _project([_indicator("会议次数", "", {})], name="乙项目")
    assert [(i.code, i.project) for i in check_projects([clean, empty], catalog, ["VALUE_EMPTY"])] == [
        ("VALUE_EMPTY", "乙项目")
    ]  # fmt: skip


def test_an_issue_outside_a_rule_run_is_a_programming_error(catalog):
    ctx = RuleContext.create(catalog)
    ctx.rule = REGISTRY["VALUE_EMPTY"]
    with pytest.raises(AssertionError, match=r"^issue\(\) outside a rule run$"):
        ctx.issue("m", Location("p.xlsx"))


def test_a_placeholder_is_recognised_through_scattered_spaces(catalog):
    project = _project([_indicator("会议次数", "预算绩效 目标值", {})])
    assert [i.code for i in check_projects([project], catalog, ["VALUE_PLACEHOLDER"])] == ["VALUE_PLACEHOLDER"]


# --- the self-evaluation's shared scoring -------------------------------------------------------------


def _selfeval(overrides: dict | None = None):
    data = apply_selfeval_overrides(base_project(), overrides or {})
    return build_selfeval(data, build_project, "自评.xlsx")


def test_scores_are_shown_with_two_decimals_at_most():
    assert [fmt(12.5), fmt(10), fmt(6.255), fmt(0.0049), fmt(-0.0)] == ["12.5", "10", "6.25", "0", "0"]


def test_scored_lines_are_worked_out_once_per_project_catalogue_and_results(catalog):
    project, _ = _selfeval()
    ctx = RuleContext.create(catalog)
    lines = scored_lines(project, ctx)
    assert scored_lines(project, ctx) is lines
    assert scored_lines(project, RuleContext.create(load_catalog("2022-101"))) is not lines
    assert scored_lines(project, ctx) is not lines  # recomputed for the other catalogue, then again for this one
    again = scored_lines(project, ctx)
    project.results = list(project.results)
    assert scored_lines(project, ctx) is not again
    assert [line.label for line in lines][:2] == ["预算执行率", "产出指标/数量指标/政府常务会次数"]
    assert lines[0].weight_loc == project.location("selfeval.execution_weight")
    assert lines[1].weight_loc == project.results[0].locations["weight"]


def test_a_cost_row_is_told_by_its_level_two_or_by_level_one_cost(catalog):
    ctx = RuleContext.create(catalog)
    cost = _indicator("项目总成本", "≤30万元", {})
    cost.level2 = "成本指标"
    assert is_cost(cost, ctx) and not is_cost(_indicator("会议次数", "≥24次", {}), ctx)
    ctx101 = RuleContext.create(load_catalog("2022-101"))
    level_one = Indicator(level1="成本指标", level2="经济成本指标", level3="会议费", value="≤30万元",
                          parsed=parse_value("≤30万元"))  # fmt: skip
    assert is_cost(level_one, ctx101)


def test_a_missing_result_row_points_at_the_indicator_row(catalog):
    project, fields = _selfeval({"results": [["26次", 12.5, 12.5, ""]]})
    issues = check_projects([project], catalog, ["SELF_ACTUAL_MISSING"])
    assert [fields[i.location.line] for i in issues] == [f"indicators[{n}].row" for n in range(1, 7)]


def test_a_dropped_target_names_its_cell_in_the_target_file(catalog):
    project, _ = _selfeval({"drop_indicators": [6]})
    (issue,) = check_projects([project], catalog, ["SELF_INDICATOR_DROPPED"])
    assert "在目标表 目标表.xlsx 'targets'!D13 中" in issue.message


def test_a_project_period_widens_the_allowed_years_even_without_a_budget_year():
    period = _project([_indicator("会议次数", "2023年底前召开24次", {})], year=None)
    period.period = "2020-2022年"
    (issue,) = check_projects([period], None, ["YEAR_OUTSIDE_BUDGET"])
    assert issue.params == {"field": "value", "found": [2023], "expected": [2020, 2022]}
    later = _project([_indicator("会议次数", "2023年底前召开24次", {})], year=2023)
    later.period = "2020-2022年"  # a budget year after the period: the span reaches it
    assert check_projects([later], None, ["YEAR_OUTSIDE_BUDGET"]) == []


def test_a_project_without_a_goal_or_a_catalogue_is_checked_without_failing():
    project = _project([_indicator("会议次数", "≥24次", {})], goal=None)
    assert check_projects([project], load_catalog("2021"), ["YEAR_OUTSIDE_BUDGET", "GOAL_NUMBERS"]) == []
    clean, _ = build_project(base_project())
    assert check_projects([clean], None) == []


def test_a_level_one_cost_row_of_the_101_tree_is_a_cost_row_whatever_its_level_two():
    ctx101 = RuleContext.create(load_catalog("2022-101"))
    social = Indicator(level1="成本指标", level2="社会成本指标", level3="拆迁补偿", value="≤30万元",
                       parsed=parse_value("≤30万元"))  # fmt: skip
    assert is_cost(social, ctx101)


def test_a_self_evaluation_finding_falls_back_to_the_row_name_then_the_project(catalog):
    project, _ = _selfeval({"results": [["26次", 12.5, 12.5, ""]]})
    level3 = project.indicators[1].locations["level3"]
    project.indicators[1].locations = {"level3": level3}
    project.indicators[2].locations = {}
    issues = check_projects([project], catalog, ["SELF_ACTUAL_MISSING"])
    assert [i.location for i in issues][:2] == [level3, project.location("name")]


@pytest.mark.parametrize(("where", "shown"), [
    (Location("目标.txt", line=9), "在目标表 目标.txt 第9行 中"),
    (Location("目标表.xlsx", "targets"), "在目标表 目标表.xlsx 'targets' 中"),
    (Location("目标表.xlsx"), "在目标表 目标表.xlsx 中"),
])  # fmt: skip
def test_a_dropped_target_is_placed_as_its_file_kind_allows(catalog, where, shown):
    project, _ = _selfeval({"drop_indicators": [6]})
    project.targets[6] = dataclasses.replace(project.targets[6], location=where)
    (issue,) = check_projects([project], catalog, ["SELF_INDICATOR_DROPPED"])
    assert shown in issue.message


def test_targets_and_self_evaluation_rows_match_by_the_catalogue_names(catalog):
    project, _ = _selfeval({"set_indicators": {"4": ["效果指标", "社会效益", "政策措施落实率", "≥95%"]}})
    assert check_projects([project], catalog, ["SELF_INDICATOR_DROPPED", "SELF_INDICATOR_ADDED"]) == []
    dropped, _ = _selfeval({"drop_indicators": [6]})
    assert [i.code for i in check_projects([dropped], None, ["SELF_INDICATOR_DROPPED"])] == ["SELF_INDICATOR_DROPPED"]
