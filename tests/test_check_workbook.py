"""The seed as a filled workbook: the same findings as through the text importer, at the right cells,
and an annotated copy that marks them without touching the source."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections import Counter

import openpyxl
import pytest
from conftest import SEED, run_cli

from lubudget_xl.annotations import RESULT_SHEET
from lubudget_xl.catalog import load_catalog
from lubudget_xl.checking import check_file
from lubudget_xl.loading import load_any
from lubudget_xl.template.filler import fill_workbook


def _key(issue):
    return issue.code, issue.project, json.dumps(issue.params, ensure_ascii=False, sort_keys=True)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    catalog = load_catalog("2021")
    path = tmp_path_factory.mktemp("filled") / "六安政府办_2021.xlsx"
    fill_workbook(load_any(SEED, catalog).projects, catalog, path)
    return path


@pytest.fixture(scope="module")
def routes(filled):
    catalog = load_catalog("2021")
    return check_file(SEED, catalog), check_file(filled, catalog)


def test_text_and_workbook_routes_give_the_same_findings(routes):
    text, book = routes
    assert book.status == "findings" and len(book.projects) == 10
    # TEXT_HTML is about the published text's lines (<p>): the filled workbook never had them.
    from_text = Counter(_key(i) for i in text.issues if i.code != "TEXT_HTML")
    assert from_text == Counter(_key(i) for i in book.issues)
    assert {"VALUE_PLACEHOLDER", "COST_EXCEEDS_FUNDS", "YEAR_OUTSIDE_BUDGET", "TEXT_DOUBLED",
            "SATISFACTION_MISPLACED", "TREE_LEVEL3_DUPLICATE"} <= {i.code for i in book.issues}  # fmt: skip


def test_workbook_findings_point_at_the_cells_that_hold_the_problem(routes, filled):
    _, book = routes
    wb = openpyxl.load_workbook(filled, read_only=True)
    cells = {}
    for issue in book.issues:
        loc = issue.location
        assert loc.file == str(filled) and loc.sheet in wb.sheetnames and loc.cell, issue
        cells[(issue.code, issue.project)] = wb[loc.sheet][loc.cell.split(":")[0]].value
    assert "2020年" in cells[("YEAR_OUTSIDE_BUDGET", "市长热线工作经费")]
    assert cells[("VALUE_PLACEHOLDER", "政府会议专项经费")] == "预算绩效目标值"
    assert "实现实现" in cells[("TEXT_DOUBLED", "应急、督查、外事工作经费")]
    assert cells[("SATISFACTION_MISPLACED", "政府接待慰问专项经费")] == "老干部满意度"
    assert cells[("COST_EXCEEDS_FUNDS", "市长热线工作经费")].startswith("接线外包费136万元")


@pytest.fixture(scope="module")
def annotated(filled, tmp_path_factory):
    out = tmp_path_factory.mktemp("annotated")
    before = hashlib.sha256(filled.read_bytes()).hexdigest()
    done = run_cli("check", str(filled), "--annotate", str(out), "--format", "json", "--catalog", "2021")
    assert done.returncode == 1, done.stderr.decode()
    assert hashlib.sha256(filled.read_bytes()).hexdigest() == before  # the source is never modified
    report = json.loads(done.stdout)
    copy = out / "六安政府办_2021_校验.xlsx"
    assert report["files"][0]["annotated"] == str(copy)
    assert sorted(p.name for p in out.iterdir()) == [copy.name]
    return copy, report


def test_annotated_copy_carries_every_finding(annotated):
    copy, report = annotated
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == RESULT_SHEET
    sheet = wb[RESULT_SHEET]
    top = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "级别")  # below the title block
    rows = list(sheet.iter_rows(min_row=top + 1))
    assert len(rows) == len(report["issues"])
    for issue in report["issues"]:
        loc = issue["location"]
        cell = wb[loc["sheet"]][loc["cell"].split(":")[0]]
        assert cell.comment is not None and issue["code"] in cell.comment.text, issue
        assert cell.fill.fill_type == "solid"
    links = [r[3].hyperlink.location for r in rows]
    assert "'市长热线工作经费'!E14" in links  # 留言事项办理率: 预算绩效目标值
    assert all(link and link.startswith("'") for link in links)


def test_same_named_workbooks_in_different_folders_get_distinct_copies(filled, tmp_path):
    """`a/x.xlsx b/x.xlsx --annotate out` once left one copy (the second overwrote the first)."""
    sources = []
    for folder in ("甲", "乙"):
        (tmp_path / folder).mkdir()
        sources.append(shutil.copy(filled, tmp_path / folder / "x.xlsx"))
    out = tmp_path / "批注"
    done = run_cli("check", *map(str, sources), "--annotate", str(out), "--format", "json", "--catalog", "2021")
    assert done.returncode == 1, done.stderr.decode()
    report = json.loads(done.stdout)
    mapping = {f["file"]: f["annotated"] for f in report["files"]}
    assert mapping == {str(sources[0]): str(out / "x_甲_校验.xlsx"), str(sources[1]): str(out / "x_乙_校验.xlsx")}
    assert sorted(p.name for p in out.iterdir()) == ["x_乙_校验.xlsx", "x_甲_校验.xlsx"]
    for copy in out.iterdir():
        assert openpyxl.load_workbook(copy, read_only=True).sheetnames[0] == RESULT_SHEET
    stderr = done.stderr.decode()
    assert f"{sources[0]} → {out / 'x_甲_校验.xlsx'}" in stderr and f"{sources[1]} → {out / 'x_乙_校验.xlsx'}" in stderr


def test_distinct_names_fall_back_to_a_counter_when_folder_names_clash_too():
    from lubudget_xl.annotate_copy import distinct_names

    assert distinct_names(["a/x.xlsx", "b/y.xlsx"]) == ["x_校验.xlsx", "y_校验.xlsx"]
    assert distinct_names(["a/d/x.xlsx", "b/d/X.xlsx", "c/x.xlsx"]) == ["x_d_校验.xlsx", "X_d_校验2.xlsx", "x_c_校验.xlsx"]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_annotated_copy_with_notes_and_links(annotated, tmp_path):
    copy, _ = annotated
    profile = f"file:///tmp/lo-check-{tmp_path.name}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir",
         str(tmp_path), str(copy)], check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    again = openpyxl.load_workbook(tmp_path / copy.name)
    assert again.sheetnames[0] == RESULT_SHEET
    note = again["市长热线工作经费"]["E14"].comment
    assert note is not None and "VALUE_PLACEHOLDER" in note.text
    sheet = again[RESULT_SHEET]
    top = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "级别")
    link = sheet[f"D{top + 1}"].hyperlink
    assert link is not None and "!" in (link.location or link.target or "")


def test_a_101_form_is_checked_with_the_catalogue_its_template_names(tmp_path):
    """Rolled over into the 101号 tree (成本指标 at level one, 主管部门 in the header): the checker
    picks the template's catalogue, not the year's default, and the cost rules follow the tree."""
    book = tmp_path / "seed_101.xlsx"
    done = run_cli("fill", str(SEED), "-o", str(book), "--catalog", "2022-101", "--migrate", "--quiet")
    assert done.returncode == 0, done.stderr.decode()
    outcome = check_file(book)
    assert outcome.catalog.version == "mof-101-2022.1"
    codes = Counter(i.code for i in outcome.issues)
    assert not [c for c in codes if c.startswith("TREE_") and c not in ("TREE_LEVEL3_GENERIC", "TREE_LEVEL3_DUPLICATE")]
    assert codes["COST_EXCEEDS_FUNDS"] == 2
    missing = {i.params["field"] for i in outcome.issues if i.code == "HEADER_MISSING"}
    assert missing == {"competent_department"} and codes["HEADER_MISSING"] == 10
