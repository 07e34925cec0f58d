"""A `WorkbookPort` that records what the bridge writes, for macros to replay: the bridge with no COM call-back.

Where xlwings cannot call back into the host (WPS, LibreOffice, Python without pywin32), the macros
save a copy of the workbook, run `python -m lubudget_xl.excel.nocom` on it, and replay the script
this port wrote. Reads come from the copy (`FileWorkbookPort`); every write is applied to the copy
too (so later reads see it, as they would in Excel) and recorded as one line. The bridge code is the
same as in Excel, so the marks, the 校验结果 sheet and every message are the same texts.

Script format (the macros' reader is `LubudgetBridge.bas`): ASCII lines ending in CR LF, fields
separated by TAB; the first line is `LUBUDGET-OPS<TAB>1`, the last `END` (a missing END means a
broken run). Text fields are hex UTF-16 code units (4 hex digits each, so any character survives
and the macro source stays ASCII), `-` stands for None; numbers and 0/1 flags are plain.

    VALUES sheet cell n kind1 value1 … kindN valueN   one row of cells from `cell` rightwards;
                                                      kind s (hex text), n (number), b (0/1), e (empty)
    FILL sheet cell RRGGBB|-      NOTE sheet cell text|-      LINK sheet cell location
    ADDSHEET name hidden first    DELSHEET name               COPYSHEET source name
    WIDTH sheet column width wrap BOLD sheet cell             FREEZE sheet cell
    FILTER sheet ref              INSERTROW sheet row         STATUS text|-
    PRINT sheet title_row landscape footer (A4, one page wide, titles repeated, footer centred)
    MSG text                      FAIL text (the operation did not finish; text says why)
"""

from __future__ import annotations

from typing import Any

from lubudget_xl.excel.file_port import FileWorkbookPort

HEADER = "LUBUDGET-OPS\t1"
END = "END"
NONE = "-"


def hexw(text: str) -> str:
    """Hex UTF-16 code units, as the macros' `UnHexW` reads them (characters beyond U+FFFF as a pair)."""
    data = text.encode("utf-16-be")
    return data.hex().upper()


def unhexw(field: str) -> str:
    return bytes.fromhex(field).decode("utf-16-be")


def _text(value: str | None) -> str:
    return NONE if value is None else hexw(str(value))


def _cell_value(value: Any) -> list[str]:
    if value is None:
        return ["e", ""]
    if isinstance(value, bool):
        return ["b", "1" if value else "0"]
    if isinstance(value, int | float):
        return ["n", repr(value)]
    return ["s", hexw(str(value))]


class ScriptPort:
    """Reads from `file_port`; writes go to it and to `lines`. `workbook_path` is the live workbook's
    path (the copy lives in a temporary folder), so findings and exported records name the real file."""

    def __init__(self, file_port: FileWorkbookPort, workbook_path: str = ""):
        self.file = file_port
        self._workbook_path = workbook_path
        self.lines: list[str] = []
        self.messages: list[str] = []

    def _op(self, *fields: str) -> None:
        self.lines.append("\t".join(fields))

    def script(self) -> str:
        return "\r\n".join([HEADER, *self.lines, END]) + "\r\n"

    def fail(self, text: str) -> None:
        self._op("FAIL", hexw(text))

    # --- reads: from the copy ---
    def workbook_path(self) -> str:
        return self._workbook_path

    def custom_properties(self) -> dict[str, Any]:
        return self.file.custom_properties()

    def sheet_names(self) -> list[str]:
        return self.file.sheet_names()

    def active_sheet(self) -> str:
        return self.file.active_sheet()

    def active_cell(self) -> str:
        return self.file.active_cell()

    def values(self, sheet: str) -> list[list[Any]]:
        return self.file.values(sheet)

    def merged_ranges(self, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        return self.file.merged_ranges(sheet)

    def fill(self, sheet: str, cell: str) -> str | None:
        return self.file.fill(sheet, cell)

    def note(self, sheet: str, cell: str) -> str | None:
        return self.file.note(sheet, cell)

    # --- writes: applied to the copy and recorded ---
    def write_values(self, sheet: str, cell: str, rows: list[list[Any]]) -> None:
        self.file.write_values(sheet, cell, rows)
        from openpyxl.utils.cell import coordinate_from_string

        column, first_row = coordinate_from_string(cell)
        for offset, row in enumerate(rows):
            fields = [field for value in row for field in _cell_value(value)]
            self._op("VALUES", hexw(sheet), f"{column}{first_row + offset}", str(len(row)), *fields)

    def set_fill(self, sheet: str, cell: str, rgb: str | None) -> None:
        self.file.set_fill(sheet, cell, rgb)
        self._op("FILL", hexw(sheet), cell, rgb.upper() if rgb else NONE)

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        self.file.set_note(sheet, cell, text)
        self._op("NOTE", hexw(sheet), cell, _text(text))

    def set_link(self, sheet: str, cell: str, location: str) -> None:
        self.file.set_link(sheet, cell, location)
        self._op("LINK", hexw(sheet), cell, hexw(location))

    def add_sheet(self, name: str, *, hidden: bool = False, first: bool = False) -> None:
        self.file.add_sheet(name, hidden=hidden, first=first)
        self._op("ADDSHEET", hexw(name), str(int(hidden)), str(int(first)))

    def set_column_width(self, sheet: str, column: int, width: float, *, wrap: bool = False) -> None:
        self.file.set_column_width(sheet, column, width, wrap=wrap)
        self._op("WIDTH", hexw(sheet), str(column), repr(float(width)), str(int(wrap)))

    def set_bold(self, sheet: str, cell: str) -> None:
        self.file.set_bold(sheet, cell)
        self._op("BOLD", hexw(sheet), cell)

    def freeze(self, sheet: str, cell: str) -> None:
        self.file.freeze(sheet, cell)
        self._op("FREEZE", hexw(sheet), cell)

    def set_filter(self, sheet: str, ref: str) -> None:
        self.file.set_filter(sheet, ref)
        self._op("FILTER", hexw(sheet), ref)

    def set_print(self, sheet: str, title_row: int, footer: str, *, landscape: bool = True) -> None:
        self.file.set_print(sheet, title_row, footer, landscape=landscape)
        self._op("PRINT", hexw(sheet), str(title_row), str(int(landscape)), hexw(footer))

    def delete_sheet(self, name: str) -> None:
        self.file.delete_sheet(name)
        self._op("DELSHEET", hexw(name))

    def copy_sheet(self, source: str, name: str) -> None:
        self.file.copy_sheet(source, name)
        self._op("COPYSHEET", hexw(source), hexw(name))

    def insert_row(self, sheet: str, row: int) -> None:
        self.file.insert_row(sheet, row)
        self._op("INSERTROW", hexw(sheet), str(row))

    def status(self, text: str | None) -> None:
        self._op("STATUS", _text(text))

    def message(self, text: str) -> None:
        self.messages.append(text)
        self._op("MSG", hexw(text))
