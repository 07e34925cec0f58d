"""Canonical text of a parsed value: what `format_value` writes back into a cell.

The output is the shortest text that `parse_value` reads back to the same value (every field but
`raw`): years first (`2020年，`), then one clause per part, `label：` + sign + number + unit,
joined by `；` (a `，` would turn `9，312` into a thousands separator). Values without quantities are returned as they were typed (`raw`).
"""

from __future__ import annotations

from lubudget_xl.values.numerals import format_number
from lubudget_xl.values.types import KIND_QUANTITATIVE, ParsedValue, ValuePart


def format_part(part: ValuePart) -> str:
    label = f"{part.label}：" if part.label else ""
    return f"{label}{part.sign or ''}{format_number(part.number)}{part.unit}"


def format_value(value: ParsedValue) -> str:
    """Canonical text for a quantitative value; `raw` for every other kind."""
    if value.kind != KIND_QUANTITATIVE or not value.parts:
        return value.raw
    clauses = []
    if value.years:
        clauses.append("、".join(f"{year}年" for year in value.years))
    clauses.extend(format_part(part) for part in value.parts)
    return "；".join(clauses)
