"""The save check and 校验全部 end to end in LibreOffice, through the bridge with no COM call-back.

A filled workbook carries our macros (lubudget_xl.addin.embed); LibreOffice, driven headless through
UNO (lubudget_xl/excel/lo_session.py), runs them: the VBA saves a copy, runs `python -m lubudget_xl.excel.nocom`
hidden, waits, and paints what the script says. The workbook LibreOffice saves is read back and
compared with what the bridge writes itself (FileWorkbookPort), cell by cell. Message boxes go to a
log (LUBUDGET_MESSAGE_LOG). Also: the before-save handler with Python present and with Python missing
(the save goes on), and the marked sheet printed to PDF and rendered to PNG.

LibreOffice fires no workbook events for hidden documents (and a visible one crashes the headless
office), so the test calls the before-save handler, ThisWorkbook.Workbook_BeforeSave, as the event
would, then stores the document.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import SEED
from openpyxl import load_workbook

import lubudget_xl.excel
from lubudget_xl.addin.embed import embed_macros
from lubudget_xl.excel import bridge
from lubudget_xl.excel.file_port import FileWorkbookPort
from lubudget_xl.excel.marks import MARKS_SHEET

SESSION = Path(lubudget_xl.excel.__file__).with_name("lo_session.py")
SYSTEM_PYTHON = "/usr/bin/python3"
RESULT_SHEET = "校验结果"
SAVE_FAILED = "保存前的校验没有完成（可能未安装 Python 或 lubudget_xl）。文件照常保存。"

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def _require_libreoffice() -> None:
    """LibreOffice with Python UNO, and poppler: skipped on a developer's PC without them, a failure in CI."""
    missing = [name for name in ("soffice", "pdftoppm") if shutil.which(name) is None]
    if not missing and subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0:
        missing.append("python3-uno")
    if missing:
        message = f"LibreOffice end-to-end tests need {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _session(tmp: Path, books: list[dict], env: dict) -> list[dict]:
    tag = uuid.uuid4().hex[:8]
    spec = {"profile": str(tmp / f"profile-{tag}"), "pipe": f"lubudget_vba_{os.getpid()}_{tag}", "env": env,
            "books": books}  # fmt: skip
    spec_file = tmp / f"spec-{tag}.json"
    spec_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([SYSTEM_PYTHON, str(SESSION), str(spec_file)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert all("error" not in book for book in report), report
    return report


def _messages(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [bytes.fromhex(line.strip()).decode("utf-16-be") for line in log.read_text(encoding="ascii").splitlines()
            if line.strip()]  # fmt: skip


@pytest.fixture(scope="module")
def lo(tmp_path_factory):
    """One LibreOffice session with Python, one without; returns what each left behind."""
    _require_libreoffice()
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.template import fill_workbook, layout_for
    from lubudget_xl.textimport import import_text

    tmp = tmp_path_factory.mktemp("lo_bridge")
    catalog = load_catalog("2021")
    filled = fill_workbook(import_text(SEED, catalog).projects, catalog, tmp / "部门填报.xlsx")
    macro_book = embed_macros(filled, tmp / "部门填报.xlsm")
    first_sheet = load_workbook(filled, read_only=True).sheetnames[0]
    name_cell = layout_for(catalog).value_cell("name")
    books = {name: shutil.copyfile(macro_book, tmp / f"{name}.xlsm") for name in ("check", "save", "nopython")}
    out = {"tmp": tmp, "filled": filled, "first_sheet": first_sheet, "name_cell": name_cell, "books": books}

    before_save = ["call", "ThisWorkbook.Workbook_BeforeSave", [False, False]]
    edit = ["set", first_sheet, name_cell, ""]  # the user clears 项目名称, then presses Ctrl+S
    log = tmp / "messages.log"
    _session(tmp, [
        {"file": str(books["check"]), "steps": [["call", "LubudgetRibbon.CheckAll", []],
                                                ["store_as", str(tmp / "checked.xlsx")], ["pdf", str(tmp / "checked.pdf")]]},
        {"file": str(books["save"]), "steps": [edit, before_save, ["store"]]},
    ], {"LUBUDGET_PYTHON": sys.executable, "LUBUDGET_MESSAGE_LOG": str(log)})  # fmt: skip
    out["messages"] = _messages(log)

    log_missing = tmp / "messages_nopython.log"
    _session(tmp, [{"file": str(books["nopython"]), "steps": [edit, before_save, ["store"]]}],
             {"LUBUDGET_PYTHON": str(tmp / "没有这个" / "python3"), "LUBUDGET_MESSAGE_LOG": str(log_missing)})
    out["messages_nopython"] = _messages(log_missing)
    return out


@pytest.fixture(scope="module")
def expected(lo):
    """What the bridge writes itself on the same workbook (the xlwings path's code, on a file)."""
    target = lo["tmp"] / "direct.xlsx"
    shutil.copyfile(lo["filled"], target)
    port = FileWorkbookPort(target)
    summary = bridge.check_all(port)
    port.save()
    return target, summary, port.messages


def _cells(path: Path) -> dict:
    """Per sheet: {cell: (value, fill RGB, link location, note)} of every cell with any of them."""
    wb = load_workbook(path)
    out = {}
    for ws in wb:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
                fill = fill[-6:].upper() if isinstance(fill, str) else None
                link = c.hyperlink.location if c.hyperlink is not None else None
                note = c.comment.text if c.comment is not None else None
                if c.value is not None or fill or link or note:
                    cells[c.coordinate] = (c.value, fill, link, note)
        out[ws.title] = cells
    out["_sheets"] = [(ws.title, ws.sheet_state) for ws in wb]
    return out


def test_check_all_marks_the_exact_cells_and_writes_the_result_rows(lo, expected):
    direct, summary, messages = expected
    got, want = _cells(lo["tmp"] / "checked.xlsx"), _cells(direct)
    # the summary message box: the bridge's own text
    assert lo["messages"][0] == messages[-1]
    assert lo["messages"][0].startswith("校验完成(全部工作表):共 10 个项目,发现错误 13 项")
    # sheets: 校验结果 first, the hidden record last, as the bridge leaves them
    assert got["_sheets"] == want["_sheets"]
    assert got["_sheets"][0] == (RESULT_SHEET, "visible") and got["_sheets"][-1] == (MARKS_SHEET, "hidden")
    # every marked cell: the note and the fill of the plan, and no other cell has a note
    assert len(summary.plan.marks) >= 20
    for mark in summary.plan.marks:
        value, fill, _, note = got[mark.sheet][mark.cell]
        assert (note, fill) == (mark.note, mark.fill), (mark.sheet, mark.cell)
    noted = {(s, c) for s, cells in got.items() if s != "_sheets" for c, v in cells.items() if v[3]}
    assert noted == {(m.sheet, m.cell) for m in summary.plan.marks}
    # 校验结果: titles and one row per finding, word for word, each 位置 linked to its cell
    table = summary.plan.table()
    result = got[RESULT_SHEET]
    for r, row in enumerate(table, start=1):
        for c, text in enumerate(row):
            cell = f"{'ABCDEFG'[c]}{r}"
            assert (result.get(cell, (None,))[0] or "") == text, cell
    links = {cell: v[2] for cell, v in result.items() if v[2]}
    assert links == {f"D{n + 2}": row.target.removeprefix("#") for n, row in enumerate(summary.plan.rows) if row.target}
    # and everything else is what the bridge writes (values, fills, links, notes on every sheet)
    assert got == want


def test_before_save_shows_the_summary_and_the_file_is_saved(lo):
    saved = lo["books"]["save"]
    wb = load_workbook(saved, read_only=True, keep_vba=True)
    assert wb[lo["first_sheet"]][lo["name_cell"]].value in (None, "")  # the edit made before Ctrl+S is in the file
    wb.close()
    port = FileWorkbookPort(saved)
    bridge.on_save(port)  # what the check says about the saved workbook
    assert lo["messages"][1:] == port.messages
    assert port.messages[0].startswith("保存前校验:10 个项目中发现错误 14 项")
    assert "文件照常保存" in port.messages[0]
    # the save check writes nothing into the workbook
    assert RESULT_SHEET not in load_workbook(saved, read_only=True, keep_vba=True).sheetnames


def test_with_python_missing_one_line_and_the_save_goes_on(lo):
    assert lo["messages_nopython"] == [SAVE_FAILED]
    saved = lo["books"]["nopython"]
    wb = load_workbook(saved, read_only=True, keep_vba=True)
    assert wb[lo["first_sheet"]][lo["name_cell"]].value in (None, "")
    assert load_workbook(lo["books"]["check"], read_only=True, keep_vba=True)[lo["first_sheet"]][lo["name_cell"]].value


def test_the_marked_workbook_prints_and_renders_to_png(lo):
    pdf = lo["tmp"] / "checked.pdf"
    assert pdf.stat().st_size > 10_000
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(lo["tmp"] / "page")], check=True,
                   timeout=120)  # fmt: skip
    pages = sorted(lo["tmp"].glob("page-*.png"))
    assert len(pages) == 2 and all(p.stat().st_size > 5_000 for p in pages)
    # 校验结果 printed as the macros set it up (PRINT): A4 landscape, titles on page 2, page numbers as
    # fields (LibreOffice's VBA would print Excel's &P and &N literally)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60).stdout
    assert "841.89 x 595.3" in info
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "2", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout.split("\f")  # fmt: skip
    assert "&P" not in text[0] and re.search(r"第 1 页 共 \d+ 页", text[0]) and re.search(r"第 2 页 共 \d+ 页", text[1])
    assert "级别" in text[1] and "修改建议" in text[1]


def test_demo_step_shows_the_save_check_in_libreoffice(lo, tmp_path, capsys):
    from lubudget_xl.cli.demo_steps_libreoffice import libreoffice_step

    libreoffice_step({"out": tmp_path, "filled": lo["filled"]})
    said = capsys.readouterr().err
    assert "校验完成(全部工作表):共 10 个项目" in said and "保存前校验:10 个项目中发现错误" in said
    for name in ("LibreOffice演示_校验结果.png", "LibreOffice演示_项目表.png"):
        png = tmp_path / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000, name
    saved = load_workbook(tmp_path / "LibreOffice演示.xlsm", read_only=True, keep_vba=True)
    assert saved.sheetnames[0] == RESULT_SHEET  # 校验全部's marks were saved with the workbook
