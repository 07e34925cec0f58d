"""The registry refuses broken rules at import, and the rules package stays free of heavy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import lubudget_xl.rules as rules
from lubudget_xl.issues import Severity
from lubudget_xl.rules._registry import CODE_PATTERN, DOC_HEADINGS, REGISTRY, rule

GOOD_DOC = """
检查内容:
测试。
为什么:
测试。
错误示例:
甲。
正确示例:
乙。
"""


def _fn(doc: str | None):
    def check(project, ctx):
        return []

    check.__doc__ = doc
    return check


def test_duplicate_code_fails():
    with pytest.raises(ValueError, match="duplicate rule code FUNDS_SUM"):
        rule("FUNDS_SUM", Severity.ERROR)(_fn(GOOD_DOC))


@pytest.mark.parametrize("code", ["funds_sum", "FUNDS", "FUNDS-SUM", "1_FUNDS", "FUNDS__SUM", ""])
def test_malformed_code_fails(code):
    with pytest.raises(ValueError, match="malformed rule code"):
        rule(code, Severity.ERROR)


def test_docstring_needs_every_heading():
    with pytest.raises(ValueError, match="正确示例"):
        rule("TEST_NO_PASSING_EXAMPLE", Severity.INFO)(_fn(GOOD_DOC.replace("正确示例:\n乙。", "")))
    with pytest.raises(ValueError, match="missing docstring"):
        rule("TEST_NO_DOC", Severity.INFO)(_fn(None))
    assert "TEST_NO_PASSING_EXAMPLE" not in REGISTRY and "TEST_NO_DOC" not in REGISTRY


def test_registry_is_ordered_by_family_and_complete():
    assert len(REGISTRY) >= 20
    families = [r.family for r in REGISTRY.values()]
    order = [f for f in rules.FAMILIES if f in families]
    assert families == sorted(families, key=order.index), "rules must come family by family in FAMILIES order"
    for code, r in REGISTRY.items():
        assert CODE_PATTERN.match(code) and r.code == code
        assert all(r.doc[h] for h in DOC_HEADINGS)


def test_rule_modules_are_small():
    for path in Path(rules.__file__).parent.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path.name


def test_importing_rules_loads_no_heavy_library():
    code = (
        "import sys, lubudget_xl.rules, lubudget_xl.annotations;"
        "heavy=[m for m in ('pandas','openpyxl','xlwings','numpy') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_docstring_sections_are_read_line_by_line():
    """A heading is a line ending in a colon; the same word without one is text of the section."""
    from lubudget_xl.rules._registry import _parse_doc

    doc = "检查内容:\n第一行。\n第二行。\n为什么：\n为什么\n错误示例:\n甲。\n正确示例:\n乙。\n"
    assert _parse_doc("TEST_DOC", doc) == {"检查内容": "第一行。\n第二行。", "为什么": "为什么", "错误示例": "甲。",
                                           "正确示例": "乙。"}  # fmt: skip
    with pytest.raises(ValueError, match="TEST_BLANK: docstring lacks section.* 为什么"):
        _parse_doc("TEST_BLANK", "检查内容:\n甲。\n为什么:\n\n\n错误示例:\n甲。\n正确示例:\n乙。\n")


def test_a_registered_rule_keeps_its_code_and_a_bad_severity_is_named():
    assert all(r.code == code for code, r in REGISTRY.items())
    with pytest.raises(ValueError, match="rule TEST_SEVERITY: severity must be a Severity, got 'error'"):
        rule("TEST_SEVERITY", "error")


def test_places_as_messages_show_them():
    from lubudget_xl.model import Location
    from lubudget_xl.rules._registry import place

    assert place(Location(file="a.xlsx", sheet="项目1", cell="C12")) == "'项目1'!C12"
    assert place(Location(file="a.xlsx", sheet="项目1")) == "'项目1'"
    assert place(Location(file="a.txt", line=18)) == "第18行"
    assert place(Location(file="a.txt")) == "" and place(None) == ""


def test_generated_table_cells_escape_pipes_and_line_breaks():
    from lubudget_xl.rules._docs import _cell

    assert _cell("甲|乙\n丙") == "甲\\|乙 丙"


def test_a_context_without_settings_falls_back_to_the_rule_defaults():
    from lubudget_xl.rules._registry import DEFAULT_SETTINGS, RuleContext

    ctx = RuleContext(None)
    assert ctx.setting("fund_tolerance") == DEFAULT_SETTINGS["fund_tolerance"]
    assert ctx.setting_set("cost_signs") == frozenset(DEFAULT_SETTINGS["cost_signs"])
