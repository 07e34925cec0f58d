"""Two budget years end to end (issue 14, item 6): 30 department files of 2022 with the usual
accidents, checked, consolidated, returned; the 2023 catalogue made; recurring projects rolled over,
filled again and consolidated again. Every count reconciles, the exact findings about the cycle are
asserted, and nothing is counted twice (funds recomputed independently from the files)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lubudget_xl.cli.demo_steps_yearcycle import run_cycle
from lubudget_xl.duplicates import project_key
from lubudget_xl.loading import load_any
from lubudget_xl.rules import REGISTRY


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    return run_cycle(tmp_path_factory.mktemp("cycle"))


def _name(path) -> str:
    return Path(path).name


def test_year_one_files_and_the_exact_findings_about_them(cycle):
    y = cycle.year1
    assert y.files == 30
    assert y.statuses == Counter({"ok": 26, "duplicate_file": 1, "other_year": 1, "empty": 1, "failed": 1})
    inbox = cycle.inbox
    copied, similar = _name(inbox["copied"][0]), _name(inbox["similar"][0])
    assert y.cycle_findings == sorted([
        ("BATCH_DUPLICATE_FILE", _name(inbox["renamed"][0]), ""),
        ("BATCH_DUPLICATE_PROJECT", copied, y.cycle_findings[1][2]),  # the copied sheet (openpyxl named it)
        ("BATCH_DUPLICATE_PROJECT", similar, inbox["spaced"][0]),
        ("BATCH_OTHER_YEAR", _name(inbox["old"][0]), ""),
        ("BATCH_SIMILAR_PROJECT", similar, inbox["near"][0]),
        ("FILE_UNREADABLE", _name(inbox["broken"][0]), ""),
        ("READ_NO_PROJECT", _name(inbox["blank"][0]), ""),
    ])  # fmt: skip
    assert y.cycle_findings[1][2] != "" and y.cycle_findings[1][1] == copied
    # `check` on the same inbox tells each department the same before it submits
    assert y.check_findings == sorted([
        ("FILE_DUPLICATE_PROJECT", copied, y.cycle_findings[1][2]),
        ("FILE_DUPLICATE_PROJECT", similar, inbox["spaced"][0]),
        ("FILE_SIMILAR_PROJECT", similar, inbox["near"][0]),
        ("FILE_UNREADABLE", _name(inbox["broken"][0]), ""),
        ("READ_NO_PROJECT", _name(inbox["blank"][0]), ""),
    ])  # fmt: skip
    assert y.rule_findings > 0


def test_year_one_counts_reconcile_and_nothing_is_counted_twice(cycle):
    y, inbox = cycle.year1, cycle.inbox
    assert y.rows_read == y.rows_counted + y.rows_excluded
    counted: dict[tuple[str, str], float] = {}
    for path in [*inbox["ordinary"], *inbox["copied"], *inbox["similar"]]:  # the files counted, read again
        for project in load_any(path).projects:
            counted.setdefault(project_key(project.name, project.unit, project.department), project.funds.total)
    assert y.projects_counted == len(counted)
    assert y.funds_counted == pytest.approx(sum(counted.values())) == pytest.approx(cycle.expected_funds_year1)
    every_copy = sum(len(load_any(p).projects) for p in [*inbox["ordinary"], *inbox["copied"], *inbox["similar"]])
    assert every_copy - y.projects_counted == 2  # the two copied sheets, each left out once


def test_year_one_return_lists_go_to_who_must_act(cycle):
    y, inbox = cycle.year1, cycle.inbox
    old_department = load_any(inbox["old"][0]).projects[0].department
    assert y.feedback[old_department] == ["BATCH_OTHER_YEAR"]  # an error, in that department's list
    assert sorted(y.feedback[""]) == ["FILE_UNREADABLE", "READ_NO_PROJECT"]  # no department: the reviewer's
    copied = load_any(inbox["copied"][0]).projects[0].department
    assert "BATCH_DUPLICATE_PROJECT" in y.feedback[copied]
    assert f"退回修改_{old_department}.xlsx" in y.feedback_books
    everything = [code for codes in y.feedback.values() for code in codes]
    assert "READ_TEMPLATE_YEAR" not in everything and "CATALOG_YEAR_MISSING" not in everything
    assert "FILE_NO_PROJECTS" not in everything


def test_year_two_starts_with_the_catalogue_and_rolls_what_was_counted(cycle):
    assert "lubudget catalog new --year 2023" in cycle.refused_before_catalogue
    assert cycle.catalogue == "anhui-88-2023.1"
    assert cycle.carried + cycle.not_carried == cycle.year1.projects_counted
    y = cycle.year2
    assert y.statuses == Counter({"ok": y.files}) and y.files > 10
    assert y.projects_counted == cycle.carried
    assert y.rows_excluded == 0 and y.rows_read == y.rows_counted
    assert y.funds_counted == pytest.approx(cycle.expected_funds_year2)
    near = cycle.inbox["near"][0]
    similar = [f for f in y.cycle_findings if f[0] == "BATCH_SIMILAR_PROJECT"]
    assert y.cycle_findings == similar and all(f[2] == near for f in similar)  # nothing else about the cycle
    assert [f for f in y.check_findings if f[0] != "FILE_SIMILAR_PROJECT"] == []
    assert all(code in REGISTRY or code.startswith("BATCH_SIMILAR") for codes in y.feedback.values() for code in codes)
