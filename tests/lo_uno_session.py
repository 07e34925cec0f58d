"""One LibreOffice session driven through UNO, run by the system Python (which has `uno`).

Usage: python3 lo_uno_session.py SPEC.json  → prints a JSON report on stdout.
SPEC: {"profile": dir, "pipe": name, "roundtrip": [src, dst], "entries": [{"file": f, "sheet": s,
"cells": {"C12": "text", …}, "read": ["H5", …], "copy_to": name?, "insert_rows": [row, n]?}, …],
"pdf": [src, dst]}

What it proves, as a spreadsheet program sees it: the file survives xlsx → LibreOffice → xlsx;
typed values are judged by the dependent validations (`showInvalid` circles the invalid cells, as
Excel's "Circle Invalid Data" does); the check formulas compute; the form prints to PDF.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import uno  # noqa: F401 - system Python only

# The session start-up and shut-down (soffice on a pipe, the UNO connect loop) are the add-in bridge's own,
# lubudget_xl/excel/lo_session.py: a plain script with no package imports, loaded from its folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lubudget_xl" / "excel"))
from lo_session import connect, prop, shut_down  # noqa: E402


def url(path: str) -> str:
    return uno.systemPathToFileUrl(path)


def load(desktop, path: str):
    return desktop.loadComponentFromURL(url(path), "_blank", 0, (prop("Hidden", True),))


def enter(desktop, e: dict) -> dict:
    """Type `cells` into a sheet, recalculate, and report invalid cells and the cells to `read`."""
    doc = load(desktop, e["file"])
    name = e["sheet"]
    if "copy_to" in e:  # what a user does to add a project: copy the sheet
        doc.Sheets.copyByName(name, e["copy_to"], 1)
        name = e["copy_to"]
    sheet = doc.Sheets.getByName(name)
    if "insert_rows" in e:  # 1-based row before which rows are inserted, and how many
        before, count = e["insert_rows"]
        sheet.Rows.insertByIndex(before - 1, count)
    for cell, text in e.get("cells", {}).items():
        target = sheet.getCellRangeByName(cell)
        if isinstance(text, int | float):
            target.setValue(text)
        else:
            target.setString(text)
    doc.calculateAll()
    sheet.showInvalid()
    invalid = []
    page = sheet.DrawPage
    for i in range(page.Count):
        anchor = page.getByIndex(i).Anchor
        if hasattr(anchor, "getCellAddress"):
            a = anchor.getCellAddress()
            invalid.append(sheet.getCellByPosition(a.Column, a.Row).AbsoluteName.split(".")[-1].replace("$", ""))
    out = {"invalid": sorted(invalid), "read": {c: sheet.getCellRangeByName(c).getString() for c in e.get("read", [])}}
    out["validation"] = {}
    for cell in e.get("cells", {}):
        v = sheet.getCellRangeByName(cell).getPropertyValue("Validation")
        out["validation"][cell] = {"formula": v.getFormula1(), "show_error": bool(v.ShowErrorMessage)}
    doc.close(True)
    return out


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    report: dict = {}
    proc, desktop = connect(spec["pipe"], spec["profile"], {})
    try:
        if "roundtrip" in spec:
            src, dst = spec["roundtrip"]
            doc = load(desktop, src)
            doc.storeToURL(url(dst), (prop("FilterName", "Calc MS Excel 2007 XML"),))
            doc.close(True)
        report["entries"] = [enter(desktop, e) for e in spec.get("entries", [])]
        if "pdf" in spec:
            src, dst = spec["pdf"]
            doc = load(desktop, src)
            doc.storeToURL(url(dst), (prop("FilterName", "calc_pdf_Export"),))
            doc.close(True)
    finally:
        shut_down(proc, desktop)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
