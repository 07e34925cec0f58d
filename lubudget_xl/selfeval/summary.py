"""One line per self-evaluation for the master book's 自评汇总: budget, execution, scores, grade.

The 复核得分 (`computed_total`) is the rules' recomputation, not the department's 总分: a number
row scores its completion ratio, a graded row the department's score held inside its band, the
execution line its 执行率; a row without 实际完成值 scores 0, and one whose result cannot be scored
(words that are no grade) keeps the department's score, capped at its weight. The grade follows
the 复核得分 (catalogue setting selfeval_grades: 优 ≥90, 良 80–90, 中 60–80, 差 <60).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from lubudget_xl.catalog import Catalog
from lubudget_xl.rules import RuleContext
from lubudget_xl.rules.selfeval import scored_lines
from lubudget_xl.selfeval.model import SelfEvaluation
from lubudget_xl.selfeval.scoring import execution_rate, grade_of


@dataclass(frozen=True)
class SelfEvalSummary:
    budget: float | None  # 全年预算数 (年度资金总额)
    executed: float | None  # 全年执行数
    rate: float | None  # 执行率 recomputed, a fraction
    weights: float  # 分值 total
    stated_total: float | None  # 总分 as the department wrote it
    computed_total: float  # 复核得分
    grade: str  # of the 复核得分
    rows: int  # indicator rows
    missed: int  # rows short of their target (recomputed)


def _recomputed(line) -> float:
    computed, weight, score = line.computed, line.weight or 0.0, line.score
    if computed is None:
        filled = line.result is None or bool((line.result.actual or "").strip())
        return min(score or 0.0, weight) if filled and score is not None else 0.0
    if computed.basis == "grade":
        return min(max(score if score is not None else computed.high, computed.low), computed.high)
    return computed.high


def summarize(evaluation: SelfEvaluation, ctx: RuleContext) -> SelfEvalSummary:
    """The summary line of one self-evaluation (`ctx`: a rule context of the catalogue in use)."""
    ctx.project = evaluation
    lines = scored_lines(evaluation, ctx)
    total_row = evaluation.fund_row("total")
    budget = total_row.budget if total_row else None
    executed = total_row.executed if total_row else None
    computed = round(sum(_recomputed(line) for line in lines), 2)
    return SelfEvalSummary(
        budget=budget,
        executed=executed,
        rate=execution_rate(budget, executed),
        weights=round(sum(line.weight or 0.0 for line in lines), 2),
        stated_total=evaluation.total_score,
        computed_total=computed,
        grade=grade_of(computed, ctx.setting("selfeval_grades")),
        rows=len(evaluation.indicators),
        missed=sum(1 for line in lines if line.index is not None and line.computed is not None and not line.computed.met),
    )


def summarize_all(evaluations: Sequence[SelfEvaluation], ctx: RuleContext) -> list[SelfEvalSummary]:
    return [summarize(e, ctx) for e in evaluations]


_CONTEXTS: dict[str | None, RuleContext] = {}


def attach_summaries(projects: Sequence[Any], catalog: Catalog | None) -> None:
    """Set `summary` (a dict) on every SelfEvaluation among `projects`: what the batch worker spools."""
    key = catalog.version if catalog is not None else None
    ctx = _CONTEXTS.get(key)
    if ctx is None:  # one context per catalogue and process: settings are copied once, not per file
        ctx = _CONTEXTS[key] = RuleContext.create(catalog)
    for project in projects:
        if isinstance(project, SelfEvaluation):
            project.summary = asdict(summarize(project, ctx))
