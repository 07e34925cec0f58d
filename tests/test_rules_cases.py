"""Every rule against its data-file cases in tests/fixtures/rules/<CODE>.json (STYLE.md §2, §10).

A case file holds failing projects with the fields the rule must flag (and, in finding order, the
exact `fix` each finding suggests, null for none; without a `fix` list no finding may suggest one),
and passing projects on which it must stay silent. Every rule has at least three of each, including
its boundary: the tolerance just met and just missed, the exactly-equal value, the last part of a
multi-part value. Projects are written compactly as overrides of `_base.json`, a clean
project; `build_project` turns them into records whose every field has its own location (a line
number), so a finding maps back to the field it points at. Tests compare (code, field) keys, never
message text.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from selfeval_cases import apply_selfeval_overrides, build_selfeval

from lubudget_xl.catalog import Catalog, load_catalog
from lubudget_xl.issues import Issue
from lubudget_xl.model import Funds, Indicator, Location, ProjectTarget
from lubudget_xl.rules import REGISTRY, check_projects
from lubudget_xl.values import parse_value

CASES = Path(__file__).resolve().parent / "fixtures" / "rules"
HEADER_KEYS = ("department", "year", "name", "unit", "attribute", "period", "funds.total", "funds.fiscal",
               "funds.other", "goal")


def load_case(code: str) -> dict[str, Any]:
    return json.loads((CASES / f"{code}.json").read_text(encoding="utf-8"))


def base_project() -> dict[str, Any]:
    return json.loads((CASES / "_base.json").read_text(encoding="utf-8"))["project"]


def apply_overrides(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys replace; set_indicators / drop_indicators / add_indicators edit the grid.

    A case file may name the catalogue its projects are checked with ("catalog": "2022-101").
    """
    data = copy.deepcopy(base)
    rows = data["indicators"]
    for index, row in overrides.get("set_indicators", {}).items():
        rows[int(index)] = row
    for index in sorted(overrides.get("drop_indicators", []), reverse=True):
        del rows[index]
    rows.extend(overrides.get("add_indicators", []))
    for key, value in overrides.items():
        if key not in ("set_indicators", "drop_indicators", "add_indicators"):
            data[key] = value
    return data


def build_project(data: dict[str, Any], file: str = "case.json") -> tuple[ProjectTarget, dict[int, str]]:
    """A ProjectTarget from a compact dict, and line → field ("goal", "indicators[3].value")."""
    fields: dict[int, str] = {}

    def loc(field: str) -> Location:
        line = len(fields) + 1
        fields[line] = field
        return Location(file=file, line=line)

    indicators = []
    for i, row in enumerate(data.get("indicators", [])):
        l1, l2, l3, value = row[:4]
        extra = row[4] if len(row) > 4 else {}
        keys = ["row", "level1", "level2", "level3", "value", *[k for k in ("sign", "unit", "note") if k in extra]]
        indicators.append(
            Indicator(
                level1=l1, level2=l2, level3=l3, value=value,
                parsed=parse_value(value, extra.get("sign"), extra.get("unit")),
                sign=extra.get("sign"), unit=extra.get("unit"), note=extra.get("note"),
                locations={k: loc(f"indicators[{i}].{k}") for k in keys},
            )
        )
    funds = data.get("funds", {})
    project = ProjectTarget(
        year=data.get("year"),
        department=data.get("department", ""),
        name=data.get("name", ""),
        unit=data.get("unit", ""),
        attribute=data.get("attribute", ""),
        period=data.get("period"),
        funds=Funds(total=funds.get("total"), fiscal=funds.get("fiscal"), other=funds.get("other"),
                    extra=dict(funds.get("extra", {}))),
        goal=data.get("goal", ""),
        indicators=indicators,
        source_file=file,
        carried={k: float(v) for k, v in data.get("carried", {}).items()},
    )
    project.locations = {key: loc(key) for key in HEADER_KEYS}
    return project, fields


def keys_of(issues: list[Issue], fields: dict[int, str], code: str) -> list[str]:
    return sorted(fields.get(i.location.line or 0, str(i.location)) for i in issues if i.code == code)


def with_overrides(catalog: Catalog, case: dict[str, Any]) -> Catalog:
    """The catalogue with a case's own "settings" (placeholder_words, disabled_rules …) and "form"."""
    if "settings" not in case and "form" not in case:
        return catalog
    data = copy.deepcopy(catalog.data)
    data["settings"] = {**data.get("settings", {}), **case.get("settings", {})}
    data["form"] = {**data.get("form", {}), **case.get("form", {})}
    return Catalog(data)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog("2021")


def test_enough_rules_and_every_rule_has_cases():
    assert len(REGISTRY) >= 20
    files = {p.stem for p in CASES.glob("*.json") if not p.stem.startswith("_")}
    assert set(REGISTRY) <= files, f"rules without a case file: {sorted(set(REGISTRY) - files)}"
    assert files <= set(REGISTRY), f"case files for unknown rules: {sorted(files - set(REGISTRY))}"
    for code in REGISTRY:
        case = load_case(code)
        assert case["code"] == code
        # Target rules: three of each, boundaries included (issue 17). The SELF_* family (绩效自评,
        # new and still growing) is held to one of each until its cases are filled in.
        least = 1 if case.get("form") == "selfeval" else 3
        assert len(case["fail"]) >= least and len(case["pass"]) >= least, f"{code}: needs {least} failing and passing cases"
        if case.get("form") != "selfeval":
            assert "message" in case["fail"][0] and "params" in case["fail"][0], f"{code}: first case pins the message"
        assert all(c["expect"] for c in case["fail"]), f"{code}: a failing case must name the flagged fields"


def test_base_project_is_clean(catalog):
    project, fields = build_project(base_project())
    issues = check_projects([project], catalog)
    assert [(i.code, fields.get(i.location.line or 0)) for i in issues] == []


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_cases(code, catalog):
    case = load_case(code)
    if case.get("form") == "selfeval":
        return check_selfeval_case(case, catalog)
    if "catalog" in case:  # a rule about another form (e.g. 2022-101 with a sign column)
        catalog = load_catalog(case["catalog"])
    for number, fail in enumerate(case["fail"], start=1):
        project, fields = build_project(apply_overrides(base_project(), fail["project"]), f"{code}-fail{number}")
        issues = check_projects([project], with_overrides(catalog, fail), codes=[code])
        assert keys_of(issues, fields, code) == sorted(fail["expect"]), f"{code} failing case {number}"
        # Optional exact values, in finding order: what was found, and the suggested fix (null: none).
        if "found" in fail:
            assert [i.params.get("found") for i in issues] == fail["found"], f"{code} failing case {number}"
        assert [i.fix for i in issues] == fail.get("fix", [None] * len(issues)), f"{code} failing case {number}: fix"
        # The first failing case of each rule pins what the user reads: the message and its parameters.
        if "message" in fail:
            assert [i.message for i in issues] == fail["message"], f"{code} failing case {number}: message"
        if "params" in fail:
            assert [i.params for i in issues] == fail["params"], f"{code} failing case {number}: params"
        for issue in issues:
            assert issue.severity == REGISTRY[code].severity
            assert issue.project == project.name
            assert issue.message and issue.params
    for number, ok in enumerate(case["pass"], start=1):
        project, fields = build_project(apply_overrides(base_project(), ok["project"]), f"{code}-pass{number}")
        issues = check_projects([project], with_overrides(catalog, ok), codes=[code])
        assert keys_of(issues, fields, code) == [], f"{code} passing case {number}"


def test_base_selfeval_is_clean(catalog):
    evaluation, fields = build_selfeval(apply_selfeval_overrides(base_project(), {}), build_project)
    issues = check_projects([evaluation], catalog)
    assert [(i.code, fields.get(i.location.line or 0)) for i in issues] == []


def check_selfeval_case(case: dict[str, Any], catalog) -> None:
    """A self-evaluation case: flagged fields, and the exact fix each finding suggests."""
    code = case["code"]
    for number, fail in enumerate(case["fail"], start=1):
        data = apply_selfeval_overrides(base_project(), fail["project"])
        project, fields = build_selfeval(data, build_project, f"{code}-fail{number}")
        issues = check_projects([project], catalog, codes=[code])
        assert keys_of(issues, fields, code) == sorted(fail["expect"]), f"{code} failing case {number}"
        fixes = {fields.get(i.location.line or 0): i.fix for i in issues}
        assert fixes == {f: fail["fix"].get(f) for f in fail["expect"]}, f"{code} failing case {number}: fix"
        for issue in issues:
            assert issue.severity == REGISTRY[code].severity and issue.project == project.name
            assert issue.message and issue.params
        # the target rules stay silent on a self-evaluation, and SELF_* on a target
        assert not [i for i in check_projects([project], catalog) if not i.code.startswith("SELF_")]
    for number, ok in enumerate(case["pass"], start=1):
        data = apply_selfeval_overrides(base_project(), ok["project"])
        project, fields = build_selfeval(data, build_project, f"{code}-pass{number}")
        issues = check_projects([project], catalog, codes=[code])
        assert keys_of(issues, fields, code) == [], f"{code} passing case {number}"
