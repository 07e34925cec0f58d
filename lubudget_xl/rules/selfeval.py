"""Self-evaluation rules (项目支出绩效自评表, 财预〔2020〕10号): scores are recomputed, never trusted.

These rules run only on `SelfEvaluation` records (and the target rules only on targets): a rule's
form follows its family (`Rule.form`). The score of every row is worked out once per project
(`_scored`) and shared by the rules that compare against it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, Location
from lubudget_xl.rules._registry import RuleContext, canonical_levels, compact, indicator_label, rule
from lubudget_xl.selfeval.model import EXECUTION_LINE, IndicatorResult, SelfEvaluation
from lubudget_xl.selfeval.scoring import Score, execution_rate, score_execution, score_indicator
from lubudget_xl.values.types import KIND_NOT_APPLICABLE

TOTAL_POINTS = 100.0


def fmt(x: float) -> str:
    """A score as the form shows it: 2 decimals at most, no trailing zeros (12.5, 10)."""
    return f"{round(x + 0.0, 2):.2f}".rstrip("0").rstrip(".")


def fmt_rate(rate: float) -> str:
    return f"{rate * 100:.2f}%"


@dataclass
class _Line:
    """One scored line: an indicator row, or the 预算执行率 line (index None)."""

    index: int | None
    label: str
    result: IndicatorResult | None
    weight: float | None
    score: float | None
    computed: Score | None
    weight_loc: Location
    score_loc: Location


def _result(project: SelfEvaluation, i: int) -> IndicatorResult:
    return project.results[i] if i < len(project.results) else IndicatorResult()


def _loc(project: SelfEvaluation, locations: dict[str, Location], key: str, i: int) -> Location:
    ind = project.indicators[i]
    return locations.get(key) or ind.locations.get("row") or ind.locations.get("level3") or project.location("name")


def _scored(project: SelfEvaluation, ctx: RuleContext) -> list[_Line]:
    bands = ctx.setting("selfeval_qualitative")
    lines = []
    if project.execution_weight is not None or project.execution_score is not None or project.execution:
        total = project.fund_row("total")
        computed = score_execution(total.budget if total else None, total.executed if total else None,
                                   project.execution_weight)
        lines.append(_Line(None, EXECUTION_LINE, None, project.execution_weight, project.execution_score, computed,
                           project.location("selfeval.execution_weight"), project.location("selfeval.execution_score")))
    for i, ind in enumerate(project.indicators):
        res = _result(project, i)
        computed = score_indicator(ind.parsed, res.actual, res.weight, bands, is_cost(ind, ctx))
        lines.append(_Line(i, indicator_label(ind), res, res.weight, res.score, computed,
                           _loc(project, res.locations, "weight", i), _loc(project, res.locations, "score", i)))
    return lines


def is_cost(ind: Indicator, ctx: RuleContext) -> bool:
    """A cost row: level two in the catalogue's cost_level2, or level one 成本指标 (101号 tree)."""
    level1, level2 = canonical_levels(ind, ctx)
    return (level2 in ctx.setting_set("cost_level2")) or level1 == "成本指标"


def scored_lines(project, ctx: RuleContext) -> list[_Line]:
    """The execution line and each indicator row with stated and computed scores: worked out once
    per project and catalogue (the rules and the batch's 自评汇总 line share it)."""
    if not isinstance(project, SelfEvaluation):
        return []
    cached = project.__dict__.get("_scored")
    if cached is not None and cached[0] is ctx.catalog and cached[1] is project.results:
        return cached[2]
    lines = _scored(project, ctx)
    project.__dict__["_scored"] = (ctx.catalog, project.results, lines)
    return lines


_lines = scored_lines


@rule("SELF_ACTUAL_MISSING", Severity.ERROR)
def actual_missing(project, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    每一行绩效指标都应填写实际完成值(本项目不适用的指标行除外);年度总体目标应填写实际完成情况。
    为什么:
    自评是将实际完成情况与年度绩效目标逐项对照(财预〔2020〕10号);没有实际完成值就无从评分。
    错误示例:
    产出指标/数量指标/政府常务会次数,年度指标值 ≥24次,实际完成值 空白。
    正确示例:
    产出指标/数量指标/政府常务会次数,年度指标值 ≥24次,实际完成值 26次。
    """
    if not isinstance(project, SelfEvaluation):
        return
    if not compact(project.goal_actual):
        yield ctx.issue("年度总体目标的“实际完成情况”未填写,应对照预期目标说明全年实际完成的情况。",
                        project.location("selfeval.goal_actual"), {"field": "goal_actual", "found": ""})
    for i, ind in enumerate(project.indicators):
        if ind.parsed.kind == KIND_NOT_APPLICABLE:
            continue
        res = _result(project, i)
        if not compact(res.actual):
            yield ctx.issue(
                f"实际完成值未填写:{indicator_label(ind)}(年度指标值 {ind.value.strip() or '空'})没有实际完成值。",
                _loc(project, res.locations, "actual", i),
                {"field": "actual", "found": "", "target": ind.value},
            )


@rule("SELF_SCORE_OVER_WEIGHT", Severity.ERROR)
def score_over_weight(project, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    得分不得高于该行的分值(预算执行率一行及每一行绩效指标)。
    为什么:
    分值是该项可得的最高分(财预〔2020〕10号 默认 预算执行率 10、产出 50、效益 30、满意度 10 分);超出分值的得分会使总分虚高。
    错误示例:
    分值 7.14,得分 8。
    正确示例:
    分值 7.14,得分 7.14。
    """
    for line in _lines(project, ctx):
        if line.weight is None or line.score is None or line.score <= line.weight + 1e-9:
            continue
        yield ctx.issue(
            f"得分高于分值:{line.label} 的得分 {fmt(line.score)} 超过分值 {fmt(line.weight)}。",
            line.score_loc, {"found": line.score, "expected": f"<= {fmt(line.weight)}"}, fix=fmt(line.weight),
        )


@rule("SELF_SCORE_MISMATCH", Severity.WARNING)
def score_mismatch(project, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    得分应与按实际完成值重算的得分一致(误差取自目录设置 selfeval_score_tolerance,默认 0.1 分);得分空白也在此报告。
    定量指标按完成比例计分:正向指标(≥ ＞ ＝)为 实际值 / 目标值,反向指标(≤ ＜)为 目标值 / 实际值(不超过目标值时得满分),
    得分 = 分值 × 完成比例,不超过分值;定性指标按档次计分:达成年度指标 分值的 80%–100%,部分达成年度指标并具有一定效果 60%–80%,
    未达成年度指标且效果较差 0–60%(目录设置 selfeval_qualitative);预算执行率 得分 = 分值 × 执行率,不超过分值。
    为什么:
    手工计分常有错误;财政部门按同一口径复核得分(财预〔2020〕10号)。
    错误示例:
    年度指标值 ≥24次,实际完成值 12次,分值 7.14,得分 7.14(应为 3.57)。
    正确示例:
    年度指标值 ≥24次,实际完成值 12次,分值 7.14,得分 3.57。
    """
    tolerance = float(ctx.setting("selfeval_score_tolerance"))
    for line in _lines(project, ctx):
        computed = line.computed
        if computed is None or line.weight is None:
            continue
        if line.score is None:
            yield ctx.issue(
                f"得分未填写:{line.label} 按实际完成情况应得 {fmt(computed.suggested)} 分。",
                line.score_loc, {"found": None, "expected": computed.suggested}, fix=fmt(computed.suggested),
            )
            continue
        if line.score > line.weight + 1e-9 or computed.accepts(line.score, tolerance):
            continue  # over the weight: SELF_SCORE_OVER_WEIGHT says it
        nearest = computed.high if line.score > computed.high else computed.low
        how = "执行率" if computed.basis == "rate" else "完成比例"
        band = (f"{computed.grade}可得 {fmt(computed.low)}~{fmt(computed.high)} 分" if computed.basis == "grade"
                else f"按{how} {computed.ratio * 100:.2f}% 应得 {fmt(computed.high)} 分")  # type: ignore[operator]
        yield ctx.issue(
            f"得分与计算不符:{line.label} 填写 {fmt(line.score)} 分,{band}。",
            line.score_loc,
            {"found": line.score, "expected": [computed.low, computed.high], "basis": computed.basis},
            fix=fmt(nearest),
        )


@rule("SELF_REASON_MISSING", Severity.ERROR)
def reason_missing(project, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    未完成年度指标的行(实际完成值未达到年度指标值,或得分低于分值)应填写“偏差原因分析及改进措施”。
    为什么:
    财预〔2020〕10号 要求对未完成目标的原因进行分析并提出改进措施,以便下一年度改进。
    错误示例:
    年度指标值 ≥24次,实际完成值 20次,得分 5.95,偏差原因分析及改进措施 空白。
    正确示例:
    年度指标值 ≥24次,实际完成值 20次,得分 5.95,偏差原因分析及改进措施“受疫情影响会议改为视频形式,下年度提前排期”。
    """
    tolerance = float(ctx.setting("selfeval_score_tolerance"))
    for line in _lines(project, ctx):
        if line.index is None or line.result is None or compact(line.result.reason):
            continue
        short = line.computed is not None and not line.computed.met
        below = line.score is not None and line.weight is not None and line.score < line.weight - tolerance
        if not (short or below):
            continue
        why = "实际完成值未达到年度指标值" if short else f"得分 {fmt(line.score)} 低于分值 {fmt(line.weight)}"  # type: ignore[arg-type]
        yield ctx.issue(
            f"缺少偏差原因:{line.label} {why},应填写偏差原因分析及改进措施。",
            _loc(project, line.result.locations, "reason", line.index),
            {"found": "", "short_of_target": short, "score": line.score, "weight": line.weight},
        )


@rule("SELF_TOTAL_SUM", Severity.ERROR)
def total_sum(project, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    总分应等于预算执行率得分与各行绩效指标得分之和(误差取自目录设置 selfeval_score_tolerance)。
    为什么:
    总分决定自评等级(优 ≥90、良 80–90、中 60–80、差 <60);合计错误会改变等级。
    错误示例:
    预算执行率得分 9.5,各指标得分合计 80,总分 95。
    正确示例:
    预算执行率得分 9.5,各指标得分合计 80,总分 89.5。
    """
    lines = _lines(project, ctx)
    scores = [line.score for line in lines if line.score is not None]
    if not scores:
        return
    found = sum(scores)
    stated = project.total_score
    if stated is not None and abs(stated - found) <= float(ctx.setting("selfeval_score_tolerance")):
        return
    what = "未填写" if stated is None else f"为 {fmt(stated)}"
    yield ctx.issue(
        f"总分{what},而预算执行率与各指标得分之和为 {fmt(found)};两者应相等。",
        project.location("selfeval.total_score"), {"found": stated, "expected": round(found, 2)}, fix=fmt(found),
    )


@rule("SELF_WEIGHTS_SUM", Severity.ERROR)
def weights_sum(project, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    预算执行率的分值与各行绩效指标分值之和应为 100 分。
    为什么:
    财预〔2020〕10号 以百分制评分(默认 预算执行率 10、产出 50、效益 30、满意度 10 分,可由目录设置 selfeval_weights 调整);
    分值合计不是 100 时总分与等级失去意义。
    错误示例:
    预算执行率 10 分,产出指标各行合计 50,效益指标 30,满意度指标 5(合计 95)。
    正确示例:
    预算执行率 10 分,产出指标各行合计 50,效益指标 30,满意度指标 10(合计 100)。
    """
    lines = _lines(project, ctx)
    weights = [line.weight for line in lines if line.weight is not None]
    if not lines:
        return
    found = sum(weights)
    if abs(found - TOTAL_POINTS) <= 0.01:
        return
    yield ctx.issue(
        f"分值合计为 {fmt(found)} 分,应为 {fmt(TOTAL_POINTS)} 分(预算执行率与各行绩效指标分值之和)。",
        project.location("selfeval.total_weight"), {"found": round(found, 2), "expected": TOTAL_POINTS},
    )


def _rate(project: SelfEvaluation) -> float | None:
    total = project.fund_row("total")
    return execution_rate(total.budget, total.executed) if total else None


@rule("SELF_RATE_MISMATCH", Severity.ERROR)
def rate_mismatch(project, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    执行率应等于 全年执行数 / 全年预算数(年度资金总额一行;误差取自目录设置 selfeval_rate_tolerance,默认 0.1 个百分点)。
    为什么:
    预算执行率决定 10 分的得分;手填的执行率与金额不符时,得分无从复核。
    错误示例:
    全年预算数 30,全年执行数 27,执行率 95%。
    正确示例:
    全年预算数 30,全年执行数 27,执行率 90.00%。
    """
    if not isinstance(project, SelfEvaluation) or project.execution_rate is None:
        return
    rate = _rate(project)
    if rate is None:
        return
    if abs(project.execution_rate - rate) * 100 <= float(ctx.setting("selfeval_rate_tolerance")):
        return
    yield ctx.issue(
        f"执行率 {fmt_rate(project.execution_rate)} 与 全年执行数 / 全年预算数 = {fmt_rate(rate)} 不符。",
        project.location("selfeval.execution_rate"),
        {"found": project.execution_rate, "expected": round(rate, 6)}, fix=fmt_rate(rate),
    )


def _key(ctx: RuleContext, level1: str, level2: str, level3: str) -> tuple[str, str, str]:
    if ctx.catalog is not None:
        l1, l2 = ctx.catalog.canonical_levels(level1, level2)
    else:
        l1, l2 = None, None
    return (l1 or compact(level1), l2 or compact(level2), compact(level3))


@rule("SELF_INDICATOR_DROPPED", Severity.ERROR)
def indicator_dropped(project, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    绩效目标表中的每一项指标都应在自评表中自评(按 一级/二级/三级指标 对照;自评表由 lubudget selfeval build 生成时可查)。
    报告指出该指标在目标表中的文件和单元格。
    为什么:
    自评对照的是批复的绩效目标;删去未完成的指标会使自评失实。
    错误示例:
    目标表有 满意度指标/服务对象满意度指标/参会单位满意度 ≥95%,自评表中删去了这一行。
    正确示例:
    自评表保留该行并填写实际完成值(如 92%)和偏差原因。
    """
    if not isinstance(project, SelfEvaluation) or project.targets is None:
        return
    have = {_key(ctx, i.level1, i.level2, i.level3) for i in project.indicators}
    for target in project.targets:
        if _key(ctx, target.level1, target.level2, target.level3) in have:
            continue
        label = "/".join(filter(None, (target.level1, target.level2, target.level3)))
        where = f"{target.location.file} {_place(target.location)}".strip()
        yield ctx.issue(
            f"缺少目标表中的指标:{label}{f'(年度指标值 {target.value})' if target.value else ''}在目标表 {where} 中,"
            "自评表中没有这一行。",
            project.location("selfeval.grid"),
            {"target": target.to_dict()},
        )


@rule("SELF_INDICATOR_ADDED", Severity.WARNING)
def indicator_added(project, ctx: RuleContext) -> Iterator[Issue]:
    """
    检查内容:
    自评表中不应出现绩效目标表中没有的指标(自评表由 lubudget selfeval build 生成时可查)。
    为什么:
    自评只对照已批复的绩效目标;新增的指标没有目标值,无从评价,且会改变分值分配。
    错误示例:
    自评表新增一行 产出指标/数量指标/简报编印期数,目标表中没有。
    正确示例:
    删除该行,或在下一年度的绩效目标表中设置该指标。
    """
    if not isinstance(project, SelfEvaluation) or project.targets is None:
        return
    wanted = {_key(ctx, t.level1, t.level2, t.level3) for t in project.targets}
    source = project.targets[0].location.file if project.targets else ""
    for i, ind in enumerate(project.indicators):
        if _key(ctx, ind.level1, ind.level2, ind.level3) in wanted:
            continue
        yield ctx.issue(
            f"目标表中没有的指标:{indicator_label(ind)} 不在绩效目标表{f' {source} ' if source else ''}中。",
            ind.locations.get("level3") or _loc(project, {}, "level3", i),
            {"found": indicator_label(ind), "targets": source},
        )


def _place(location: Location) -> str:
    if location.sheet:
        return f"'{location.sheet}'!{location.cell}" if location.cell else f"'{location.sheet}'"
    return f"第{location.line}行" if location.line else ""
