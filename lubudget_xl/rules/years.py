"""Year rules: dates inside the budget year (or project period); annual figures, not multi-year totals."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import ProjectTarget
from lubudget_xl.rules._registry import (
    Row,
    RuleContext,
    indicator_location,
    rule,
    text_place,
)

YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?=\s*(?:年|[-/.]\d{1,2}[-/.月]))")
ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
MULTIYEAR = re.compile(r"累计|总计|全周期|项目期内|项目周期内|[两二三四五六七八九十]年(?:内|间|共|合计|累计)|近[一二三四五两\d]年|\d{4}\s*[-—~至到]\s*\d{4}\s*年")


def years_in(text: str) -> list[int]:
    """Four-digit years written as years (2020年, 2021-12-31), in order of appearance."""
    if not text or ("19" not in text and "20" not in text):
        return []  # most values hold no year: skip the regex (it runs on every name and value)
    return [int(m.group(1)) for m in YEAR.finditer(text)]


def allowed_years(project: ProjectTarget, ctx: RuleContext) -> tuple[int, int] | None:
    """The budget year, or the span of the project period (项目期 2021-2023) where the form has one."""
    year = ctx.budget_year(project)
    period = [int(y) for y in ANY_YEAR.findall(project.period or "")]
    if period:
        return min(period + ([year] if year else [])), max(period + ([year] if year else []))
    return (year, year) if year else None


def _year_places(project: ProjectTarget, ctx: RuleContext) -> Iterator[tuple[str, Row | None, set[int]]]:
    """(field, row, years) for each text naming a year: the goal (row None), then each row's name and value."""
    if years := years_in(project.goal):
        yield "goal", None, set(years)
    for row in ctx.rows(project):
        if years := years_in(row.ind.level3):
            yield "level3", row, set(years)
        if (years := years_in(row.ind.value)) or row.ind.parsed.years:
            yield "value", row, set(years) | set(row.ind.parsed.years)


@rule("YEAR_OUTSIDE_BUDGET", Severity.ERROR)
def year_outside_budget(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    三级指标名称、指标值和年度目标中写到的年份,应在预算年度(或表中项目期)之内。
    为什么:
    年度绩效目标只对本预算年度负责;写着上一年的数字,多半是照抄旧表未改。
    错误示例:
    2021年表中:产出指标/数量指标/受理留言件次 预计2020年受理量为18万件次。
    正确示例:
    产出指标/数量指标/受理留言件次 ≥18万件次。
    """
    span = allowed_years(project, ctx)
    if span is None:
        return
    low, high = span
    expected = f"{low}年" if low == high else f"{low}—{high}年"
    for field, row, found in _year_places(project, ctx):
        outside = sorted(y for y in found if not low <= y <= high)
        if not outside:
            continue
        location, label = text_place(project, field, row)
        shown = "、".join(f"{y}年" for y in outside)
        yield ctx.issue(
            f"年份不在预算年度内:{label}写的是{shown},本表是{expected}的目标;请改为本年度的数据。",
            location,
            {"field": field, "found": outside, "expected": [low, high]},
        )


@rule("YEAR_MULTIYEAR_TOTAL", Severity.WARNING)
def year_multiyear_total(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    数量指标、成本指标应写本年度的数值,不应写累计、多年合计或项目周期总数(累计、三年内、2021-2023年 等)。
    为什么:
    评审常见问题:把多年合计当作年度目标,年度评价无法对照;年度值和周期总值应分开。
    错误示例:
    产出指标/数量指标/培训人次 三年累计培训900人次。
    正确示例:
    产出指标/数量指标/培训人次 ≥300人次。
    """
    quantified = ctx.setting_set("quantified_level2")
    for row in ctx.rows(project):
        if row.level2 not in quantified:
            continue
        ind = row.ind
        match = MULTIYEAR.search(ind.value or "")
        if not match:
            continue
        yield ctx.issue(
            f"疑似多年合计:{row.label} 的指标值“{ind.value.strip()}”含“{match.group(0)}”,"
            "年度目标应写本年度的数值。",
            indicator_location(project, ind),
            {"found": match.group(0), "expected": "本年度数值"},
        )
