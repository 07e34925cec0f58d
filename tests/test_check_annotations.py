"""Annotation plans (pure) and the annotated copy written with openpyxl: notes, fills, 校验结果 links."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest

from lubudget_xl.annotate_copy import annotated_name, write_annotated_copy
from lubudget_xl.annotations import FILLS, RESULT_SHEET, link_target, plan_annotations
from lubudget_xl.errors import UserError
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location


def _issue(code, severity, sheet, cell, message="问题", fix=None, line=None):
    return Issue(code, severity, message, Location("f.xlsx", sheet, cell, line), project="市长热线工作经费",
                 params={"found": 1}, fix=fix)


ISSUES = [
    _issue("VALUE_SIGN_MISSING", Severity.INFO, "市长热线", "E18", "未写符号"),
    _issue("YEAR_OUTSIDE_BUDGET", Severity.ERROR, "市长热线", "E18", "年份不在预算年度内", fix="≥18万件次"),
    _issue("FUNDS_SUM", Severity.ERROR, "市长热线", "D12:E12", "资金不平衡"),
    _issue("VALUE_SLOGAN", Severity.WARNING, "O'Brien", "AA3", "口号"),
    _issue("FILE_UNREADABLE", Severity.ERROR, None, None, "无法读取"),
    _issue("VALUE_PLACEHOLDER", Severity.ERROR, "不存在的表", "B2", "占位"),
]


def test_plan_combines_findings_per_cell_and_fills_by_the_worst():
    plan = plan_annotations(ISSUES, sheets=["市长热线", "O'Brien"])
    marks = {(m.sheet, m.cell): m for m in plan.marks}
    assert set(marks) == {("市长热线", "E18"), ("市长热线", "D12"), ("O'Brien", "AA3")}
    e18 = marks[("市长热线", "E18")]
    assert e18.fill == FILLS[Severity.ERROR] and e18.codes == ("YEAR_OUTSIDE_BUDGET", "VALUE_SIGN_MISSING")
    assert e18.note.splitlines()[0] == "[错误] 年份不在预算年度内(YEAR_OUTSIDE_BUDGET)"  # Chinese first, code after
    assert "建议: ≥18万件次" in e18.note and "[提示] 未写符号(VALUE_SIGN_MISSING)" in e18.note
    assert marks[("O'Brien", "AA3")].fill == FILLS[Severity.WARNING]
    # one row per finding, worst first; links only where a mark exists
    assert len(plan.rows) == len(ISSUES)
    assert [r.severity for r in plan.rows][:4] == ["错误"] * 4
    targets = {r.code: r.target for r in plan.rows}
    assert targets["FUNDS_SUM"] == "#'市长热线'!D12"
    assert targets["VALUE_SLOGAN"] == "#'O''Brien'!AA3" == link_target("O'Brien", "AA3")
    assert targets["FILE_UNREADABLE"] is None and targets["VALUE_PLACEHOLDER"] is None
    assert plan.counts == {"error": 4, "warning": 1, "info": 1}


@pytest.fixture
def workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "市长热线"
    sheet["A9"], sheet["B9"] = "项目名称", "市长热线工作经费"
    sheet["D12"], sheet["E18"] = 156.0, "预计2020年受理量为18万件次。"
    sheet.merge_cells("D12:E12")
    book.create_sheet("O'Brien")["AA3"] = "进一步提高"
    path = tmp_path / "源文件.xlsx"
    book.save(path)
    return path


def test_annotated_copy_marks_cells_and_links_results_without_touching_the_source(workbook, tmp_path):
    before = hashlib.sha256(workbook.read_bytes()).hexdigest()
    out = tmp_path / "批注"
    target, plan = write_annotated_copy(workbook, ISSUES, out)
    assert hashlib.sha256(workbook.read_bytes()).hexdigest() == before
    assert target == out / annotated_name(workbook) == out / "源文件_校验.xlsx"
    assert [p.name for p in out.iterdir()] == ["源文件_校验.xlsx"]  # no temporary file left behind

    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == RESULT_SHEET
    cell = book["市长热线"]["E18"]
    assert cell.value == "预计2020年受理量为18万件次。"
    assert "YEAR_OUTSIDE_BUDGET" in cell.comment.text and "VALUE_SIGN_MISSING" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith(FILLS[Severity.ERROR])
    assert "FUNDS_SUM" in book["市长热线"]["D12"].comment.text
    assert book["O'Brien"]["AA3"].fill.fgColor.rgb.endswith(FILLS[Severity.WARNING])

    results = book[RESULT_SHEET]
    # the title block names the file; the table starts below it
    assert results["A1"].value == "源文件.xlsx 校验结果" and results["A2"].value.startswith("发文日期:")
    rows = list(results.iter_rows(min_row=plan.header_row, values_only=True))
    assert rows[0] == ("级别", "规则", "项目", "位置", "问题", "修改建议", "代码")
    assert_result_layout(results, plan)
    assert len(rows) == 1 + len(ISSUES)
    by_code = {r[6]: r for r in rows[1:]}
    assert by_code["FUNDS_SUM"][1] == "资金不平衡"  # the rule's Chinese name first, the code last
    links = {r[6].value: r[3].hyperlink for r in results.iter_rows(min_row=plan.header_row + 1)}
    assert links["FUNDS_SUM"].location == "'市长热线'!D12"
    assert links["VALUE_SLOGAN"].location == "'O''Brien'!AA3"
    assert links["FILE_UNREADABLE"] is None

    # annotating the copy again replaces its 校验结果 sheet instead of adding a second one
    again, _ = write_annotated_copy(target, ISSUES[:1], tmp_path / "再次")
    assert openpyxl.load_workbook(again).sheetnames.count(RESULT_SHEET) == 1


def assert_result_layout(results, plan):
    """校验结果 as the plan lays it out (shared with the Excel bridge's test): widths, bold grey
    titles, frozen title row, filter; printed on A4 one page wide (never shrunk to a page), the
    titles on every page, page numbers in the footer."""
    from openpyxl.utils import get_column_letter

    from lubudget_xl.printing import LANDSCAPE_WIDTH_UNITS
    from lubudget_xl.rules import REGISTRY
    from lubudget_xl.rules.names import rule_name

    layout = plan.layout
    widths = [results.column_dimensions[get_column_letter(i)].width for i in range(1, len(layout.titles) + 1)]
    assert widths == list(layout.widths)
    assert layout.titles[-1] == "代码" and sum(layout.widths) <= LANDSCAPE_WIDTH_UNITS
    top = plan.header_row
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith(layout.header_fill) for c in results[top])
    assert results.freeze_panes == f"A{top + 1}"
    assert results.auto_filter.ref == f"A{top}:G{top + len(plan.rows)}"
    setup = results.page_setup
    assert (int(setup.paperSize), setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert results.sheet_properties.pageSetUpPr.fitToPage
    assert results.print_title_rows == f"${top}:${top}"
    assert results.oddFooter.center.text == "第 &P 页 共 &N 页"
    # every rule code in the registry has its own Chinese name to show in the 规则 column
    assert all(rule_name(code) not in ("", code) for code in REGISTRY)


def test_only_xlsx_and_xlsm_are_annotated(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("x", encoding="utf-8")
    with pytest.raises(UserError, match="只能为 .xlsx/.xlsm"):
        write_annotated_copy(text, [], tmp_path / "out")


def test_an_xlsm_copy_keeps_its_macros(tmp_path):
    """Departments' books may carry macros: the annotated copy keeps the VBA project byte for byte."""
    import zipfile

    import xlsxwriter

    from lubudget_xl.addin.vbaproject import build_vba_project, module_from_source

    modules = [
        module_from_source('Attribute VB_Name = "ThisWorkbook"\nAttribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\n'
                           "Attribute VB_PredeclaredId = True\n", "ThisWorkbook.cls"),
        module_from_source('Attribute VB_Name = "Module1"\nSub Hello()\nEnd Sub\n', "Module1.bas"),
    ]  # fmt: skip
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(build_vba_project("VBAProject", modules))
    source = tmp_path / "带宏.xlsm"
    book = xlsxwriter.Workbook(source)
    sheet = book.add_worksheet("市长热线")
    sheet.write("E18", "预计2020年受理量为18万件次。")
    book.add_vba_project(str(vba))
    book.close()
    target, _ = write_annotated_copy(source, ISSUES[:2], tmp_path / "out")
    assert target.name == "带宏_校验.xlsm"
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target) as after:
        assert after.read("xl/vbaProject.bin") == before.read("xl/vbaProject.bin")
    assert "YEAR_OUTSIDE_BUDGET" in openpyxl.load_workbook(target)["市长热线"]["E18"].comment.text
