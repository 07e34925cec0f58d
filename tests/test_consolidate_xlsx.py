"""The master book's own .xlsx writer: what openpyxl and LibreOffice read back from it."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from lubudget_xl.consolidate.xlsxfast import INT, MONEY, NUMBER, TEXT, FastBook, clean_text
from lubudget_xl.reader.cells import col_letters as column_letter

ODD = ["=1+1", "+A1", "-3", "@SUM(A1)", "a\x01b\x1fc", "_x0041_ stays", "  leading and trailing  ", "<&>\"'", "行1\n行2"]


@pytest.fixture(scope="module")
def book_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("fast") / "book.xlsx"
    book = FastBook(path, title="测试")
    rows = [(text, i, i * 1.5, float("nan") if i == 2 else i / 3) for i, text in enumerate(ODD)]

    def link_of(row):
        i = row[1]
        return f"file:///tmp/部门 {i}.xlsx#'项目 1'!C{i + 5}" if i % 2 == 0 else None

    book.add_table("表一", "One", ["文本", "整数", "金额", "数值"], [TEXT, INT, MONEY, NUMBER], [30, 8, 12, 10],
                   rows, link_of, 0)  # fmt: skip
    book.add_table("空表", "Empty", ["甲", "乙"], [TEXT, TEXT], [8, 8], [])
    book.add_pairs("说明", [("文件数", 3), ("年度", "2021")], [20, 10])
    book.close()
    return path


def test_cells_come_back_with_their_types_and_text(book_path):
    wb = openpyxl.load_workbook(book_path)
    assert wb.sheetnames == ["表一", "空表", "说明"]
    ws = wb["表一"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    # python-calamine (what the reader uses) decodes Excel's _xHHHH_ escapes: every text is exact.
    grid = CalamineWorkbook.from_path(str(book_path)).get_sheet_by_name("表一").to_python()
    assert [row[0] for row in grid[1:]] == ODD
    assert all(ws.cell(r, 1).data_type == "s" for r in range(2, len(ODD) + 2))
    assert values[3][1] == 3 and values[3][2] == 4.5 and values[2][3] is None
    assert ws["C2"].number_format == "#,##0.00" and ws["B2"].number_format == "0"
    assert ws.freeze_panes == "A2" and ws.tables["One"].ref == f"A1:D{len(ODD) + 1}"
    assert ws["A2"].hyperlink.location == "'项目 1'!C5" and ws["A3"].hyperlink is None
    assert wb["空表"].tables["Empty"].ref == "A1:B2"
    assert wb["说明"]["B1"].value == 3


def test_text_escapes_and_limits():
    assert clean_text("a\x00b") == "a_x0000_b"
    assert clean_text("_x0041_") == "_x005F_x0041_"
    assert len(clean_text("字" * 40000)) == 32767
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_book_and_keeps_every_row(book_path, tmp_path):
    profile = f"file:///tmp/lo-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir",
         str(tmp_path), str(book_path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    wb = openpyxl.load_workbook(tmp_path / book_path.name)
    assert wb.sheetnames == ["表一", "空表", "说明"]
    ws = wb["表一"]
    assert ws.max_row == len(ODD) + 1
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    assert ws["B5"].value == 3
    assert ws["A2"].hyperlink is not None


def test_a_table_longer_than_an_excel_sheet_continues_on_numbered_sheets(tmp_path, monkeypatch):
    import random

    from lubudget_xl.consolidate import master, xlsxfast
    from lubudget_xl.consolidate.across import resolve
    from lubudget_xl.consolidate.batch import FileOutcome, file_result
    from lubudget_xl.consolidate.frames import build_frames
    from lubudget_xl.consolidate.samples import department_projects

    projects = department_projects("甲局", 3, rng=random.Random(1), file="a.xlsx")
    rows = sum(len(p.indicators) for p in projects)
    outcome = FileOutcome(path="a.xlsx", sha256="x", year=2021, department="甲局", projects=3, rows=rows)
    c = resolve([file_result(outcome, projects, [])])
    monkeypatch.setattr(master, "MAX_ROWS", 11)  # 10 data rows a sheet
    monkeypatch.setattr(xlsxfast, "MAX_ROWS", 11)
    master.write_master(c, build_frames(c), tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    parts = [n for n in wb.sheetnames if n.startswith("绩效指标")]
    assert parts == ["绩效指标"] + [f"绩效指标({k})" for k in range(2, len(parts) + 1)]
    assert len(parts) == -(-rows // 10)
    assert sum(wb[n].max_row - 1 for n in parts) == rows
    assert all(wb[n].freeze_panes == "A2" and len(wb[n].tables) == 1 for n in parts)
