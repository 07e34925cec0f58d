"""Years written in values and goals: which denote the budget year (shift them) and which were wrong.

A table for budget year Y speaks of Y (2021年内实施完毕); rolled over to Y+1 that becomes 2022年内实施完毕.
A year other than Y in a table of year Y (预计2020年受理量 in a 2021 table) was already suspect: it is
reported, never silently shifted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# A four-digit year followed by 年 or a date separator and a month digit; not inside a longer number.
_YEAR = re.compile(r"(?<![0-9０-９.])([12１２][0-9０-９]{3})(?=\s*(?:年|[-/.．][0-9０-９]))")


@dataclass(frozen=True)
class YearScan:
    text: str  # the text with the budget year shifted
    shifted: tuple[int, ...]  # occurrences of the budget year that moved
    suspect: tuple[int, ...]  # other years found (left as they were)

    @property
    def changed(self) -> bool:
        return bool(self.shifted)


def shift_years(text: str, from_year: int, to_year: int) -> YearScan:
    """Move every mention of `from_year` to `to_year`; collect the other years mentioned."""
    shifted: list[int] = []
    suspect: list[int] = []

    def replace(match: re.Match[str]) -> str:
        year = int(match.group(1).translate(_FULLWIDTH_DIGITS))
        if not 1900 <= year <= 2100:
            return match.group(0)
        if year == from_year:
            shifted.append(year)
            return str(to_year)
        suspect.append(year)
        return match.group(0)

    new_text = _YEAR.sub(replace, text or "")
    return YearScan(text=new_text, shifted=tuple(shifted), suspect=tuple(suspect))
