"""绩效自评 in Excel, through the bridge's file port: the 生成自评表 button on an open target
workbook, and the save check and 校验全部 on a self-evaluation workbook (the same code as live Excel)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import SEED

from lubudget_xl.catalog import load_catalog
from lubudget_xl.checking import check_file
from lubudget_xl.excel import bridge, entry
from lubudget_xl.excel.file_port import FileWorkbookPort
from lubudget_xl.loading import load_any
from lubudget_xl.selfeval import SelfEvaluation
from lubudget_xl.selfeval.samples import fill_workbook_met


@pytest.fixture(scope="module")
def targets_book(tmp_path_factory) -> Path:
    from lubudget_xl.template import fill_workbook

    catalog = load_catalog("2021")
    projects = load_any(SEED, catalog).projects
    return Path(fill_workbook(projects, catalog, tmp_path_factory.mktemp("targets") / "部门目标.xlsx"))


def test_the_button_builds_the_selfeval_form_beside_the_open_workbook(targets_book, tmp_path):
    book = tmp_path / "部门目标.xlsx"
    shutil.copyfile(targets_book, book)
    before = book.read_bytes()
    port = FileWorkbookPort(book)
    target = entry.build_selfeval(port)
    assert target == tmp_path / "部门目标_自评表.xlsx" and target.is_file()
    assert port.messages == [f"已生成 10 个项目、113 行指标的项目支出绩效自评表:{target}"]
    assert port.status_log[-1] is None and book.read_bytes() == before  # the open workbook is untouched
    read = load_any(target, None, selfeval=True).projects
    assert len(read) == 10 and all(isinstance(p, SelfEvaluation) for p in read)
    # each target indicator is traced to the open workbook's own cell
    source = load_any(book, None).projects
    assert [[(t.location.file, t.location.sheet, t.location.cell) for t in p.targets] for p in read] == [
        [(book.name, i.locations["value"].sheet, i.locations["value"].cell) for i in p.indicators] for p in source]
    # pressed on the self-evaluation itself: a message, nothing written
    again = FileWorkbookPort(target)
    assert entry.build_selfeval(again) is None
    assert again.messages == ["当前工作簿已经是项目支出绩效自评表;请在绩效目标表中生成自评表。"]


def test_the_button_needs_a_saved_workbook(targets_book, tmp_path):
    class Unsaved(FileWorkbookPort):
        def workbook_path(self) -> str:
            return ""

    book = tmp_path / "x.xlsx"
    shutil.copyfile(targets_book, book)
    port = Unsaved(book)
    assert entry.build_selfeval(port) is None and "请先保存" in port.messages[0]


def test_save_check_and_check_all_cover_selfevaluations(targets_book, tmp_path):
    book = tmp_path / "部门目标.xlsx"
    shutil.copyfile(targets_book, book)
    built = entry.build_selfeval(FileWorkbookPort(book))
    wb = openpyxl.load_workbook(built)
    fill_workbook_met(wb, load_catalog("2021"))
    ws = wb["市长热线工作经费"]
    ws["F15"], ws["H15"] = 20, 9  # ≥24 missed: 8.33 expected, and no reason
    filled = tmp_path / "自评_已填.xlsx"
    wb.save(filled)
    expected = sorted((i.code, i.location.sheet, i.location.cell) for i in check_file(filled).issues)
    assert expected == [("SELF_REASON_MISSING", "市长热线工作经费", "I15"),
                        ("SELF_SCORE_MISMATCH", "市长热线工作经费", "H15"),
                        ("SELF_TOTAL_SUM", "市长热线工作经费", "H22")]  # fmt: skip
    port = FileWorkbookPort(filled)
    summary = entry.on_save(port)
    assert sorted((i.code, i.location.sheet, i.location.cell) for i in summary.issues) == expected
    assert port.messages[0].startswith("保存前校验:10 个项目中发现错误 2 项、警告 1 项")
    checked = bridge.check_all(port)
    assert sorted((i.code, i.location.sheet, i.location.cell) for i in checked.issues) == expected
    assert "SELF_SCORE_MISMATCH" in (port.note("市长热线工作经费", "H15") or "")
    port.save()
    marked = openpyxl.load_workbook(filled)
    assert "校验结果" in marked.sheetnames and marked["市长热线工作经费"]["H15"].comment is not None
