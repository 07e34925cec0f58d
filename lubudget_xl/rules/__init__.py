"""The reviewer's rules: each check one function with a permanent code (STYLE.md §1-3, §5).

Family modules are imported in a fixed order, so the registry (and the generated docs/rules.md)
list rules the same way every time. Stdlib, jsonschema and our core only: this package runs on
every save in Excel, so it must import fast (a test asserts no pandas/openpyxl/xlwings).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence

from lubudget_xl.catalog import Catalog
from lubudget_xl.issues import Issue
from lubudget_xl.model import ProjectTarget
from lubudget_xl.rules._registry import (
    DEFAULT_SETTINGS,
    REGISTRY,
    Rule,
    RuleContext,
    effective_settings,
    rule,
)

# Registration order = report and docs order. A new family module is added here, at the end.
FAMILIES = ("header", "funds", "tree", "values", "cost", "scales", "years", "goal", "text", "selfeval")
for _family in FAMILIES:
    importlib.import_module(f"lubudget_xl.rules.{_family}")

__all__ = [
    "DEFAULT_SETTINGS",
    "FAMILIES",
    "REGISTRY",
    "Rule",
    "RuleContext",
    "check_project",
    "check_projects",
    "effective_settings",
    "rule",
]


def _selected(ctx: RuleContext, codes: Iterable[str] | None) -> list[Rule]:
    disabled = set(ctx.setting("disabled_rules") or ())
    wanted = None if codes is None else set(codes)
    return [r for code, r in REGISTRY.items() if code not in disabled and (wanted is None or code in wanted)]


def check_project(
    project: ProjectTarget, catalog: Catalog | None, codes: Iterable[str] | None = None
) -> list[Issue]:
    """All findings for one project, in registry order (codes limits the run to those rules)."""
    return check_projects([project], catalog, codes)


def check_projects(
    projects: Sequence[ProjectTarget], catalog: Catalog | None, codes: Iterable[str] | None = None
) -> list[Issue]:
    """All findings for the projects, project by project, in registry order within a project."""
    ctx = RuleContext.create(catalog)
    selected = _selected(ctx, codes)
    # A target is checked by the target rules, a self-evaluation (SelfEvaluation.FORM) by SELF_*.
    by_form: dict[str, list[Rule]] = {}
    for rule_ in selected:
        by_form.setdefault(rule_.form, []).append(rule_)
    issues: list[Issue] = []
    for project in projects:
        ctx.project = project
        for rule_ in by_form.get(getattr(project, "FORM", "target"), ()):
            ctx.rule = rule_  # one context for the run: each rule's findings are drained before the next
            issues.extend(rule_.func(project, ctx))
    return issues
