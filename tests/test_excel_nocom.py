"""The bridge with no COM call-back: `python -m lubudget_xl.excel.nocom` on a saved copy writes a script,
and that script replayed onto the workbook leaves exactly what the bridge leaves when it writes itself.

The child runs as a real process on a real filled workbook; the replay here is the Python twin of the
macros' replayer (tests/test_addin_libreoffice_bridge.py runs the VBA one in LibreOffice).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from openpyxl import load_workbook
from script_replay import replay

from lubudget_xl.excel import bridge
from lubudget_xl.excel.file_port import FileWorkbookPort
from lubudget_xl.excel.marks import MARKS_SHEET
from lubudget_xl.excel.script_port import END, HEADER, hexw, unhexw


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.template import fill_workbook
    from lubudget_xl.textimport import import_text

    catalog = load_catalog("2021")
    projects = import_text(SEED, catalog).projects
    return Path(fill_workbook(projects, catalog, tmp_path_factory.mktemp("filled") / "部门填报.xlsx"))


def child(action: str, copy: Path, out: Path, book: Path | str, sheet: str = "", cell: str = "A1", *extra: str):
    """The command line the macros run (paths and sheet as hex UTF-16)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    args = [action, hexw(str(copy)), hexw(str(out)), hexw(str(book)), hexw(sheet), cell, *extra]
    return subprocess.run([sys.executable, "-m", "lubudget_xl.excel.nocom", *args], env=env, capture_output=True,
                          timeout=300)  # fmt: skip


def snapshot(path: Path) -> dict:
    """What a user sees of the marks: sheets (order, visibility), values, fills, notes, links, panes, filter."""
    wb = load_workbook(path)
    out = {"sheets": [(ws.title, ws.sheet_state) for ws in wb]}
    for ws in wb:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
                link = c.hyperlink.location if c.hyperlink is not None else None
                note = c.comment.text if c.comment is not None else None
                if c.value is not None or fill or link or note:
                    cells[c.coordinate] = (c.value, fill, link, note, bool(c.font and c.font.b))
        widths = {k: v.width for k, v in ws.column_dimensions.items() if v.width}
        out[ws.title] = (cells, ws.freeze_panes, ws.auto_filter.ref, widths)
    return out


def run_and_replay(tmp_path: Path, source: Path, action: str, **kwargs) -> tuple[Path, list[str], list[str]]:
    """Copy `source` as the live workbook, run the child on a saved copy of it, replay the script."""
    live = tmp_path / f"live_{action}.xlsx"
    shutil.copyfile(source, live)
    copy = tmp_path / f"copy_{action}.xlsx"
    shutil.copyfile(live, copy)  # what SaveCopyAs does
    out = tmp_path / f"{action}.ops"
    done = child(action, copy, out, live, **kwargs)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    script = out.read_bytes().decode("ascii")
    port = FileWorkbookPort(live)
    failed = replay(script, port)
    port.save()
    return live, port.messages, failed


def direct(tmp_path: Path, source: Path, operation, name: str) -> tuple[Path, list[str]]:
    target = tmp_path / f"direct_{name}.xlsx"
    shutil.copyfile(source, target)
    port = FileWorkbookPort(target)
    operation(port)
    port.save()
    return target, port.messages


def test_check_all_script_leaves_the_same_marks_and_texts(filled, tmp_path):
    expected, messages = direct(tmp_path, filled, bridge.check_all, "check_all")
    live, replayed_messages, failed = run_and_replay(tmp_path, filled, "check_all")
    assert failed == []
    assert replayed_messages == messages
    assert messages[-1].startswith("校验完成(全部工作表):共 10 个项目,发现")
    got, want = snapshot(live), snapshot(expected)
    assert got == want
    # and there is something to compare: marked cells, the result sheet first, the hidden record
    assert got["sheets"][0] == ("校验结果", "visible") and ("_lubudget_marks", "hidden") in got["sheets"]
    marked = sum(1 for title, _ in got["sheets"][1:] for v in got[title][0].values() if v[3])
    assert marked >= 5


def test_clear_marks_script_gives_back_the_users_fills_and_notes(filled, tmp_path):
    # the user's own fill and note on a cell the check will mark
    port = FileWorkbookPort(filled)
    plan_cell = bridge.check_all(port).plan.marks[0]
    prepared = tmp_path / "prepared.xlsx"
    port = FileWorkbookPort(filled)
    port.set_fill(plan_cell.sheet, plan_cell.cell, "00B050")
    port.set_note(plan_cell.sheet, plan_cell.cell, "我自己的批注")
    port.save(prepared)
    checked, _ = direct(tmp_path, prepared, bridge.check_all, "checked")

    live, messages, failed = run_and_replay(tmp_path, checked, "clear_marks")
    assert failed == [] and messages[-1].startswith("已清除 ")
    after = snapshot(live)
    assert after == snapshot(prepared)
    value, fill, _, note, _ = after[plan_cell.sheet][0][plan_cell.cell]
    assert (fill, note) == ("FF00B050", "我自己的批注")
    assert MARKS_SHEET not in [name for name, _ in after["sheets"]]


def test_check_sheet_uses_the_active_sheet_sent_by_the_macro(filled, tmp_path):
    sheet = load_workbook(filled, read_only=True).sheetnames[2]
    expected_port = FileWorkbookPort(shutil.copyfile(filled, tmp_path / "direct.xlsx"))
    expected_port.select(sheet)
    bridge.check_sheet(expected_port)
    expected_port.save()
    live, messages, failed = run_and_replay(tmp_path, filled, "check_sheet", sheet=sheet)
    assert failed == [] and messages == expected_port.messages
    assert f"工作表“{sheet}”" in messages[-1]
    assert snapshot(live) == snapshot(tmp_path / "direct.xlsx")


def test_on_save_script_only_speaks(filled, tmp_path):
    want = FileWorkbookPort(filled)
    bridge.on_save(want)  # the seed's tables have errors: the check speaks up
    out = tmp_path / "save.ops"
    done = child("on_save", filled, out, tmp_path / "部门填报.xlsx")
    assert done.returncode == 0
    lines = out.read_bytes().decode("ascii").split("\r\n")
    assert lines[0] == HEADER and lines[-2] == END
    ops = [line.split("\t") for line in lines[1:-2]]
    assert {op[0] for op in ops} <= {"MSG", "STATUS"}  # the save check never writes into the workbook
    said = [unhexw(op[1]) for op in ops if op[0] == "MSG"]
    assert said == want.messages and said[0].startswith("保存前校验:10 个项目中发现")


def test_unreadable_copy_on_save_is_one_message_and_the_save_goes_on(tmp_path):
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(b"PK\x03\x04 not a workbook")
    out = tmp_path / "save.ops"
    done = child("on_save", copy, out, tmp_path / "book.xlsx")
    assert done.returncode == 0
    lines = out.read_bytes().decode("ascii").split("\r\n")
    assert lines[1].startswith("MSG\t") and lines[2] == END
    assert unhexw(lines[1].split("\t")[1]).startswith("保存前校验没有完成:")


def test_export_records_lands_beside_the_live_workbook(filled, tmp_path):
    live, messages, failed = run_and_replay(tmp_path, filled, "export_records")
    assert failed == []
    records = live.with_name(live.stem + ".records.json")
    assert records.is_file() and str(records) in messages[-1]


def test_bad_arguments_write_nothing(tmp_path):
    out = tmp_path / "x.ops"
    done = child("format_disk", tmp_path / "a.xlsx", out, "")
    assert done.returncode == 2 and not out.exists()
