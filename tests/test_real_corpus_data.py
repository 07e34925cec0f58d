"""The corpus of real forms is itself sound: every fixture has its text and a well-formed expectation.

These tests check the data (tests/fixtures/real), not the readers: how well the readers read it is
measured by benchmarks/real_forms.py.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from numbers import Real

import openpyxl
import pytest
from real_corpus import (
    FIXTURES,
    PROJECT_KEYS,
    REFUSALS,
    REQUIRED_KEYS,
    TARGET_KEYS,
    fixtures,
    load_expected,
    norm,
)

CORPUS = fixtures()
TARGETS = [f for f in CORPUS if f.is_target]
NEGATIVES = [f for f in CORPUS if not f.is_target]
UNKNOWN_PROVINCE = "不详"


def test_corpus_size_and_spread():
    """Issue 12: at least 25 real target tables from at least 8 provinces, and real negatives of each kind."""
    provinces = {f.expected["province"] for f in TARGETS} - {UNKNOWN_PROVINCE}
    assert len(TARGETS) >= 25, len(TARGETS)
    assert len(provinces) >= 8, sorted(provinces)
    assert len(NEGATIVES) >= 4, len(NEGATIVES)
    assert {f.expected["refusal"] for f in NEGATIVES} == set(REFUSALS)


def test_addresses_are_distinct():
    addresses = [f.expected["address"] for f in CORPUS]
    assert len(addresses) == len(set(addresses))


def test_every_text_has_an_expectation_and_back():
    texts = {p.stem for p in FIXTURES.glob("*.txt")}
    expectations = {p.stem for p in FIXTURES.glob("*.json")}
    assert texts == expectations


@pytest.mark.parametrize("fx", CORPUS, ids=lambda f: f.slug)
def test_text_is_nonempty_utf8(fx):
    raw = fx.text.read_bytes()
    text = raw.decode("utf-8")  # raises on anything but UTF-8
    assert text.strip()
    assert "\ufffd" not in text


@pytest.mark.parametrize("fx", CORPUS, ids=lambda f: f.slug)
def test_expectation_has_the_required_keys(fx):
    exp = json.loads((FIXTURES / f"{fx.slug}.json").read_text(encoding="utf-8"))
    for key in REQUIRED_KEYS:
        assert exp.get(key), key
    assert exp["address"].startswith(("http://", "https://"))
    assert exp["kind"] in ("target", "not_target")
    if exp["kind"] == "not_target":
        assert exp["refusal"] in REFUSALS
        assert exp["why"].strip()
        assert "projects" not in exp
        return
    for key in TARGET_KEYS:
        assert key in exp, key
    assert exp["year"] is None or isinstance(exp["year"], int)
    assert exp["layout"] and all(isinstance(w, str) and w for w in exp["layout"])
    assert isinstance(exp.get("truncated", False), bool)
    assert exp["projects"]
    for project in exp["projects"]:
        for key in PROJECT_KEYS:
            assert key in project, key
        assert project["name"].strip()
        assert ("goal" in project) != ("goal_prefix" in project), "one of goal / goal_prefix"
        assert set(project["funds"]) == {"total", "fiscal", "other"}
        for amount in project["funds"].values():
            assert amount is None or (isinstance(amount, Real) and not isinstance(amount, bool))
        assert project["indicators"], "a target project has indicator rows"
        for row in project["indicators"]:
            assert isinstance(row, list) and len(row) == 4, row
            assert all(cell is None or (isinstance(cell, str) and cell.strip()) for cell in row), row
            assert any(row), "an indicator row expects at least one cell"
        assert all(isinstance(label, str) and label for label in project["extra"])


@pytest.mark.parametrize("fx", TARGETS, ids=lambda f: f.slug)
def test_expected_cells_are_printed_in_the_text(fx):
    """Expectations are read off the text: each expected string is in it (whitespace aside)."""
    text = norm(fx.text.read_text(encoding="utf-8"))
    for project in fx.expected["projects"]:
        strings = [project["name"], project.get("goal") or project.get("goal_prefix")]
        strings += [project[k] for k in ("department", "unit") if project[k]]
        strings += [cell for row in project["indicators"] for cell in row if cell]
        missing = [s for s in strings if norm(s) not in text]
        assert not missing, missing


def test_readme_lists_every_fixture():
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    missing = [f.slug for f in CORPUS if f"| {f.slug} |" not in readme]
    assert not missing, missing


def _builder():
    spec = importlib.util.spec_from_file_location("build_workbooks", FIXTURES / "build_workbooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()
GRIDS = BUILDER.grids()


def test_a_third_of_the_targets_are_rebuilt_as_workbooks_in_every_format():
    rebuilt = {g.slug for g in GRIDS}
    assert rebuilt <= {f.slug for f in TARGETS}
    assert 3 * len(rebuilt) >= len(TARGETS), (len(rebuilt), len(TARGETS))
    formats = {fmt for g in GRIDS for fmt in g.formats}
    assert {"xlsx", "xls", "ods"} <= formats


def test_every_workbook_the_builder_lists_exists():
    planned = BUILDER.planned_workbooks()
    assert planned
    missing = [p.name for p in planned if not p.exists() or p.stat().st_size == 0]
    assert not missing, missing
    stray = {p.name for s in ("*.xlsx", "*.xls", "*.ods") for p in FIXTURES.glob(s)} - {
        p.name for p in planned
    }
    assert not stray, stray


@pytest.mark.parametrize("grid", GRIDS, ids=lambda g: g.slug)
def test_committed_xlsx_holds_its_grid(grid):
    """The committed .xlsx has exactly the grid's cells and merged ranges (rebuild with build_workbooks.py)."""
    ws = openpyxl.load_workbook(FIXTURES / f"{grid.slug}.xlsx").active
    assert ws.title == grid.sheet
    merges = {(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for r0, c0, r1, c1 in BUILDER.merged_ranges(grid.rows)}
    assert {(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges} == merges
    for r, row in enumerate(grid.rows, start=1):
        for c, cell in enumerate(row, start=1):
            expected = None if cell in ("", "<", "^") else BUILDER._value(cell)
            assert ws.cell(row=r, column=c).value == expected, (r, c)


@pytest.mark.parametrize("grid", GRIDS, ids=lambda g: g.slug)
def test_grid_prints_what_the_expectation_expects(grid):
    """A rebuilt workbook is scored against the same expectation as its text: every expected cell is in it."""
    cells = {norm(c) for row in grid.rows for c in row}
    joined = "".join(norm(c) for row in grid.rows for c in row)
    for project in load_expected(grid.slug)["projects"]:
        for row in project["indicators"]:
            for cell in row:
                assert cell is None or norm(cell) in cells, cell
        for key in ("name", "unit", "department"):
            if project[key]:
                assert norm(project[key]) in joined, project[key]
