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
from dataclasses import dataclass, field, replace
from typing import Any

from lubudget_xl.catalog import DEFAULT_SETTINGS as CATALOG_DEFAULTS
from lubudget_xl.catalog import Catalog
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, Location, ProjectTarget

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
    merged = copy.deepcopy(DEFAULT_SETTINGS)
    if catalog is not None:
        merged.update(catalog.settings)
    return merged


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    func: Callable[[ProjectTarget, RuleContext], Iterable[Issue]]
    family: str
    doc: dict[str, str]

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


@dataclass(frozen=True)
class RuleContext:
    """What a rule may consult besides the project: the catalogue and the effective settings.

    `for_rule` gives each rule its own view so `issue()` stamps the right code and severity.
    """

    catalog: Catalog | None
    settings: dict[str, Any] = field(default_factory=dict)
    rule: Rule | None = None
    project: ProjectTarget | None = None

    @classmethod
    def create(cls, catalog: Catalog | None) -> RuleContext:
        return cls(catalog=catalog, settings=effective_settings(catalog))

    def for_rule(self, rule_: Rule, project: ProjectTarget) -> RuleContext:
        return replace(self, rule=rule_, project=project)

    def setting(self, key: str) -> Any:
        return self.settings.get(key, DEFAULT_SETTINGS.get(key))

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


def indicator_location(project: ProjectTarget, indicator: Indicator, key: str = "value") -> Location:
    """The cell (or line) of an indicator's field; its row, or the project, when that was not recorded."""
    return indicator.locations.get(key) or indicator.locations.get("row") or project.location("name")


def place(location: Location | None) -> str:
    """A location as a message shows it inside its own file: 'sheet'!D13, or 第18行."""
    if location is None:
        return ""
    if location.sheet:
        return f"'{location.sheet}'!{location.cell}" if location.cell else f"'{location.sheet}'"
    return f"第{location.line}行" if location.line else ""


def indicator_label(indicator: Indicator) -> str:
    """How a message names a row: 产出指标/数量指标/受理留言件次."""
    return "/".join(part for part in (indicator.level1, indicator.level2, indicator.level3) if part) or "(空行)"


def canonical_levels(indicator: Indicator, ctx: RuleContext) -> tuple[str | None, str | None]:
    """(level one, level two) as the catalogue names them, None where a name is not recognised.

    Level two is returned even when it belongs to another level one (TREE_PAIR reports that).
    """
    if ctx.catalog is None:
        return indicator.level1 or None, indicator.level2 or None
    return ctx.catalog.canonical_levels(indicator.level1, indicator.level2)
