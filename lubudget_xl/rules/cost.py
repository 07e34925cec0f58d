"""Cost rules: 成本指标 in money, matching the funds (88号 相应匹配), with an upper-bound sign."""

from __future__ import annotations

from collections.abc import Iterator

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, ProjectTarget
from lubudget_xl.rules._registry import (
    Row,
    RuleContext,
    indicator_location,
    rule,
)
from lubudget_xl.rules.funds import fmt_wan
from lubudget_xl.values import money_in_wanyuan
from lubudget_xl.values.types import SIGNS, ValuePart


def to_wanyuan(number: float, unit: str, ctx: RuleContext) -> float | None:
    """An amount in 万元, or None when `unit` is not money (catalogue setting money_units first)."""
    unit = (unit or "").strip()
    table = ctx.setting("money_units") or {}
    if unit in table:
        return number * float(table[unit])
    return money_in_wanyuan(number, unit)  # 千元, bare 万 (通信服务费20万) …


def _cost_rows(project: ProjectTarget, ctx: RuleContext) -> list[tuple[Row, float | None]]:
    """The 成本指标 rows with their amounts in 万元 (`money_of`), shared by the cost rules per project."""
    cost_l2 = ctx.setting_set("cost_level2")
    return [(row, money_of(row.ind, ctx)) for row in ctx.rows(project) if row.level2 in cost_l2]


def _parts(ind: Indicator) -> list[ValuePart]:
    if ind.parsed.parts:
        return list(ind.parsed.parts)
    if ind.parsed.number is not None:
        return [ValuePart(number=ind.parsed.number, sign=ind.parsed.sign, unit=ind.parsed.unit)]
    return []


def money_of(ind: Indicator, ctx: RuleContext) -> float | None:
    """The row's amount in 万元: the sum of its money parts (136万元,20万,4万元 → 160), None if none."""
    column_unit = (ind.unit or "").strip()
    amounts = [to_wanyuan(p.number, p.unit or column_unit, ctx) for p in _parts(ind)]
    amounts = [a for a in amounts if a is not None]
    return sum(amounts) if amounts else None


def _compare(project: ProjectTarget, ctx: RuleContext) -> tuple[float, float, list[Indicator]] | None:
    """(cost sum, funds total, rows) when both are known, else None."""
    total = project.funds.total
    priced = [(row.ind, money) for row, money in ctx.per_project(_cost_rows, project) if money is not None]
    if total is None or not priced:
        return None
    return sum(money for _, money in priced), total, [ind for ind, _ in priced]


def _where(rows: list[Indicator]) -> str:
    return "、".join(f"“{ind.value.strip()}”" for ind in rows)


@rule("COST_EXCEEDS_FUNDS", Severity.ERROR)
def cost_exceeds_funds(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    成本指标折合万元(元、万元统一换算)后的合计,不得超过年度资金总额。
    为什么:
    财预〔2015〕88号要求绩效目标与预算相应匹配;财预〔2021〕101号:成本指标取值不得超过支出标准。
    错误示例:
    年度资金总额 72.3 万元,成本指标/项目总成本 72.32万元。
    正确示例:
    年度资金总额 72.3 万元,成本指标/项目总成本 ≤72.3万元。
    """
    compared = _compare(project, ctx)
    if compared is None:
        return
    cost, total, rows = compared
    if cost - total <= float(ctx.setting("fund_tolerance")):
        return
    yield ctx.issue(
        f"成本超出资金:成本指标合计 {fmt_wan(cost)} 万元({_where(rows)}),"
        f"超过年度资金总额 {fmt_wan(total)} 万元;成本不得超过预算。",
        indicator_location(project, rows[0]),
        {"found": round(cost, 6), "expected": total},
        fix=f"≤{fmt_wan(total)}万元" if len(rows) == 1 else None,
    )


@rule("COST_SUM", Severity.ERROR)
def cost_sum(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    成本指标折合万元后的合计应等于年度资金总额(误差取目录设置 fund_tolerance);少于总额的部分没有对应的目标。
    为什么:
    财预〔2015〕88号 相应匹配:绩效目标要与预算资金相对应,每一笔钱都应有产出。
    错误示例:
    年度资金总额 156 万元,成本指标 接线外包费100万元。
    正确示例:
    年度资金总额 156 万元,成本指标 接线外包费136万元、通信服务费20万元。
    """
    compared = _compare(project, ctx)
    if compared is None:
        return
    cost, total, rows = compared
    if total - cost <= float(ctx.setting("fund_tolerance")):
        return
    yield ctx.issue(
        f"成本与资金不符:成本指标合计 {fmt_wan(cost)} 万元({_where(rows)}),"
        f"少于年度资金总额 {fmt_wan(total)} 万元;两者应相等。",
        indicator_location(project, rows[0]),
        {"found": round(cost, 6), "expected": total},
    )


@rule("COST_NOT_MONEY", Severity.ERROR)
def cost_not_money(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    成本指标的指标值应是金额(元或万元),以便与项目资金核对。
    为什么:
    成本指标衡量花了多少钱(101号:经济成本);写成比率或文字就无法与预算对照。
    错误示例:
    产出指标/成本指标/项目总成本 控制在预算内。
    正确示例:
    产出指标/成本指标/项目总成本 ≤30万元。
    """
    for row, money in ctx.per_project(_cost_rows, project):
        if not row.filled or money is not None:
            continue
        ind = row.ind
        yield ctx.issue(
            f"成本指标不是金额:{row.label} 的指标值“{ind.value.strip()}”没有以元或万元计的金额,"
            "应写成如 ≤30万元。",
            indicator_location(project, ind),
            {"found": ind.value.strip(), "expected": "金额(元/万元)"},
        )


@rule("COST_SIGN", Severity.WARNING)
def cost_sign(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    成本指标是上限,符号应为目录设置 cost_signs 所列(默认 ≤、＜、＝),不应是 ≥ 或 ＞。
    为什么:
    成本越低越好(反向指标);写"≥"等于鼓励多花钱,与成本控制的本意相反。
    错误示例:
    产出指标/成本指标/项目总成本 ≥30万元。
    正确示例:
    产出指标/成本指标/项目总成本 ≤30万元。
    """
    allowed = ctx.setting_set("cost_signs")
    for row, _ in ctx.per_project(_cost_rows, project):
        ind = row.ind
        signs = [ind.sign or ind.parsed.sign] + [p.sign for p in ind.parsed.parts]
        wrong = next((s for s in signs if s in SIGNS and s not in allowed), None)
        if wrong is None:
            continue
        yield ctx.issue(
            f"成本指标符号方向不对:{row.label} 写的是“{wrong}”,成本是上限,应使用 ≤ 或 ＜。",
            indicator_location(project, ind, "sign" if "sign" in ind.locations else "value"),
            {"found": wrong, "expected": sorted(allowed)},
            fix=(ind.value or "").replace(wrong, "≤", 1) if wrong in (ind.value or "") else "≤",
        )
