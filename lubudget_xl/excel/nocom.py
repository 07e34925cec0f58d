"""The child process of the bridge with no COM call-back (WPS, LibreOffice, Python without pywin32).

The macros (`macros/LubudgetBridge.bas`) save a copy of the workbook and run, hidden, and wait for:

    python -m lubudget_xl.excel.nocom ACTION COPY OUT BOOK SHEET CELL [FOLDER]

ACTION is a function of `entry` (check_sheet, check_all, clear_marks, new_project_sheet,
insert_indicator_row, export_records, consolidate_folder, on_save); COPY is the saved copy, OUT the
script to write, BOOK the live workbook's path ("" when never saved), SHEET/CELL the active sheet and
cell, FOLDER the folder for consolidate_folder. Paths and the sheet name come as hex UTF-16 (VBA's
`HexW`), so any characters survive any command line. The run writes OUT atomically (see
`script_port` for its format) and exits 0; exit 1 (with a FAIL line) when the operation broke, 2 on
bad arguments (nothing written). The copy is read, never changed on disk.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from lubudget_xl.errors import UserError
from lubudget_xl.excel import entry
from lubudget_xl.excel.failure import failure_text
from lubudget_xl.excel.script_port import END, HEADER, ScriptPort, hexw, unhexw
from lubudget_xl.fsutil import write_bytes_atomic

ACTIONS: dict[str, Callable[..., Any]] = {
    "check_sheet": entry.check_sheet,
    "check_all": entry.check_all,
    "clear_marks": entry.clear_marks,
    "new_project_sheet": entry.new_project_sheet,
    "insert_indicator_row": entry.insert_indicator_row,
    "export_records": entry.export_records,
    "on_save": entry.on_save,
}


def run(action: str, copy: str, book: str, sheet: str, cell: str, folder: str | None = None) -> tuple[str, bool]:
    """Run `action` on the copy; returns (script, finished)."""
    from lubudget_xl.excel.file_port import FileWorkbookPort

    try:
        file_port = FileWorkbookPort(copy)
        if sheet in file_port.sheet_names():
            file_port.select(sheet, cell or "A1")
    except Exception as err:  # noqa: BLE001 - any unreadable copy: one message, and the save goes on
        # the copy cannot be opened: say so in the operation's own words
        reason = str(err) if isinstance(err, UserError) else f"{copy}: 无法打开工作簿({err})"
        text = f"保存前校验没有完成:{reason}。文件照常保存。" if action == "on_save" else reason
        return "\r\n".join([HEADER, f"MSG\t{hexw(text)}", END]) + "\r\n", action == "on_save"
    port = ScriptPort(file_port, workbook_path=book)
    try:
        if action == "consolidate_folder":
            entry.consolidate_folder(hexw(folder or ""), port)  # entry decodes the hex again
        else:
            ACTIONS[action](port)
    except Exception as err:  # noqa: BLE001 - reported to the user by the macro, like xlwings' traceback box
        port.fail(failure_text(err))
        return port.script(), False
    return port.script(), True


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) not in (6, 7) or (args[0] not in ACTIONS and args[0] != "consolidate_folder"):
        print("用法: python -m lubudget_xl.excel.nocom 操作 副本 输出 工作簿 工作表 单元格 [文件夹]", file=sys.stderr)
        return 2
    try:
        action, copy, out, book, sheet = args[0], *(unhexw(a) for a in args[1:5])
        cell = args[5]
        folder = unhexw(args[6]) if len(args) == 7 else None
    except ValueError:
        print("参数不是十六进制 UTF-16 文本", file=sys.stderr)
        return 2
    script, finished = run(action, copy, book, sheet, cell, folder)
    write_bytes_atomic(out, script.encode("ascii"))
    return 0 if finished else 1


if __name__ == "__main__":
    sys.exit(main())
