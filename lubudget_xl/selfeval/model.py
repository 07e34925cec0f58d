"""The self-evaluation record: last year's targets plus what the department reports against them.

A `SelfEvaluation` is a `ProjectTarget` (header, funds, goal and the target indicators as the
targets had them) with the results beside it: the 项目资金 execution block, the 实际完成情况 of the
年度总体目标, one `IndicatorResult` per indicator row, the 总分, and — when the form was built by
`lubudget selfeval build` — where each target indicator came from (`TargetRef`), so a dropped or
added indicator can be reported against the target's own file and cell. Being a `ProjectTarget`,
it travels through the readers, the batch, the spool and the master book like any target.

Core layer: stdlib only (the rules import it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from lubudget_xl.model import Location, ProjectTarget, _locs_from_dict, _locs_to_dict

# Rows of the 项目资金 block, in the official order (财预〔2020〕10号 附件); `total` first.
FUND_ROWS = (
    ("total", "年度资金总额"),
    ("fiscal", "其中:当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
# Columns of the 项目资金 block (FundExecution field → heading).
FUND_COLUMNS = (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"))
EXECUTION_LINE = "预算执行率"  # how messages and the weights setting name the budget-execution line


@dataclass
class FundExecution:
    """One row of the 项目资金 block (万元). `key` is a FUND_ROWS key."""

    key: str
    initial: float | None = None
    budget: float | None = None
    executed: float | None = None
    locations: dict[str, Location] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "initial": self.initial, "budget": self.budget, "executed": self.executed,
                "locations": _locs_to_dict(self.locations)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FundExecution:
        return cls(d["key"], d.get("initial"), d.get("budget"), d.get("executed"),
                   _locs_from_dict(d.get("locations", {})))


@dataclass
class IndicatorResult:
    """What the department reports for one indicator row: 实际完成值, 分值, 得分, 偏差原因分析及改进措施.

    locations keys: actual, weight, score, reason (the cells of this row).
    """

    actual: str = ""
    weight: float | None = None
    score: float | None = None
    reason: str = ""
    locations: dict[str, Location] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"actual": self.actual, "weight": self.weight, "score": self.score, "reason": self.reason,
                "locations": _locs_to_dict(self.locations)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> IndicatorResult:
        return cls(d.get("actual", ""), d.get("weight"), d.get("score"), d.get("reason", ""),
                   _locs_from_dict(d.get("locations", {})))


@dataclass(frozen=True)
class TargetRef:
    """A target indicator as the targets had it, and where: what a self-evaluation must account for."""

    level1: str
    level2: str
    level3: str
    value: str
    location: Location

    def to_dict(self) -> dict[str, Any]:
        return {"level1": self.level1, "level2": self.level2, "level3": self.level3, "value": self.value,
                "location": self.location.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TargetRef:
        return cls(d["level1"], d["level2"], d["level3"], d.get("value", ""), Location.from_dict(d["location"]))


@dataclass
class SelfEvaluation(ProjectTarget):
    """One project's 项目支出绩效自评表. `results[i]` belongs to `indicators[i]`.

    execution_*: the 预算执行率 line of the 年度资金总额 row (分值, 执行率 as stated — a fraction,
    0.95 — and 得分). `targets` is None when the workbook does not say where its targets came from.
    `funds` holds the 全年预算数 column, so consolidation's fund totals mean the year's budget.
    """

    FORM: ClassVar[str] = "selfeval"

    execution: list[FundExecution] = field(default_factory=list)
    execution_weight: float | None = None
    execution_rate: float | None = None
    execution_score: float | None = None
    goal_actual: str = ""
    results: list[IndicatorResult] = field(default_factory=list)
    total_score: float | None = None
    targets: list[TargetRef] | None = None
    # The 自评汇总 line (summary.SelfEvalSummary as a dict), set by the batch worker; not in records.
    summary: dict[str, Any] | None = None

    def fund_row(self, key: str) -> FundExecution | None:
        return next((f for f in self.execution if f.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["selfeval"] = {
            "execution": [f.to_dict() for f in self.execution],
            "execution_weight": self.execution_weight,
            "execution_rate": self.execution_rate,
            "execution_score": self.execution_score,
            "goal_actual": self.goal_actual,
            "results": [r.to_dict() for r in self.results],
            "total_score": self.total_score,
            "targets": None if self.targets is None else [t.to_dict() for t in self.targets],
        }
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SelfEvaluation:
        base = ProjectTarget.from_dict(d)
        s = d.get("selfeval", {})
        targets = s.get("targets")
        return cls(
            **{f: getattr(base, f) for f in base.__dataclass_fields__},
            execution=[FundExecution.from_dict(f) for f in s.get("execution", [])],
            execution_weight=s.get("execution_weight"),
            execution_rate=s.get("execution_rate"),
            execution_score=s.get("execution_score"),
            goal_actual=s.get("goal_actual", ""),
            results=[IndicatorResult.from_dict(r) for r in s.get("results", [])],
            total_score=s.get("total_score"),
            targets=None if targets is None else [TargetRef.from_dict(t) for t in targets],
        )


def is_selfeval(project: ProjectTarget) -> bool:
    return getattr(project, "FORM", "target") == "selfeval"
