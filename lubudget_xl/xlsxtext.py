"""Department text written into a workbook stays text (issue 13).

openpyxl stores any string that starts with `=` as a formula and `#N/A`-like strings as errors;
a department's project name `=HYPERLINK(…)` would then run in the reviewer's Excel. Every
openpyxl output (annotated copies, fill and rollover workbooks) writes values through `put`.
Our own writer (consolidate/xlsxfast.py) and XlsxWriter's `write_string` (return lists) store
strings as shared strings, which no spreadsheet program evaluates; `FORMULA_PREFIXES` are the
starts a program could read as a formula when text is typed or pasted (=, +, -, @).
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@")


def put(cell: Any, value: Any) -> None:
    """Set an openpyxl cell: a string is always a string cell, never a formula or an error."""
    cell.value = value
    if isinstance(value, str) and cell.data_type != "s":
        cell.data_type = "s"


def put_row(sheet: Any, row: int, values: Any, first_column: int = 1) -> None:
    """`sheet.append` without its reading of `=…` as formulas."""
    for column, value in enumerate(values, start=first_column):
        if value is not None:
            put(sheet.cell(row, column), value)
