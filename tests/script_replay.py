"""Replays a bridge script (lubudget_xl.excel.script_port) onto a WorkbookPort, in Python.

The macros do the same in VBA (macros/LubudgetBridge.bas); this replayer lets the tests prove that a
script, replayed onto the live workbook, leaves exactly what the bridge leaves when it writes itself.
"""

from __future__ import annotations

from lubudget_xl.excel.port import WorkbookPort
from lubudget_xl.excel.script_port import END, HEADER, NONE, unhexw


def _text(field: str) -> str | None:
    return None if field == NONE else unhexw(field)


def _value(kind: str, value: str):
    if kind == "e":
        return None
    if kind == "b":
        return value == "1"
    if kind == "n":
        number = float(value)
        return int(number) if number.is_integer() and "." not in value and "e" not in value else number
    return unhexw(value)


def _values(fields: list[str]) -> list:
    return [_value(kind, value) for kind, value in zip(fields[0::2], fields[1::2], strict=True)]


def replay(script: str, port: WorkbookPort) -> list[str]:
    """Apply every line; returns the FAIL texts (empty when the operation finished)."""
    lines = script.split("\r\n")
    assert lines[0] == HEADER and lines[-2] == END and lines[-1] == "", "script not complete"
    failed = []
    for line in lines[1:-2]:
        op, *f = line.split("\t")
        if op == "VALUES":
            port.write_values(unhexw(f[0]), f[1], [_values(f[3:])])
            assert len(f[3:]) == 2 * int(f[2])
        elif op == "FILL":
            port.set_fill(unhexw(f[0]), f[1], None if f[2] == NONE else f[2])
        elif op == "NOTE":
            port.set_note(unhexw(f[0]), f[1], _text(f[2]))
        elif op == "LINK":
            port.set_link(unhexw(f[0]), f[1], unhexw(f[2]))
        elif op == "ADDSHEET":
            port.add_sheet(unhexw(f[0]), hidden=f[1] == "1", first=f[2] == "1")
        elif op == "WIDTH":
            port.set_column_width(unhexw(f[0]), int(f[1]), float(f[2]), wrap=f[3] == "1")
        elif op == "BOLD":
            port.set_bold(unhexw(f[0]), f[1])
        elif op == "FREEZE":
            port.freeze(unhexw(f[0]), f[1])
        elif op == "FILTER":
            port.set_filter(unhexw(f[0]), f[1])
        elif op == "DELSHEET":
            port.delete_sheet(unhexw(f[0]))
        elif op == "COPYSHEET":
            port.copy_sheet(unhexw(f[0]), unhexw(f[1]))
        elif op == "INSERTROW":
            port.insert_row(unhexw(f[0]), int(f[1]))
        elif op == "PRINT":
            port.set_print(unhexw(f[0]), int(f[1]), unhexw(f[3]), landscape=f[2] == "1")
        elif op == "STATUS":
            port.status(_text(f[0]))
        elif op == "MSG":
            port.message(unhexw(f[0]))
        elif op == "FAIL":
            failed.append(unhexw(f[0]))
        else:
            raise AssertionError(f"unknown op {op}")
    return failed
