"""A value written in one cell (≥95%) laid out for a form with 指标值符号 and 计量单位 columns.

Last year's 88号 form had one 指标值 cell; the 101号 form (and many provinces') asks for the sign,
the number and the unit in their own columns. Rolling a table from one into the other must keep
every cell: `split_value` says what goes into each column, and when it cannot (no sign written:
"450本" is a floor or an exact count only the department knows; several quantities in one cell),
why, so the caller reports the row instead of leaving the columns silently empty.

The value text is kept as written unless it is nothing but sign, number and unit (≥95%, 95%以上,
不低于2次 → 95 / 2); the sign and unit columns are filled from what the parser read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lubudget_xl.values.signs import PREFIX_PATTERN, SUFFIX_PATTERN
from lubudget_xl.values.text import normalize_text
from lubudget_xl.values.types import KIND_QUALITATIVE, KIND_QUANTITATIVE, ParsedValue

QUALITATIVE = "定性"
NO_SIGN, SEVERAL = "no_sign", "several_quantities"
REASONS = {
    NO_SIGN: "指标值没有写明符号(是下限、上限还是确数),无法确定符号栏",
    SEVERAL: "一个指标值中有几个数值,无法拆成一个符号、一个数值和一个单位",
}
_PUNCTUATION = re.compile(r"[\s。.,,;;、]+")


@dataclass(frozen=True)
class Split:
    sign: str | None
    value: str
    unit: str | None
    problem: str | None = None  # NO_SIGN / SEVERAL: the row could not be split fully

    @property
    def reason(self) -> str:
        return REASONS.get(self.problem or "", "")


def _bare(value: str, parsed: ParsedValue) -> str | None:
    """The number alone when the text is only sign, number and unit ("≥95%", "95%以上", "不低于2次")."""
    text = normalize_text(value)
    number = f"{parsed.number:g}"
    rest = PREFIX_PATTERN.sub("", SUFFIX_PATTERN.sub("", text, count=1), count=1)
    rest = rest.replace(number, "", 1).replace(parsed.unit or "\0", "", 1)
    rest = re.sub(r"^\s*(?:>=|<=|=>|=<|==|[≥≤><=＞＜＝])", "", rest)
    return number if not _PUNCTUATION.sub("", rest) else None


def split_value(value: str, parsed: ParsedValue, sign_column: bool, unit_column: bool) -> Split:
    """What a form with a sign and/or unit column gets from a one-cell value. Empty, placeholder and
    不适用 values are returned as they are (the rules judge them; nothing here to split)."""
    if parsed.kind == KIND_QUALITATIVE:
        return Split(QUALITATIVE if sign_column else None, value, None)
    if parsed.kind != KIND_QUANTITATIVE:
        return Split(None, value, None)
    units = {p.unit for p in parsed.parts}
    if len(parsed.parts) > 1:
        unit = next(iter(units)) if unit_column and len(units) == 1 and "" not in units else None
        return Split(None, value, unit or None, SEVERAL if sign_column else None)
    unit = (parsed.unit or None) if unit_column else None
    if sign_column and not parsed.sign:
        return Split(None, value, unit, NO_SIGN)
    bare = _bare(value, parsed) if sign_column and unit_column and parsed.number is not None else None
    return Split(parsed.sign if sign_column else None, bare or value, unit)
