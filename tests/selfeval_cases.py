"""Self-evaluation rule cases (tests/fixtures/rules/SELF_*.json, "form": "selfeval").

A case overrides `_base_selfeval.json` (results, execution, total) on top of `_base.json`'s project
(the targets). Every field gets its own location (a line), so a finding maps back to the field it
names; the targets the self-evaluation must account for are `_base.json`'s indicators, placed in a
target file at 'targets'!D<n>. A failing case names the flagged fields and, in "fix", the exact
suggested fix per field (a field not in "fix" must have none).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from lubudget_xl.model import Location
from lubudget_xl.selfeval.model import FundExecution, IndicatorResult, SelfEvaluation, TargetRef

CASES = Path(__file__).resolve().parent / "fixtures" / "rules"
SELF_KEYS = ("selfeval.goal_actual", "selfeval.execution_weight", "selfeval.execution_rate",
             "selfeval.execution_score", "selfeval.total_score", "selfeval.total_weight", "selfeval.grid")


def base_selfeval() -> dict[str, Any]:
    return json.loads((CASES / "_base_selfeval.json").read_text(encoding="utf-8"))["project"]


def apply_selfeval_overrides(target: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The targets' project merged with the self-evaluation base and the case's overrides.

    set_results / set_indicators replace rows by index, drop_indicators drops a row and its result,
    add_indicators + add_results append rows; other keys replace."""
    data = {**copy.deepcopy(target), **base_selfeval()}
    data["targets"] = [list(row[:4]) for row in target["indicators"]]
    rows, results = data["indicators"], data["results"]
    for index, row in overrides.get("set_indicators", {}).items():
        rows[int(index)] = row
    for index, row in overrides.get("set_results", {}).items():
        results[int(index)] = row
    for index in sorted(overrides.get("drop_indicators", []), reverse=True):
        del rows[index]
        del results[index]
    rows.extend(overrides.get("add_indicators", []))
    results.extend(overrides.get("add_results", []))
    for key, value in overrides.items():
        if key not in ("set_indicators", "set_results", "drop_indicators", "add_indicators", "add_results"):
            data[key] = value
    return data


def build_selfeval(data: dict[str, Any], build_project, file: str = "case.json") -> tuple[SelfEvaluation, dict[int, str]]:
    """A SelfEvaluation (locations are lines) and line → field ("results[2].score", "selfeval.total_score")."""
    project, fields = build_project(data, file)

    def loc(field: str) -> Location:
        line = len(fields) + 1
        fields[line] = field
        return Location(file=file, line=line)

    results = []
    for i, row in enumerate(data.get("results", [])):
        actual, weight, score, reason = row
        results.append(IndicatorResult(actual, weight, score, reason,
                                       {k: loc(f"results[{i}].{k}") for k in ("actual", "weight", "score", "reason")}))
    execution = []
    for key, amounts in data.get("execution", {}).items():
        initial, budget, executed = amounts
        execution.append(FundExecution(key, initial, budget, executed,
                                       {k: loc(f"execution.{key}.{k}") for k in ("initial", "budget", "executed")}))
    targets = data.get("targets")
    refs = None if targets is None else [
        TargetRef(*row[:4], Location("目标表.xlsx", "targets", f"D{n + 7}")) for n, row in enumerate(targets)
    ]
    fields_of = {f: getattr(project, f) for f in project.__dataclass_fields__}
    evaluation = SelfEvaluation(
        **fields_of,
        execution=execution,
        execution_weight=data.get("execution_weight"),
        execution_rate=data.get("execution_rate"),
        execution_score=data.get("execution_score"),
        goal_actual=data.get("goal_actual", ""),
        results=results,
        total_score=data.get("total_score"),
        targets=refs,
    )
    evaluation.locations.update({key: loc(key) for key in SELF_KEYS})
    return evaluation, fields
