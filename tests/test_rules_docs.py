"""docs/rules.md is generated from the rule docstrings and must not go stale (STYLE.md §2)."""

from __future__ import annotations

from conftest import ROOT, run_cli

from lubudget_xl.rules import REGISTRY
from lubudget_xl.rules._docs import render_rules_markdown


def test_docs_rules_md_is_current():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rules_markdown(), "docs/rules.md is stale: run `lubudget rules`"


def test_every_rule_is_documented_with_examples():
    text = render_rules_markdown()
    for code, rule in REGISTRY.items():
        assert f"## {code}\n" in text and f"[`{code}`](#{code.lower()})" in text
        assert rule.doc["错误示例"] in text.replace("> ", "")


def test_rules_check_flags_a_stale_file_and_regenerates(tmp_path):
    target = tmp_path / "rules.md"
    missing = run_cli("rules", "--check", "-o", str(target))
    assert missing.returncode == 1 and "不存在" in missing.stderr.decode("utf-8")
    assert run_cli("rules", "-o", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8") == render_rules_markdown()
    assert run_cli("rules", "--check", "-o", str(target)).returncode == 0
    target.write_text(target.read_text(encoding="utf-8").replace("FUNDS_SUM", "FUNDS_TOTAL", 1), encoding="utf-8")
    stale = run_cli("rules", "--check", "-o", str(target))
    assert stale.returncode == 1 and "已过期" in stale.stderr.decode("utf-8")
    assert run_cli("rules", "--check", cwd=ROOT).returncode == 0


def test_rules_check_on_a_workbook_is_a_chinese_usage_error(tmp_path):
    import openpyxl

    book = tmp_path / "junk.xlsx"
    openpyxl.Workbook().save(book)
    done = run_cli("rules", "--check", "-o", str(book))  # refused by its suffix: rules.md is Markdown
    assert done.returncode == 2 and "扩展名须为 .md" in done.stderr.decode()
    junk = tmp_path / "junk.md"
    junk.write_bytes(book.read_bytes())  # a workbook under a Markdown name: refused by its content
    done = run_cli("rules", "--check", "-o", str(junk))
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "不是 UTF-8 文本文件" in err and str(junk) in err and "Traceback" not in err
