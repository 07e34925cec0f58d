"""The Excel bridge on a real filled template workbook, through the file-backed port.

Only Excel itself is replaced (FileWorkbookPort instead of XlwingsWorkbookPort): reading the
sheets, the rules, the marks, the 校验结果 sheet, clearing, new sheets, inserted rows and exports all
run for real, and what they write is read back from the saved .xlsx.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from openpyxl import load_workbook

from lubudget_xl.errors import UserError
from lubudget_xl.excel import bridge, entry
from lubudget_xl.excel.file_port import FileWorkbookPort
from lubudget_xl.excel.marks import MARKS_SHEET
from lubudget_xl.excel.port import WorkbookPort
from lubudget_xl.excel.xlwings_port import XlwingsWorkbookPort

RESULT_SHEET = "校验结果"


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """The seed's 10 projects filled into the 2021 template (one sheet per project)."""
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.template import fill_workbook
    from lubudget_xl.textimport import import_text

    catalog = load_catalog("2021")
    projects = import_text(SEED, catalog).projects
    return Path(fill_workbook(projects, catalog, tmp_path_factory.mktemp("filled") / "已填.xlsx"))


@pytest.fixture
def book(filled, tmp_path) -> Path:
    target = tmp_path / "部门填报.xlsx"
    shutil.copyfile(filled, target)
    return target


@pytest.fixture(scope="module")
def checked(filled, tmp_path_factory):
    """check_all run once on a copy, saved: (path, summary, port)."""
    path = tmp_path_factory.mktemp("checked") / "checked.xlsx"
    shutil.copyfile(filled, path)
    port = FileWorkbookPort(path)
    summary = bridge.check_all(port)
    port.save()
    return path, summary, port


def _keys(issues):
    return sorted((i.code, i.location.sheet or "", i.location.cell or "") for i in issues)


def _comments(path: Path) -> dict[tuple[str, str], str]:
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): c.comment.text for ws in wb for row in ws.iter_rows() for c in row if c.comment}


def test_check_all_finds_what_the_file_reader_finds(checked, filled):
    """Grids read through the port give the same findings as reading the file (one reader core)."""
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.reader import read_workbook
    from lubudget_xl.rules import check_projects

    _, summary, _ = checked
    result = read_workbook(filled, load_catalog("2021"))
    expected = list(result.issues) + check_projects(result.projects, load_catalog("2021"))
    assert summary.projects == 10
    assert summary.issues and _keys(summary.issues) == [
        (code, sheet, cell) for code, sheet, cell in _keys(expected)
    ]


def test_marks_notes_fills_and_result_sheet_are_written(checked):
    path, summary, port = checked
    wb = load_workbook(path)
    comments = _comments(path)
    assert summary.plan.marks
    for mark in summary.plan.marks:
        assert comments[(mark.sheet, mark.cell)] == mark.note
        assert wb[mark.sheet][mark.cell].fill.fgColor.rgb.endswith(mark.fill)
    result = wb[RESULT_SHEET]
    rows = list(result.iter_rows(values_only=True))
    assert rows[0] == tuple(summary.plan.header) and len(rows) == len(summary.plan.rows) + 1
    for number, row in enumerate(summary.plan.rows, start=2):
        link = result[f"D{number}"].hyperlink
        assert (link.location if link else None) == (row.target.removeprefix("#") if row.target else None)
    assert wb[MARKS_SHEET].sheet_state == "hidden"
    # the same presentation as the annotated copy, both from the plan's layout: first sheet,
    # widths, bold grey titles, frozen titles, filter
    from test_check_annotations import assert_result_layout

    assert wb.sheetnames[0] == RESULT_SHEET
    assert_result_layout(result, summary.plan)
    assert port.status_log[0] and port.status_log[-1] is None  # progress shown, then given back
    assert len(port.messages) == 1 and "校验完成(全部工作表):共 10 个项目" in port.messages[0]
    assert f"错误 {summary.counts['error']} 项" in port.messages[0]


def test_clear_gives_back_the_users_fill_and_note(checked, tmp_path):
    source, summary, _ = checked
    mark = summary.plan.marks[0]
    path = tmp_path / "user.xlsx"
    # start from the unmarked book with the user's own fill and note on a cell we will mark
    port = FileWorkbookPort(source)
    bridge.clear(port)
    port.set_fill(mark.sheet, mark.cell, "00FF00")
    port.set_note(mark.sheet, mark.cell, "填报人自己的批注")
    port.save(path)
    before = _comments(path)

    port = FileWorkbookPort(path)
    bridge.check_all(port)
    assert port.note(mark.sheet, mark.cell) == mark.note
    bridge.check_all(port)  # a second check replaces the first one's marks, no duplicates
    assert port.sheet_names().count(RESULT_SHEET) == 1
    assert bridge.clear(port) == len(summary.plan.marks)
    port.save()
    assert RESULT_SHEET not in load_workbook(path).sheetnames and MARKS_SHEET not in load_workbook(path).sheetnames
    assert _comments(path) == before
    assert FileWorkbookPort(path).fill(mark.sheet, mark.cell) == "00FF00"
    assert port.messages[-1].startswith(f"已清除 {len(summary.plan.marks)} 处标注")


def test_check_sheet_marks_only_the_active_sheet(book):
    port = FileWorkbookPort(book)
    sheet = port.sheet_names()[0]
    port.select(sheet)
    formulas = [c for row in port.book[sheet].iter_rows() for c in row if c.data_type == "f"]
    assert formulas  # the template's check area: Excel shows results, never the formula text
    assert not any(isinstance(v, str) and v.startswith("=") for row in port.values(sheet) for v in row)
    summary = bridge.check_sheet(port)
    assert summary.projects == 1
    assert {m.sheet for m in summary.plan.marks} == {sheet}
    assert f"工作表“{sheet}”" in port.messages[-1] and port.status_log[-1] is None


def test_check_sheet_on_a_non_project_sheet_says_so(book):
    port = FileWorkbookPort(book)
    port.select("填报说明")
    assert entry.check_sheet(port) is None
    assert port.messages == ["工作表“填报说明”不是项目表(没有“项目名称”单元格),请切换到项目表再点“校验本表”。"]
    assert RESULT_SHEET not in port.sheet_names()


class _FailingPort(FileWorkbookPort):
    """Excel failing half-way (a sheet that cannot be read)."""

    def __init__(self, path, fail_after: int):
        super().__init__(path)
        self.calls, self.fail_after = 0, fail_after

    def values(self, sheet):
        self.calls += 1
        if self.calls > self.fail_after:
            raise RuntimeError("Excel 没有响应")
        return super().values(sheet)


def test_status_bar_is_given_back_when_an_operation_fails(book):
    port = _FailingPort(book, fail_after=3)
    with pytest.raises(RuntimeError):
        bridge.check_all(port)
    assert any(port.status_log) and port.status_log[-1] is None


def test_on_save_reports_findings_and_writes_nothing(book):
    port = FileWorkbookPort(book)
    sheets = port.sheet_names()
    summary = entry.on_save(port)
    assert summary is not None and summary.issues
    assert len(port.messages) == 1 and port.messages[0].startswith("保存前校验:10 个项目中发现错误")
    assert "文件照常保存" in port.messages[0]
    assert port.sheet_names() == sheets and not any(port.note(m.sheet, m.cell) for m in summary.plan.marks)
    assert port.status_log[-1] is None


def test_on_save_ignores_workbooks_without_template_identity(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "其他.xlsx"
    wb = Workbook()
    wb.active["A1"] = "项目名称"
    wb.save(path)
    port = FileWorkbookPort(path)
    assert entry.on_save(port) is None and port.messages == [] and port.status_log == []


def test_on_save_never_raises(book):
    port = _FailingPort(book, fail_after=0)
    assert entry.on_save(port) is None
    assert port.messages == ["保存前校验没有完成:Excel 没有响应。文件照常保存。"]
    assert port.status_log[-1] is None


def test_new_project_sheet_is_an_empty_copy(book):
    from lubudget_xl.reader import read_workbook

    port = FileWorkbookPort(book)
    source = port.sheet_names()[2]
    port.select(source)
    name = bridge.new_project_sheet(port)
    assert name == "项目11" and port.sheet_names()[-1] == name
    port.save()
    wb = load_workbook(book)
    assert len(wb[name].data_validations.dataValidation) == len(wb[source].data_validations.dataValidation) > 0
    assert sorted(map(str, wb[name].merged_cells.ranges)) == sorted(map(str, wb[source].merged_cells.ranges))
    result = read_workbook(book, None)
    assert len(result.projects) == 10  # the copy holds no project yet
    assert all(p.locations["name"].sheet != name for p in result.projects)
    assert "已新增项目表“项目11”" in port.messages[-1]


def test_insert_indicator_row_inside_the_grid(book):
    from lubudget_xl.reader import read_workbook

    before = read_workbook(book, None).projects[0]
    sheet = before.locations["name"].sheet
    first, second = before.indicators[0], before.indicators[1]
    row = int("".join(ch for ch in first.locations["value"].cell if ch.isdigit()))
    port = FileWorkbookPort(book)
    port.select(sheet, first.locations["value"].cell)
    assert bridge.insert_indicator_row(port) == row + 1
    level3_col = "".join(ch for ch in first.locations["level3"].cell if ch.isalpha())
    value_col = "".join(ch for ch in first.locations["value"].cell if ch.isalpha())
    port.write_values(sheet, f"{level3_col}{row + 1}", [["新增的三级指标"]])
    port.write_values(sheet, f"{value_col}{row + 1}", [["≥1次"]])
    port.save()
    after = next(p for p in read_workbook(book, None).projects if p.locations["name"].sheet == sheet)
    assert len(after.indicators) == len(before.indicators) + 1
    added = after.indicators[1]
    assert (added.level1, added.level2, added.level3, added.value) == (first.level1, first.level2, "新增的三级指标", "≥1次")
    moved = after.indicators[2]
    assert moved.level3 == second.level3
    assert moved.locations["value"].cell != second.locations["value"].cell


def test_insert_indicator_row_outside_the_grid(book):
    port = FileWorkbookPort(book)
    port.select(port.sheet_names()[0], "A1")
    assert entry.insert_indicator_row(port) is None
    assert "请先选中“绩效指标”表格中的一行" in port.messages[-1]


def test_export_records_beside_the_workbook(book):
    from lubudget_xl.records import read_records

    port = FileWorkbookPort(book)
    target = bridge.export_records(port)
    assert target == book.with_name("部门填报.records.json")
    projects = read_records(target)
    assert len(projects) == 10 and sum(len(p.indicators) for p in projects) == 113
    assert str(target) in port.messages[-1]


def test_consolidate_folder(filled, tmp_path):
    pytest.importorskip("lubudget_xl.consolidate")
    folder = tmp_path / "各部门"
    folder.mkdir()
    shutil.copyfile(filled, folder / "部门甲.xlsx")
    (folder / "坏文件.xlsx").write_bytes(b"not a workbook")
    port = FileWorkbookPort(filled)
    hex_path = "".join(f"{ord(ch):04X}" for ch in str(folder))  # what LubudgetMain.HexW sends
    master = entry.consolidate_folder(hex_path, port)
    assert master is not None and master.parent == folder and master.name.startswith("绩效目标汇总_")
    assert "汇总完成:2 个文件" in port.messages[-1]
    assert port.status_log[-1] is None


def test_decode_path_round_trip():
    path = r"D:\财政局\2021年 绩效目标\'quoted' & more"
    assert entry.decode_path("".join(f"{ord(ch):04X}" for ch in path)) == path
    with pytest.raises(UserError):
        entry.decode_path("ZZZZ")


def test_xlwings_port_implements_the_whole_interface():
    wanted = {name for name in vars(WorkbookPort) if not name.startswith("_")}
    assert wanted <= set(vars(XlwingsWorkbookPort)) and wanted <= set(dir(FileWorkbookPort))


def test_entry_import_is_light():
    """RunPython starts Python for every click: the entry module must not load xlwings, openpyxl or pandas."""
    code = (
        "import sys, lubudget_xl.excel.entry as e; "
        "print(sorted(m for m in ('xlwings', 'openpyxl', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_xlwings_port_keeps_locations_and_formula_like_text_literal(checked):
    """Excel would take the leading quote of '项目1'!B5 as its text prefix; the port writes it escaped."""
    from lubudget_xl.excel.xlwings_port import as_excel_value

    _, summary, _ = checked
    locations = [row.location for row in summary.plan.rows if row.location]
    assert locations and all(as_excel_value(text) == "'" + text for text in locations if text.startswith("'"))
    assert as_excel_value("=1+1") == "'=1+1" and as_excel_value("-5") == "'-5"
    assert as_excel_value("错误") == "错误" and as_excel_value(3.5) == 3.5 and as_excel_value(None) is None


class _BrokenPort(FileWorkbookPort):
    """A port whose library fails with English text (as a COM error does)."""

    def values(self, sheet):
        raise KeyError("Sheet1")


def test_on_save_shows_no_english_and_logs_the_failure(book, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the log goes to <temp>/lubudget-logs
    port = _BrokenPort(book)
    assert entry.on_save(port) is None
    (message,) = port.messages
    assert message.startswith("保存前校验没有完成:lubudget 程序内部出错(不是工作簿的问题)")
    assert message.endswith("请将其发给维护人员。文件照常保存。")
    assert "KeyError" not in message and "Sheet1" not in message
    (log,) = (tmp_path / "lubudget-logs").iterdir()
    assert str(log) in message
    assert "KeyError: 'Sheet1'" in log.read_text(encoding="utf-8")
