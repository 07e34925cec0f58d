"""Fund rules: 项目资金(万元) — the balance of the total against its parts."""

from __future__ import annotations

from collections.abc import Iterator

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import ProjectTarget
from lubudget_xl.rules._registry import RuleContext, rule
from lubudget_xl.values.amounts import format_wan

fmt_wan = format_wan  # kept for the rules that import it; the one formatter lives in values.amounts


@rule("FUNDS_SUM", Severity.ERROR)
def funds_sum(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    年度资金总额应等于 财政拨款 + 其他资金(表式另有 上年结转 等资金行时,也计入)。
    允许的误差取自指标目录设置 fund_tolerance(默认 0.005 万元)。
    为什么:
    资金来源须与总额平衡,这是预算编制的基本勾稽关系;不平衡的表会被退回。
    错误示例:
    年度资金总额 50.1,财政拨款 30.1,其他资金 10.0(合计 40.1)。
    正确示例:
    年度资金总额 50.1,财政拨款 30.1,其他资金 20.0。
    """
    funds = project.funds
    parts = [funds.fiscal, funds.other]
    if funds.total is None or all(p is None for p in parts):
        return
    base = sum(p or 0.0 for p in parts)
    extra = sum(v or 0.0 for v in funds.extra.values())
    tolerance = float(ctx.setting("fund_tolerance"))
    # Extra rows are either further sources (上年结转) or a breakdown of 财政拨款 (市级/区级): accept both.
    if abs(funds.total - base) <= tolerance or (extra and abs(funds.total - base - extra) <= tolerance):
        return
    found = base + extra
    detail = f"财政拨款 {fmt_wan(funds.fiscal or 0)} + 其他资金 {fmt_wan(funds.other or 0)}"
    if extra:
        detail += "".join(f" + {k} {fmt_wan(v or 0)}" for k, v in funds.extra.items())
    yield ctx.issue(
        f"资金不平衡:年度资金总额 {fmt_wan(funds.total)} 万元,而 {detail} = {fmt_wan(found)} 万元;两者应相等。",
        project.location("funds.total"),
        {"found": round(found, 6), "expected": funds.total, "tolerance": tolerance},
        fix=fmt_wan(found),
    )


@rule("FUNDS_NEGATIVE", Severity.ERROR)
def funds_negative(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    资金金额(年度资金总额、财政拨款、其他资金及其他资金行)不得为负数,年度资金总额不得为 0。
    为什么:
    负数或零总额的项目没有可评价的支出,通常是录入错误(符号、单位或错行)。
    错误示例:
    年度资金总额 0,财政拨款 0。
    正确示例:
    年度资金总额 30.0,财政拨款 30.0。
    """
    funds = project.funds
    amounts = {"funds.total": funds.total, "funds.fiscal": funds.fiscal, "funds.other": funds.other}
    labels = {"funds.total": "年度资金总额", "funds.fiscal": "财政拨款", "funds.other": "其他资金"}
    for key, value in amounts.items():
        if value is not None and value < 0:
            yield ctx.issue(
                f"{labels[key]}为负数({fmt_wan(value)} 万元),资金金额应不小于 0。",
                project.location(key),
                {"field": key, "found": value, "expected": ">= 0"},
            )
    for label, value in funds.extra.items():
        if value is not None and value < 0:
            yield ctx.issue(
                f"{label}为负数({fmt_wan(value)} 万元),资金金额应不小于 0。",
                project.location("funds.total"),
                {"field": label, "found": value, "expected": ">= 0"},
            )
    if funds.total is not None and funds.total == 0:
        yield ctx.issue(
            "年度资金总额为 0 万元;项目支出绩效目标表应对应有预算安排的项目。",
            project.location("funds.total"),
            {"field": "funds.total", "found": 0, "expected": "> 0"},
        )


@rule("FUNDS_CARRIED", Severity.INFO)
def funds_carried(project: ProjectTarget, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    由上年表结转(lubudget rollover)带入的资金金额,若仍与上年相同,请部门确认本年度的金额。
    为什么:
    经常性项目逐年延续,但每年的预算安排不同;照抄上年金额会使绩效目标与本年预算不相匹配(88号 相应匹配)。
    错误示例:
    结转生成的表中 年度资金总额 仍为上年的 156 万元,未按本年预算修改。
    正确示例:
    年度资金总额 改为本年预算批复的 160 万元(或确认与上年相同后删除结转标记)。
    """
    labels = {"funds.total": "年度资金总额", "funds.fiscal": "财政拨款", "funds.other": "其他资金"}
    for key, carried in project.carried.items():
        if not key.startswith("funds."):
            continue
        current = getattr(project.funds, key.split(".", 1)[1], None)
        if current is None or abs(current - carried) > float(ctx.setting("fund_tolerance")):
            continue
        label = labels.get(key, key)
        yield ctx.issue(
            f"资金沿用上年:{label} {fmt_wan(current)} 万元是从上年表结转的金额,请按本年度预算确认或修改。",
            project.location(key),
            {"field": key, "found": current, "expected": "本年度预算金额"},
        )
