"""Tree rules: the 一级/二级/三级指标 structure against the year's catalogue."""

from __future__ import annotations

from collections.abc import Iterator

from lubudget_xl.catalog import clean_name
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, ProjectTarget
from lubudget_xl.rules._registry import (
    RuleContext,
    indicator_label,
    indicator_location,
    place,
    rule,
)


def _parents(ctx: RuleContext) -> dict[str, str]:
    """Level two → the first level one that lists it (built once per run)."""
    assert ctx.catalog is not None
    parents: dict[str, str] = {}
    for l1 in ctx.catalog.level1_names():
        for l2 in ctx.catalog.level2_names(l1):
            parents.setdefault(l2, l1)
    return parents


def _parent_of(ctx: RuleContext, level2: str) -> str | None:
    return ctx.once(_parents).get(level2)


def _pairs(ctx: RuleContext) -> frozenset[tuple[str, str]]:
    """Every (level one, level two) the catalogue allows, as `Catalog.is_pair` answers it."""
    assert ctx.catalog is not None
    return frozenset((l1, l2) for l1 in ctx.catalog.level1_names() for l2 in ctx.catalog.level2_names(l1))


def _category_names(ctx: RuleContext) -> frozenset[str]:
    """Every level-two name of the catalogue, cleaned: a level three that only repeats one is generic."""
    assert ctx.catalog is not None
    return frozenset(clean_name(c) for l1 in ctx.catalog.level1_names() for c in ctx.catalog.level2_names(l1))


@rule("TREE_LEVEL1_MISSING", Severity.ERROR)
def level1_missing(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    指标目录中的每个一级指标(88号表式:产出指标、效益指标、满意度指标)都应至少有一行三级指标。
    为什么:
    财预〔2015〕88号规定绩效指标由产出、效益、满意度等构成;缺少整类指标的目标不完整。
    错误示例:
    只填了产出指标和效益指标,没有满意度指标。
    正确示例:
    满意度指标/服务对象满意度指标/服务对象满意度 ≥90%。
    """
    if ctx.catalog is None or not project.indicators:
        return
    present = {row.level1 for row in ctx.rows(project)}
    for name in ctx.catalog.level1_names():
        if name not in present:
            yield ctx.issue(
                f"缺少一级指标“{name}”:本项目没有该类指标,应至少填写一行。",
                project.location("name"),
                {"found": None, "expected": name},
            )


@rule("TREE_LEVEL2_MISSING", Severity.ERROR)
def level2_missing(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    目录设置 required_level2 所列的二级指标(默认 数量、质量、时效、成本、服务对象满意度)都应有三级指标;
    确不适用时,应填一行并写明"本项目不适用此指标"或"不适用"。
    为什么:
    88号指标体系要求产出指标覆盖数量、质量、时效、成本;2025年安徽表式对不适用的二级指标要求明确填写"不适用"。
    错误示例:
    产出指标下只有数量指标和成本指标,质量指标、时效指标没有任何行。
    正确示例:
    产出指标/时效指标/项目实施期限 2021年内实施完毕。
    """
    if ctx.catalog is None or not project.indicators:
        return
    present = {row.level2 for row in ctx.rows(project)}
    for level2 in ctx.setting("required_level2") or []:
        parent = _parent_of(ctx, level2)
        if parent is None or level2 in present:
            continue
        yield ctx.issue(
            f"缺少二级指标“{parent}/{level2}”:没有该类三级指标,应填写;确不适用的,应填一行并注明“不适用”。",
            project.location("name"),
            {"found": None, "expected": f"{parent}/{level2}"},
        )


@rule("TREE_LEVEL1_UNKNOWN", Severity.ERROR)
def level1_unknown(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    每行的一级指标名称应是指标目录中的一级指标(别名按目录归一,如"产出"→产出指标)。
    为什么:
    一级指标决定汇总口径;不认识的名称无法汇总,也常是错行或截断("绩")造成的。
    错误示例:
    一级指标写"工作指标"。
    正确示例:
    一级指标写"产出指标"。
    """
    if ctx.catalog is None:
        return
    for row in ctx.rows(project):
        if row.level1 is None:
            found = row.ind.level1 or ""
            yield ctx.issue(
                f"一级指标“{found or '(空)'}”不是本年度目录中的一级指标,应为:{'、'.join(ctx.catalog.level1_names())}。",
                indicator_location(project, row.ind, "level1"),
                {"found": found, "expected": ctx.catalog.level1_names(), "row": row.label},
            )


@rule("TREE_LEVEL2_UNKNOWN", Severity.ERROR)
def level2_unknown(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    每行的二级指标名称应是指标目录中的二级指标(别名按目录归一,如"数量"→数量指标)。
    为什么:
    二级指标决定必填项检查和汇总口径;目录外的名称无法归类。
    错误示例:
    产出指标下的二级指标写"工作量指标"。
    正确示例:
    产出指标下的二级指标写"数量指标"。
    """
    if ctx.catalog is None:
        return
    for row in ctx.rows(project):
        l1, ind = row.level1, row.ind
        if row.level2 is None:
            expected = ctx.catalog.level2_names(l1) if l1 else []
            hint = f",{l1}下应为:{'、'.join(expected)}" if expected else ""
            yield ctx.issue(
                f"二级指标“{ind.level2 or '(空)'}”不是本年度目录中的二级指标{hint}。",
                indicator_location(project, ind, "level2"),
                {"found": ind.level2, "expected": expected, "row": row.label},
            )


@rule("TREE_PAIR", Severity.ERROR)
def level_pair(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    二级指标应挂在目录规定的一级指标之下(如 成本指标 在88号表式中属于产出指标)。
    为什么:
    错挂的指标会被汇总到错误的类别;年度目录(88号或101号)决定了哪些组合合法。
    错误示例:
    效益指标/数量指标/接待人数 ≥100人次。
    正确示例:
    产出指标/数量指标/接待人数 ≥100人次。
    """
    if ctx.catalog is None:
        return
    pairs = ctx.once(_pairs)
    for row in ctx.rows(project):
        ind, l1, l2 = row.ind, row.level1, row.level2
        if l1 is None or l2 is None or (l1, l2) in pairs:
            continue
        parent = _parent_of(ctx, l2)
        pair = ctx.catalog.normalize_level2(ind.level2, l1)
        if pair and pair[0] == l1:
            continue
        yield ctx.issue(
            f"二级指标“{l2}”不属于一级指标“{l1}”;按本年度目录,它属于“{parent}”。",
            indicator_location(project, ind, "level2"),
            {"found": f"{l1}/{l2}", "expected": f"{parent}/{l2}"},
            fix=parent,
        )


@rule("TREE_LEVEL3_EMPTY", Severity.ERROR)
def level3_empty(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    三级指标名称不得为空。
    为什么:
    指标值必须说明衡量的是什么;预算管理一体化系统保存时拒绝空的三级指标名称。
    错误示例:
    产出指标/数量指标/(空) 450本。
    正确示例:
    产出指标/数量指标/发放应急宣传教育书册 450本。
    """
    for ind in project.indicators:
        if not clean_name(ind.level3):
            yield ctx.issue(
                f"三级指标名称为空({indicator_label(ind)},指标值“{ind.value.strip()}”),应写明衡量的内容。",
                indicator_location(project, ind, "level3"),
                {"found": ind.level3, "expected": "非空"},
            )


@rule("TREE_LEVEL3_DUPLICATE", Severity.ERROR)
def level3_duplicate(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    同一项目内三级指标名称不得重复(忽略空格)。
    为什么:
    重复的指标名称无法区分、无法逐项评价;预算管理一体化系统保存时检查重名。
    错误示例:
    数量指标和质量指标下都有"市政府领导招商"。
    正确示例:
    质量指标下改为"市政府领导招商任务完成率"。
    """
    seen: dict[str, Indicator] = {}
    for ind in project.indicators:
        key = clean_name(ind.level3)
        if not key:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = ind
            continue
        where = place(first.locations.get("level3") or first.locations.get("row"))
        yield ctx.issue(
            f"三级指标名称“{ind.level3.strip()}”重复(首次出现于 {indicator_label(first)}"
            f"{',' + where if where else ''});同一项目内名称应唯一。",
            indicator_location(project, ind, "level3"),
            {"found": ind.level3.strip(), "expected": "唯一", "first": indicator_label(first)},
        )


@rule("TREE_LEVEL3_GENERIC", Severity.WARNING)
def level3_generic(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    三级指标名称不应只是照抄一级或二级指标名称(如三级指标写"服务对象满意度指标")。
    为什么:
    三级指标应指向明确(88号):写明具体衡量对象,如"受理事项群众满意率"。
    错误示例:
    满意度指标/服务对象满意度指标/服务对象满意度指标 92%。
    正确示例:
    满意度指标/服务对象满意度指标/受理事项群众满意率 ≥92%。
    """
    if ctx.catalog is None:
        return
    categories = ctx.once(_category_names)
    for ind in project.indicators:
        name = clean_name(ind.level3)
        if not name:
            continue
        if ctx.catalog.normalize_level1(name) is None and name not in categories:
            continue
        yield ctx.issue(
            f"三级指标名称“{ind.level3.strip()}”只是照抄了指标类别名称,应写明具体衡量的内容。",
            indicator_location(project, ind, "level3"),
            {"found": ind.level3.strip(), "expected": "具体的指标名称"},
        )
