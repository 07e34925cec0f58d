"""The corpus of real published forms (tests/fixtures/real): list it, load expectations, score a reading.

Shared by the corpus tests and benchmarks/real_forms.py. `compare` counts the fields a reading got
right against the hand-written expectation; it normalises only whitespace and full-width/half-width
brackets and colons, so a reader that rewrites what the form prints (drops a score suffix, maps a
level name onto the catalogue) scores as wrong. See tests/fixtures/real/README.md for the schema.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lubudget_xl.errors import UserError
from lubudget_xl.read_result import ReadResult

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real"
WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods")
HEADER_KINDS = ("name", "department", "unit", "year", "funds.total", "funds.fiscal", "funds.other", "goal")
CELL_KINDS = ("level1", "level2", "level3", "value")
FIELD_KINDS = HEADER_KINDS + CELL_KINDS
REFUSALS = ("department_overall", "self_evaluation", "budget_table", "other")
# Issue 12: 部门整体支出绩效目标表 and 绩效自评表 are refused "with a message that says what they are".
REFUSAL_WORDS = {"department_overall": ("部门整体",), "self_evaluation": ("自评",), "budget_table": ("预算表",)}
REQUIRED_KEYS = ("kind", "address", "province", "city_or_body", "found_with")
TARGET_KEYS = ("year", "layout", "projects")
PROJECT_KEYS = ("name", "department", "unit", "funds", "indicators", "extra")

_WIDTH = str.maketrans("\uff08\uff09\uff3b\uff3d\uff5b\uff5d\uff1a", "()[]{}:")
_SPACE = re.compile(r"\s+")


def norm(text: object) -> str:
    """The comparison form of a printed cell: no whitespace, half-width brackets and colons."""
    return _SPACE.sub("", str(text)).translate(_WIDTH)


@dataclass(frozen=True)
class Fixture:
    """One corpus entry: `<slug>.txt` as the search tool returned it, `<slug>.json` the expectation."""

    slug: str
    expected: dict[str, Any]

    @property
    def text(self) -> Path:
        return FIXTURES / f"{self.slug}.txt"

    @property
    def is_target(self) -> bool:
        return self.expected["kind"] == "target"

    @property
    def workbooks(self) -> list[Path]:
        """The workbooks rebuilt from this fixture's grid (build_workbooks.py), those that exist."""
        return [p for s in WORKBOOK_SUFFIXES if (p := FIXTURES / f"{self.slug}{s}").exists()]

    @property
    def sources(self) -> list[Path]:
        return [self.text, *self.workbooks]


def load_expected(slug: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{slug}.json").read_text(encoding="utf-8"))


def fixtures() -> list[Fixture]:
    """Every fixture, sorted by slug (targets and negatives)."""
    return [Fixture(p.stem, load_expected(p.stem)) for p in sorted(FIXTURES.glob("*.json"))]


@dataclass
class Score:
    """What one reading of one source got right. Targets count fields; negatives count a refusal."""

    source: str
    target: bool
    right: Counter = field(default_factory=Counter)
    expected: Counter = field(default_factory=Counter)
    projects_expected: int = 0
    projects_read: int = 0
    rows_expected: int = 0
    rows_read: int = 0
    errors_reported: int = 0
    error: str | None = None
    misses: list[str] = field(default_factory=list)

    @property
    def fields_right(self) -> int:
        return sum(self.right.values())

    @property
    def fields_expected(self) -> int:
        return sum(self.expected.values())

    @property
    def silent_loss(self) -> bool:
        """Fewer indicator rows read than the form prints, and no error finding says so."""
        return (
            self.target
            and self.error is None
            and self.rows_read < self.rows_expected
            and not self.errors_reported
        )

    @property
    def refused(self) -> bool:
        """Reading raised a UserError or gave no project: the right answer for a negative."""
        return self.error is not None or self.projects_read == 0

    def names_the_refusal(self, refusal: str) -> bool | None:
        """Whether the refusal message says what the document is (None where no wording is asked for)."""
        words = REFUSAL_WORDS.get(refusal)
        if words is None:
            return None
        return bool(self.error) and any(w in self.error for w in words)

    def _count(self, kind: str, ok: bool, want: object, got: object) -> None:
        self.expected[kind] += 1
        if ok:
            self.right[kind] += 1
        else:
            self.misses.append(f"{kind}: expected {want!r}, read {got!r}")


def _same_amount(want: float, got: float | None) -> bool:
    return got is not None and abs(float(want) - float(got)) < 1e-6


def _same_value(want: str, ind: Any) -> bool:
    """The printed value, or the value with its separate sign and unit columns put back."""
    joined = f"{ind.sign or ''}{ind.value}{ind.unit or ''}"
    return norm(want) in (norm(ind.value), norm(joined))


def _same_level(want: str, ind: Any, kind: str) -> bool:
    """A level name read as printed, or mapped onto the catalogue's tree with the print kept in
    `extra`; notes and scores ("成本指标(0-20)分") are not part of the name (issue 12, item 1)."""
    from lubudget_xl.catalog import clean_name

    read = getattr(ind, kind)
    printed = getattr(ind, "extra", {}).get(f"{'一' if kind == 'level1' else '二'}级指标(原文)")
    return norm(want) in (norm(read), norm(printed)) or clean_name(norm(want)) == read


def _pick(read: list[Any], used: set[int], name: str) -> Any | None:
    """The read project with the expected name, else the first one not yet matched."""
    free = [i for i in range(len(read)) if i not in used]
    for i in free:
        if norm(read[i].name) == norm(name):
            used.add(i)
            return read[i]
    if free:
        used.add(free[0])
        return read[free[0]]
    return None


def _score_project(score: Score, want: dict[str, Any], got: Any | None, year: int | None) -> None:
    tag = f"[{want['name'][:16]}] "
    before = len(score.misses)
    checks: list[tuple[str, object, object, bool]] = []
    if got is None:
        got_fields: dict[str, object] = {}
    else:
        got_fields = {
            "name": got.name,
            "department": got.department,
            "unit": got.unit,
            "year": got.year,
            "funds.total": got.funds.total,
            "funds.fiscal": got.funds.fiscal,
            "funds.other": got.funds.other,
            "goal": got.goal,
        }
    for kind in ("name", "department", "unit"):
        if want.get(kind) is not None:
            checks.append(
                (kind, want[kind], got_fields.get(kind), norm(want[kind]) == norm(got_fields.get(kind, "")))
            )
    if year is not None:
        checks.append(("year", year, got_fields.get("year"), got_fields.get("year") == year))
    for part in ("total", "fiscal", "other"):
        amount = want["funds"].get(part)
        if amount is not None:
            kind = f"funds.{part}"
            checks.append((kind, amount, got_fields.get(kind), _same_amount(amount, got_fields.get(kind))))
    read_goal = norm(got_fields.get("goal", ""))
    if want.get("goal") is not None:
        checks.append(("goal", want["goal"], got_fields.get("goal"), read_goal == norm(want["goal"])))
    elif want.get("goal_prefix") is not None:
        ok = bool(read_goal) and read_goal.startswith(norm(want["goal_prefix"]))
        checks.append(("goal", want["goal_prefix"] + "…", got_fields.get("goal"), ok))
    for kind, w, g, ok in checks:
        score._count(kind, ok, w, g)
    indicators = list(got.indicators) if got is not None else []
    for n, row in enumerate(want["indicators"]):
        ind = indicators[n] if n < len(indicators) else None
        for kind, cell in zip(CELL_KINDS, row, strict=True):
            if cell is None:
                continue
            if ind is None:
                score._count(kind, False, cell, None)
            elif kind == "value":
                score._count(kind, _same_value(cell, ind), cell, ind.value)
            elif kind in ("level1", "level2"):
                score._count(kind, _same_level(cell, ind, kind), cell, getattr(ind, kind))
            else:
                read_cell = getattr(ind, kind)
                score._count(kind, norm(cell) == norm(read_cell), cell, read_cell)
    score.misses[before:] = [tag + m for m in score.misses[before:]]


def compare(result: ReadResult | UserError, expected: dict[str, Any], source: str = "") -> Score:
    """Score one reading (or the UserError it raised) against a fixture's expectation.

    Header fields and indicator cells are counted only where the expectation is not null; indicators
    are matched by order, projects by name (else by order).
    """
    target = expected["kind"] == "target"
    score = Score(source=source or getattr(result, "file", ""), target=target)
    if isinstance(result, UserError):
        score.error = str(result)
        read: list[Any] = []
    else:
        read = list(result.projects)
        score.projects_read = len(read)
        score.rows_read = result.rows_read
        score.errors_reported = sum(1 for issue in result.issues if issue.severity == "error")
    if not target:
        return score
    score.projects_expected = len(expected["projects"])
    score.rows_expected = sum(len(p["indicators"]) for p in expected["projects"])
    used: set[int] = set()
    for want in expected["projects"]:
        _score_project(score, want, _pick(read, used, want["name"]), expected.get("year"))
    return score


def read_and_compare(path: Path, expected: dict[str, Any]) -> Score:
    """Read `path` with the toolkit's dispatcher and score it; a UserError is a refusal."""
    from lubudget_xl.loading import load_any

    try:
        result: ReadResult | UserError = load_any(path)
    except UserError as err:
        result = err
    return compare(result, expected, source=path.name)
