"""One LibreOffice session that runs our VBA in workbooks, driven through UNO by the system Python.

Usage: /usr/bin/python3 lo_session.py SPEC.json (the system Python, which has uno; never imported)  → prints a JSON report on stdout.
SPEC: {"profile": dir, "pipe": name, "env": {...}, "books": [{"file": f, "steps": [step, …]}, …]}
Steps: ["call", "Module.Sub", [args…]] runs a macro of the document's project (lubudget);
["set", sheet, cell, text] types a value; ["store"] saves the document onto its file (what Ctrl+S
ends with); ["store_as", path] saves a copy as .xlsx; ["pdf", path] prints the workbook to PDF;
["read", sheet, cell] reports a cell's text.

`env` is added to soffice's environment: the macros read LUBUDGET_PYTHON and LUBUDGET_MESSAGE_LOG
from there. LibreOffice fires no workbook events for hidden documents, so the before-save handler is
called as a macro, right before the store, exactly as the event would call it.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import uno  # noqa: F401 - system Python only
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str, profile: str, env: dict):
    proc = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore",
         "--nologo", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, **env),
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 120
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.3)
    return proc, ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def shut_down(proc, desktop) -> None:
    """End the session: ask the office to quit, then stop the process if it lingers."""
    with contextlib.suppress(Exception):  # the office may already be gone
        desktop.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def run_book(desktop, book: dict) -> list:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(book["file"]), "_blank", 0,
                                       (prop("Hidden", True), prop("MacroExecutionMode", 4)))
    provider = doc.getScriptProvider()
    out = []
    try:
        for step in book["steps"]:
            kind = step[0]
            if kind == "call":
                script = provider.getScript(
                    f"vnd.sun.star.script:lubudget.{step[1]}?language=Basic&location=document")
                result = script.invoke(tuple(step[2]), (), ())[0]
                out.append(None if result is None else str(result))
            elif kind == "set":
                doc.Sheets.getByName(step[1]).getCellRangeByName(step[2]).setString(step[3])
                out.append(None)
            elif kind == "store":
                doc.store()
                out.append(None)
            elif kind == "store_as":
                doc.storeToURL(uno.systemPathToFileUrl(step[1]), (prop("FilterName", "Calc MS Excel 2007 XML"),))
                out.append(None)
            elif kind == "pdf":
                doc.storeToURL(uno.systemPathToFileUrl(step[1]), (prop("FilterName", "calc_pdf_Export"),))
                out.append(None)
            elif kind == "read":
                out.append(doc.Sheets.getByName(step[1]).getCellRangeByName(step[2]).getString())
            else:
                raise ValueError(kind)
    finally:
        doc.close(True)
    return out


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    proc, desktop = connect(spec["pipe"], spec["profile"], spec.get("env", {}))
    report = []
    try:
        for book in spec["books"]:
            try:
                report.append({"results": run_book(desktop, book)})
            except Exception as err:  # one broken book must not hide the others' results
                report.append({"error": f"{type(err).__name__}: {err}"})
    finally:
        shut_down(proc, desktop)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
