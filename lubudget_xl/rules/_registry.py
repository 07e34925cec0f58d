"""The rule registry: one function per check, registered under a permanent code (STYLE.md §1, §5).

A rule is `fn(project, ctx) -> Iterable[Issue]`. `@rule(CODE, Severity.X)` puts it into `REGISTRY`
(a plain dict, in import order). Registration fails at import time when a code is malformed or
already taken, or when the docstring lacks the four headings the generated docs need — a broken
rule set must never reach a reviewer.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from lubudget_xl.catalog import DEFAULT_SETTINGS as CATALOG_DEFAULTS
from lubudget_xl.catalog import Catalog
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import FIELD_LABELS, Indicator, Location, ProjectTarget
from lubudget_xl.values.types import KIND_EMPTY, KIND_NOT_APPLICABLE, KIND_PLACEHOLDER

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
DOC_HEADINGS = ("检查内容", "为什么", "错误示例", "正确示例")

# Settings only the rules use, beside the catalogue's (catalog.DEFAULT_SETTINGS holds the rest:
# floors, tolerances, level-two lists, vague and placeholder words, money units). A catalogue's
# `settings` may override any of them.
RULE_SETTINGS: dict[str, Any] = {
    # Words that make a qualitative value gradable (优/良/中/差, 达成 …): with one, it is no slogan.
    "grade_words": ["优", "良好", "合格", "达标", "达成", "通过", "验收", "较好", "一般", "差"],
    # Codes a catalogue (or a caller) switches off.
    "disabled_rules": [],
}
DEFAULT_SETTINGS: dict[str, Any] = {**CATALOG_DEFAULTS, **RULE_SETTINGS}


def effective_settings(catalog: Catalog | None) -> dict[str, Any]:
    """Rule defaults overlaid with the catalogue's settings (which carry the catalogue's own defaults)."""
    if catalog is None:
        return copy.deepcopy(DEFAULT_SETTINGS)
    # Catalog.settings is already a fresh copy holding every catalogue default: copy only ours (the
    # leading CATALOG_DEFAULTS just keeps the key order of DEFAULT_SETTINGS; its values are replaced).
    return {**CATALOG_DEFAULTS, **copy.deepcopy(RULE_SETTINGS), **catalog.settings}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    func: Callable[[ProjectTarget, RuleContext], Iterable[Issue]]
    family: str
    doc: dict[str, str]

    @property
    def form(self) -> str:
        """The form the rule checks: "selfeval" (绩效自评表, family selfeval) or "target" (绩效目标表)."""
        return "selfeval" if self.family == "selfeval" else "target"

    @property
    def title(self) -> str:
        """The first sentence of 检查内容: what the generated table shows."""
        return "".join(self.doc["检查内容"].splitlines()).split("。")[0] + "。"


REGISTRY: dict[str, Rule] = {}


def _parse_doc(code: str, doc: str | None) -> dict[str, str]:
    if not doc:
        raise ValueError(f"rule {code}: missing docstring (needs {', '.join(DOC_HEADINGS)})")
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in doc.strip().splitlines():
        stripped = line.strip()
        heading = stripped.rstrip(":：")
        if heading in DOC_HEADINGS and stripped != heading:
            current = heading
            sections[current] = []
        elif current is not None:
            sections[current].append(stripped)
    missing = [h for h in DOC_HEADINGS if not "\n".join(sections.get(h, [])).strip()]
    if missing:
        raise ValueError(f"rule {code}: docstring lacks section(s) {', '.join(missing)}")
    return {h: "\n".join(sections[h]).strip() for h in DOC_HEADINGS}


def rule(code: str, severity: Severity) -> Callable[[Callable], Callable]:
    """Register a rule under `code`; malformed or duplicate codes fail at import."""
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise ValueError(f"malformed rule code {code!r}: use FAMILY_NAME in capitals")
    if not isinstance(severity, Severity):
        raise ValueError(f"rule {code}: severity must be a Severity, got {severity!r}")

    def register(func: Callable) -> Callable:
        if code in REGISTRY:
            raise ValueError(f"duplicate rule code {code} ({REGISTRY[code].func.__module__} and {func.__module__})")
        family = func.__module__.rsplit(".", 1)[-1]
        REGISTRY[code] = Rule(code, severity, func, family, _parse_doc(code, func.__doc__))
        return func

    return register


class RuleContext:
    """What a rule may consult besides the project: the catalogue, the effective settings, and facts
    worked out once and shared by every rule that asks.

    One context serves a whole run. `check_projects` points it at each project and rule in turn
    (`ctx.project`, `ctx.rule`) and drains that rule's findings before the next, so `issue()` stamps
    the right code, severity and project without a copy per rule call. `once(fn)` keeps `fn(ctx)` for
    the run (word sets, the catalogue's parent map); `per_project(fn, project)` keeps
    `fn(project, ctx)` while the run is on that project — `rows()` is the one most rules share.
    Why: the batch checks department files of 10 projects with 36 rules, most asking the same
    questions about the same rows (profiled: per-call copies and repeated look-ups were over half
    the run).
    """

    __slots__ = ("catalog", "settings", "rule", "project", "_run_facts", "_project_facts", "_facts_of")

    def __init__(self, catalog: Catalog | None, settings: dict[str, Any] | None = None) -> None:
        self.catalog = catalog
        self.settings = {} if settings is None else settings
        self.rule: Rule | None = None
        self.project: ProjectTarget | None = None
        self._run_facts: dict[Any, Any] = {}
        self._project_facts: dict[Any, Any] = {}
        self._facts_of: ProjectTarget | None = None

    @classmethod
    def create(cls, catalog: Catalog | None) -> RuleContext:
        return cls(catalog, effective_settings(catalog))

    def setting(self, key: str) -> Any:
        return self.settings.get(key, DEFAULT_SETTINGS.get(key))

    def setting_set(self, key: str) -> frozenset[Any]:
        """A list setting (quantified_level2 …) as a set, built once per run."""
        try:
            return self._run_facts[key]
        except KeyError:
            found = self._run_facts[key] = frozenset(self.setting(key) or ())
            return found

    def once(self, fn: Callable[[RuleContext], Any]) -> Any:
        """`fn(ctx)`, computed on first use and kept for the run (settings and catalogue do not change)."""
        try:
            return self._run_facts[fn]
        except KeyError:
            found = self._run_facts[fn] = fn(self)
            return found

    def per_project(self, fn: Callable[[ProjectTarget, RuleContext], Any], project: ProjectTarget) -> Any:
        """`fn(project, ctx)`, computed on first use and kept while the run is on this project."""
        if project is not self._facts_of:
            self._facts_of = project
            self._project_facts = {}
        try:
            return self._project_facts[fn]
        except KeyError:
            found = self._project_facts[fn] = fn(project, self)
            return found

    def rows(self, project: ProjectTarget) -> list[Row]:
        """The project's indicators with their shared facts (`Row`), in grid order."""
        return self.per_project(_rows, project)

    def budget_year(self, project: ProjectTarget) -> int | None:
        if project.year:
            return int(project.year)
        return self.catalog.year if self.catalog is not None else None

    def issue(
        self,
        message: str,
        location: Location,
        params: dict[str, Any] | None = None,
        fix: str | None = None,
    ) -> Issue:
        assert self.rule is not None and self.project is not None, "issue() outside a rule run"
        return Issue(
            code=self.rule.code,
            severity=self.rule.severity,
            message=message,
            location=location,
            project=self.project.name or None,
            params=dict(params or {}),
            fix=fix,
        )


class Row:
    """One indicator row with what many rules ask about it, worked out once per project.

    level1/level2: the names as the catalogue has them (`canonical_levels`); label: how messages name
    the row (`indicator_label`); empty / placeholder / not_applicable: the value is blank, template
    filler (catalogue setting placeholder_words) or an explicit 不适用 (not_applicable_words);
    filled: none of those — the rules that judge a value's content skip the others.
    """

    __slots__ = ("ind", "level1", "level2", "label", "empty", "placeholder", "not_applicable", "filled")

    def __init__(self, ind: Indicator, level1: str | None, level2: str | None, empty: bool, placeholder: bool,
                 not_applicable: bool) -> None:  # fmt: skip
        self.ind = ind
        self.level1 = level1
        self.level2 = level2
        self.label = indicator_label(ind)
        self.empty = empty
        self.placeholder = placeholder
        self.not_applicable = not_applicable
        self.filled = not (empty or placeholder or not_applicable)


def _placeholder_words(ctx: RuleContext) -> frozenset[str]:
    return frozenset(compact(w) for w in ctx.setting("placeholder_words") or ())


def _rows(project: ProjectTarget, ctx: RuleContext) -> list[Row]:
    placeholder_words = ctx.once(_placeholder_words)
    not_applicable_words = ctx.setting_set("not_applicable_words")
    rows = []
    for ind in project.indicators:
        text = compact(ind.value)
        kind = ind.parsed.kind
        level1, level2 = canonical_levels(ind, ctx)
        rows.append(
            Row(
                ind,
                level1,
                level2,
                kind == KIND_EMPTY or not text,
                kind == KIND_PLACEHOLDER or (bool(text) and text in placeholder_words),
                kind == KIND_NOT_APPLICABLE or (bool(text) and text in not_applicable_words),
            )
        )
    return rows


def compact(text: str | None) -> str:
    """Text without any whitespace (PDF extraction and typing scatter spaces)."""
    return "".join((text or "").split())


def indicator_location(project: ProjectTarget, indicator: Indicator, key: str = "value") -> Location:
    """The cell (or line) of an indicator's field; its row, or the project, when that was not recorded."""
    return indicator.locations.get(key) or indicator.locations.get("row") or project.location("name")


# How a message names a row's free-text fields: "产出指标/数量指标/受理留言件次 的指标值".
ROW_FIELD_NAMES = {"level3": "三级指标名称", "value": "指标值"}


def text_place(project: ProjectTarget, field: str, row: Row | None) -> tuple[Location, str]:
    """Where a free-text field is and how a message names it: a header field (row None) by its label,
    a row's name or value as "<row> 的三级指标名称/指标值". Rules ask only for a finding."""
    if row is None:
        return project.location(field), FIELD_LABELS[field]
    return indicator_location(project, row.ind, field), f"{row.label} 的{ROW_FIELD_NAMES[field]}"


def place(location: Location | None) -> str:
    """A location as a message shows it inside its own file: 'sheet'!D13, or 第18行."""
    if location is None:
        return ""
    if location.sheet:
        return f"'{location.sheet}'!{location.cell}" if location.cell else f"'{location.sheet}'"
    return f"第{location.line}行" if location.line else ""


def indicator_label(indicator: Indicator) -> str:
    """How a message names a row: 产出指标/数量指标/受理留言件次."""
    return "/".join(filter(None, (indicator.level1, indicator.level2, indicator.level3))) or "(空行)"


def canonical_levels(indicator: Indicator, ctx: RuleContext) -> tuple[str | None, str | None]:
    """(level one, level two) as the catalogue names them, None where a name is not recognised.

    Level two is returned even when it belongs to another level one (TREE_PAIR reports that).
    """
    if ctx.catalog is None:
        return indicator.level1 or None, indicator.level2 or None
    return ctx.catalog.canonical_levels(indicator.level1, indicator.level2)
