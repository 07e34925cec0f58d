"""Rollover across trees keeps every cell (issue 14, item 3): 88号→88号, 88号→101号, 101号→101号.

Each path rolls the seed (or a rolled 101号 book) forward, checks the source with its catalogue and
the result with the new one, and compares the findings by (code, project, field or row): the rolled
workbook may only add what rollover means to add — FUNDS_CARRIED (last year's money, to confirm) —
and, into a form with a sign column, VALUE_SIGN_REQUIRED on exactly the rows the rollover reported
as ROLLOVER_VALUE_NOT_SPLIT (no sign written last year: only the department knows it).
"""

from __future__ import annotations

import pytest
from conftest import SEED, run_cli
from rollover_diff import finding_keys

from lubudget_xl.catalog import load_catalog
from lubudget_xl.checking import check_file
from lubudget_xl.loading import load_any
from lubudget_xl.rollover import rollover
from lubudget_xl.rollover.workbook import write_rollover_workbook


def _roll(source, source_catalog, target, to_year, out):
    """Roll `source` into `target`; (source outcome, rolled outcome, rollover findings keyed on the source)."""
    src = check_file(source, source_catalog)
    result = rollover(load_any(source, source_catalog).projects, target, to_year)
    write_rollover_workbook(result.projects, target, out, to_year - 1)
    rolled = check_file(out, target)
    assert rolled.catalog.version == target.version and not [i for i in rolled.issues if i.code.startswith("READ_")]
    return src, rolled, finding_keys(src.projects, result.issues), result


def _new_findings(src, rolled):
    return finding_keys(rolled.projects, rolled.issues) - finding_keys(src.projects, src.issues)


def _back(text: str) -> str:
    """A rolled text with its budget year (2022) moved back, to compare with last year's (2021)."""
    return text.replace("2022", "2021")


def _rows(outcome):
    return [(p.name, n, ind) for p in outcome.projects for n, ind in enumerate(p.indicators)]


def test_88_to_88_adds_nothing_but_the_funds_to_confirm(tmp_path):
    src, rolled, notes, _ = _roll(SEED, load_catalog("2021"), load_catalog("2022"), 2022, tmp_path / "r.xlsx")
    assert {k[0] for k in _new_findings(src, rolled)} == {"FUNDS_CARRIED"}
    assert not [k for k in notes if k[0] == "ROLLOVER_VALUE_NOT_SPLIT"]  # no sign column: nothing to split
    carried = [(name, n, ind.value) for name, n, ind in _rows(rolled)]
    assert len(carried) == len(_rows(src))


def test_88_to_101_splits_values_into_sign_and_unit_and_reports_the_rest(tmp_path):
    src, rolled, notes, result = _roll(SEED, load_catalog("2021"), load_catalog("2022-101"), 2022, tmp_path / "r.xlsx")
    new = _new_findings(src, rolled)
    not_split = {(project, where) for code, project, where in notes if code == "ROLLOVER_VALUE_NOT_SPLIT"}
    sign_required = {(project, where) for code, project, where in new if code == "VALUE_SIGN_REQUIRED"}
    assert not_split and sign_required == not_split  # each one reported by the rollover, none silent
    assert {k[0] for k in new} == {"FUNDS_CARRIED", "VALUE_SIGN_REQUIRED"}
    # every cell kept: the rolled row means what last year's cell said, now over three columns
    rolled_rows = {(name, n): ind for name, n, ind in _rows(rolled)}
    split = 0
    for name, n, ind in _rows(src):
        after = rolled_rows[(name, n)]
        before = ind.parsed
        if before.kind == "qualitative":
            assert after.sign == "定性" and _back(after.value) == ind.value
        elif before.kind == "quantitative" and (name, f"row {n}") not in not_split:
            assert (after.parsed.sign, after.parsed.number, after.parsed.unit) == (before.sign, before.number, before.unit)
            assert after.sign == before.sign and (after.unit or "") == (before.unit or "")
            split += after.value != ind.value  # ≥95% → 95: the number alone in the value column
        else:  # not split (reported), placeholders, blanks: the text as it was (its budget year moved on)
            assert _back(after.value) == ind.value
    assert split >= 10
    by_value = {ind.value: after for (name, n, ind) in _rows(src) for after in [rolled_rows[(name, n)]]}
    assert (by_value["≥90%"].sign, by_value["≥90%"].value, by_value["≥90%"].unit) == ("≥", "90", "%")
    assert (by_value["95%以上"].sign, by_value["95%以上"].value, by_value["95%以上"].unit) == ("≥", "95", "%")
    assert {o.name for o in result.outcomes if o.carried} == {p.name for p in rolled.projects}
    assert all(p.competent_department == p.department for p in rolled.projects)  # prefilled, and reported
    assert sum(1 for k in notes if k[0] == "ROLLOVER_FIELD_PREFILLED") == len(rolled.projects)


def test_101_to_101_adds_nothing(tmp_path):
    first = tmp_path / "2022-101.xlsx"
    _roll(SEED, load_catalog("2021"), load_catalog("2022-101"), 2022, first)
    catalog_file = tmp_path / "2023-101.json"
    made = run_cli("catalog", "new", "--year", "2023", "--from", "2022-101", "-o", str(catalog_file))
    assert made.returncode == 0, made.stderr.decode()
    src, rolled, notes, _ = _roll(first, load_catalog("2022-101"), load_catalog(catalog_file), 2023, tmp_path / "r.xlsx")
    assert _new_findings(src, rolled) == set()
    assert not [k for k in notes if k[0] == "ROLLOVER_ROW_UNMAPPED"]
    # rows still without sign and unit (several quantities in one cell, left for the department last
    # time) are reported again, and they are exactly rows the source was already flagged for
    still = {(p, w) for c, p, w in notes if c == "ROLLOVER_VALUE_NOT_SPLIT"}
    assert still <= {(p, w) for c, p, w in finding_keys(src.projects, src.issues) if c == "VALUE_SIGN_REQUIRED"}
    before = [(name, n, ind.sign, ind.value, ind.unit) for name, n, ind in _rows(src)]
    after = [(name, n, ind.sign, ind.value.replace("2023", "2022"), ind.unit) for name, n, ind in _rows(rolled)]
    assert after == before  # every cell as it was, the budget year moved on


@pytest.mark.parametrize("catalog", ["2022-101"])
def test_fill_migrate_splits_too(tmp_path, catalog):
    out = tmp_path / "f.xlsx"
    done = run_cli("fill", str(SEED), "--catalog", catalog, "--migrate", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    rolled = check_file(out, load_catalog(catalog))
    source = check_file(SEED, load_catalog("2021"))
    signs = [ind.sign for _, _, ind in _rows(rolled)]
    assert signs.count("定性") == sum(ind.parsed.kind == "qualitative" for _, _, ind in _rows(source))
    quantified = [ind for _, _, ind in _rows(source) if ind.parsed.kind == "quantitative"]
    with_sign = [ind for ind in quantified if ind.parsed.sign and len(ind.parsed.parts) == 1]
    assert len(with_sign) >= 15 and sum(s in ("≥", "≤", "＝", "＞", "＜") for s in signs) == len(with_sign)
