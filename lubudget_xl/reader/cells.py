"""Cell-level helpers: text of a cell, label keys, numbers typed as text, A1 addresses.

People type the same label many ways: full-width colons and brackets, spaces for alignment,
trailing blanks. `label_key` folds all of those so the layout finder compares one form.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lubudget_xl.values import parse_amount

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


@dataclass(frozen=True)
class UncalculatedFormula:
    """A formula cell whose file holds no computed result (openpyxl writes formulas like that).

    The workbook loader puts one in the grid where calamine saw nothing; the reader reports it
    when it is a field we read, and never recomputes it.
    """

    formula: str = ""

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"={self.formula}"


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """`text` folded for label comparison: NFKC (full-width to half-width), no spaces, no end colon."""
    key = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    return key.rstrip(":")


def col_letters(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    return _col_letters(col)


@lru_cache(maxsize=4096)
def _col_letters(col: int) -> str:
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """0-based (row, col) → A1 address."""
    return f"{_col_letters(col)}{row + 1}"


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return False


def cell_text(value: Any) -> str:
    """What a person sees in the cell as text, trimmed. Whole floats lose their `.0`."""
    if isinstance(value, str):  # first: nearly every cell read is text
        return value.strip().replace("\r\n", "\n")
    if value is None or isinstance(value, UncalculatedFormula):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value) if abs(value) < 1e15 else str(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip()


def to_number(value: Any) -> float | None:
    """A fund amount from a number cell or a number stored as text ("１５６", "1,560.5", "156万元").

    The one amount parser of the project (`values.parse_amount`), so workbooks and published text
    agree. Raises ValueError when there is text that is not a number; returns None for an empty cell.
    """
    if not isinstance(value, int | float) and not cell_text(value):
        return None
    amount = parse_amount(value)
    if amount is None:
        raise ValueError(str(value))
    return amount
