"""The rule registry: one function per check, registered under a permanent code (STYLE.md §1, §5).

A rule is `fn(project, ctx) -> Iterable[Issue]`. `@rule(CODE, Severity.X)` puts it into `REGISTRY`
(a plain dict, in import order). Registration fails at import time when a code is malformed or
already taken, or when the docstring lacks the four headings the generated docs need — a broken
rule set must never reach a reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from lubudget_xl.catalog import Catalog
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, Location, ProjectTarget

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
DOC_HEADINGS = ("检查内容", "为什么", "错误示例", "正确示例")

# Settings every rule may read; a catalogue's `settings` override them (policy, RULES.md).
DEFAULT_SETTINGS: dict[str, Any] = {
    "satisfaction_floor": 90,
    "fund_tolerance": 0.005,
    "required_level2": ["数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"],
    # Level twos whose rows must be quantified (sign, number, unit): 88号 细化量化.
    "quantified_level2": ["数量指标", "成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标"],
    # Level twos that should be quantified where possible (warning only).
    "quantify_where_possible_level2": ["质量指标", "时效指标"],
    # Level twos whose values are money: summed against the funds total.
    "cost_level2": ["成本指标", "经济成本指标"],
    "satisfaction_level1": ["满意度指标"],
    "benefit_level1": ["效益指标"],
    # Words that make a value a slogan when nothing measurable or graded stands beside them.
    "vague_words": ["进一步", "提高", "提升", "明显", "有效", "确保", "保障", "促进", "积极", "充分", "更好", "加强", "推动", "推进"],
    # Words that make a qualitative value gradable (优/良/中/差, 达成 …).
    "grade_words": ["优", "良好", "合格", "达标", "达成", "通过", "验收", "较好", "一般", "差"],
    "not_applicable_words": ["不适用", "本项目不适用此指标", "无"],
    "disabled_rules": [],
}


def effective_settings(catalog: Catalog | None) -> dict[str, Any]:
    """Defaults overlaid with the catalogue's settings (the catalogue may carry only some keys)."""
    merged = dict(DEFAULT_SETTINGS)
    if catalog is not None:
        merged.update(catalog.settings or {})
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
        """The first line of 检查内容: what the generated table shows."""
        return self.doc["检查内容"].splitlines()[0].strip()


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


def indicator_label(indicator: Indicator) -> str:
    """How a message names a row: 产出指标/数量指标/受理留言件次."""
    return "/".join(part for part in (indicator.level1, indicator.level2, indicator.level3) if part) or "(空行)"


def canonical_levels(indicator: Indicator, ctx: RuleContext) -> tuple[str | None, str | None]:
    """(level one, level two) as the catalogue names them, None where a name is not recognised.

    Level two is returned even when it belongs to another level one (TREE_PAIR reports that).
    """
    if ctx.catalog is None:
        return indicator.level1 or None, indicator.level2 or None
    l1 = ctx.catalog.normalize_level1(indicator.level1)
    pair = ctx.catalog.normalize_level2(indicator.level2, l1)
    return l1, (pair[1] if pair else None)
