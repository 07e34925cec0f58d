"""Parsing 本年度指标值 text into sign, number, unit and kind (RULES.md "Value forms").

Public surface: `parse_value`, `format_value`, and the types. Stdlib only: it runs on every save.
"""

from __future__ import annotations

import re

from lubudget_xl.values.types import (
    KIND_EMPTY,
    KIND_PLACEHOLDER,
    KIND_QUALITATIVE,
    KIND_QUANTITATIVE,
    ParsedValue,
    ValuePart,
)

__all__ = ["ParsedValue", "ValuePart", "format_value", "parse_value"]

_NUMBER = re.compile(r"(?P<sign>[≥＞＝＜≤])?(?P<num>\d+(?:\.\d+)?)(?P<unit>%|[^\d\s,，。;；]*)")
_PLACEHOLDERS = {"预算绩效目标值", "预期目标值", "*", "**", "XX", "-", "/"}


def parse_value(text: str, sign: str | None = None, unit: str | None = None) -> ParsedValue:
    """Minimal first version: one optional sign, a number and a unit suffix."""
    raw = text
    stripped = text.strip()
    if not stripped:
        return ParsedValue(raw=raw, kind=KIND_EMPTY)
    if stripped in _PLACEHOLDERS:
        return ParsedValue(raw=raw, kind=KIND_PLACEHOLDER)
    parts = tuple(
        ValuePart(number=float(m["num"]), sign=m["sign"], unit=m["unit"]) for m in _NUMBER.finditer(stripped)
    )
    if not parts:
        return ParsedValue(raw=raw, kind=KIND_QUALITATIVE)
    first = parts[0]
    return ParsedValue(
        raw=raw, kind=KIND_QUANTITATIVE, sign=sign or first.sign, number=first.number, unit=unit or first.unit, parts=parts
    )


def format_value(value: ParsedValue) -> str:
    if value.kind != KIND_QUANTITATIVE:
        return value.raw
    return "".join(f"{p.label}{p.sign or ''}{p.number:g}{p.unit}" for p in value.parts)
