"""The corpus of real forms is itself sound: every fixture has its text and a well-formed expectation.

These tests check the data (tests/fixtures/real), not the readers: how well the readers read it is
measured by benchmarks/real_forms.py.
"""

from __future__ import annotations

import json
from numbers import Real

import pytest
from real_corpus import (
    FIXTURES,
    PROJECT_KEYS,
    REFUSALS,
    REQUIRED_KEYS,
    TARGET_KEYS,
    fixtures,
    norm,
)

CORPUS = fixtures()
TARGETS = [f for f in CORPUS if f.is_target]
NEGATIVES = [f for f in CORPUS if not f.is_target]


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
            assert row[3] is not None, "every indicator has a value"
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
