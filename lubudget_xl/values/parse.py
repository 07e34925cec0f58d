"""The scanner behind `parse_value`: finds years, dates and quantities in one left-to-right pass.

Design (the package docstring states the resulting semantics):
- one precompiled alternation finds candidates; earlier alternatives win at the same position, so
  `2021年12月` is a date before `2021` can be a number;
- a candidate becomes a quantity (`ValuePart`) only when its context allows: not an ordinal (第3),
  not a name (`5G`, `MAS4`), not a float overflow, and — for Chinese numerals — followed by a
  common measure word;
- the label of a part is the text since the last clause delimiter or the previous part, minus
  signs, sign words and connectors (为 达 约 …); its sign comes from a symbol touching the number,
  else a word after it (以上 以内 …), else a word before it in the same clause (不低于 至少 …).
Rejected candidates are skipped whole and stay part of the next label, which is what makes
`format_value` output parse back to the same value.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from lubudget_xl.values.labels import TAG, clean_label
from lubudget_xl.values.numerals import chinese_digit_string, parse_arabic, parse_chinese
from lubudget_xl.values.signs import (
    INCLUSIVE_NOTE,
    PREFIX_PATTERN,
    PREFIX_WORDS,
    SUFFIX_PATTERN,
    SUFFIX_WORDS,
    SYMBOL_BEFORE,
    TOUCHING_GE,
    canonical_symbol,
)
from lubudget_xl.values.types import ValuePart
from lubudget_xl.values.units import match_unit

_YEAR = r"(?:19\d\d|20\d\d|2100)"
_TOKEN = re.compile(
    rf"""
    (?P<yrange>{_YEAR}\s*[-~～—–至到]\s*{_YEAR}\s*年度?)
    |(?P<iso>{_YEAR}(?P<isep>[-/.])\d{{1,2}}(?:(?P=isep)\d{{1,2}})?(?![\d.]))
    |(?P<year>{_YEAR}\s*年(?:度)?(?:\s*\d{{1,2}}\s*月份?(?:\s*\d{{1,2}}\s*[日号])?)?)
    |(?P<cyear>[零〇一二三四五六七八九]{{4}}\s*年度?)
    |(?P<month>(?:\d{{1,2}}\s*(?:[-~–至到]|—{{1,2}})\s*)?\d{{1,2}}\s*月份?(?:\s*\d{{1,2}}\s*[日号])?)
    |(?P<pct>百分之\s*(?P<pnum>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+))
    |(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)
    |(?P<cn>[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*)
    """,
    re.X,
)
_NUM = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?")
_YEAR_NUMBERS = re.compile(_YEAR)
_DIGITS = re.compile(r"\d+")
# A comma between digits belongs to a number (1,000; or a rejected m2,712), not to the sentence.
_DELIMITER = re.compile(r"[;。、\n\t!?]|,(?!\d)|(?<!\d),")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
# `3-5次`, `90%～95%`, `3至5个工作日`: the gap between the two ends of a range.
_RANGE_GAP = re.compile(r"\s*(?:[-~–至到]|—{1,2})\s*")
# A Chinese word right after a bare number (no unit, no sign); 至/到 continue a range (3至5次),
# 余/多 approximate (1000余).
# A colon too: `format_value` writes labels as `label：`, and a label may end with such a number.
_WORD_FOLLOWS = re.compile(r"\s*(?:(?![至到余多])[\u4e00-\u9fff]|:)")


class _Scan:
    """State of one pass over a normalised text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.delimiters = [m.start() for m in _DELIMITER.finditer(text)]
        self.boundary = 0
        self.part_end = -1
        self.parts: list[ValuePart] = []
        self.years: list[int] = []

    def label_start(self, at: int) -> int:
        i = bisect_left(self.delimiters, at) - 1
        if i >= 0 and self.delimiters[i] >= self.boundary:
            return self.delimiters[i] + 1
        return self.boundary

    def blocked_left(self, at: int) -> bool:
        """An ordinal (第3) or a name (MAS4, V2) within the current clause."""
        lo = self.label_start(at)
        j = at - 1
        while j >= lo and self.text[j] == " ":
            j -= 1
        if j < lo:
            return False
        return self.text[j] == "第" or (j == at - 1 and _ASCII_LETTER.match(self.text[j]) is not None)

    def add_years(self, span: str) -> None:
        for y in _YEAR_NUMBERS.findall(span):
            if int(y) not in self.years:
                self.years.append(int(y))

    def accept(self, start: int, value: float, unit: str, unit_end: int) -> int:
        text = self.text
        if unit.startswith("年") and value.is_integer() and 1900 <= value <= 2100:
            # A year the token pattern's context checks let through (02021年, 两千年): never a quantity.
            self.add_years(str(int(value)))
            self.boundary = unit_end
            return unit_end
        lo = self.label_start(start)
        region = TAG.sub(" ", text[lo:start])  # `<p>95%`: the > of a pasted HTML tag is no sign
        sign = None
        symbol = SYMBOL_BEFORE.search(region)
        if symbol:
            sign = canonical_symbol(symbol.group(1))
            if symbol.group(2):
                value = -value
            region = region[: symbol.start()]
        end = unit_end
        suffix = SUFFIX_PATTERN.match(text, unit_end)
        if suffix:
            end = suffix.end()
            sign = sign or SUFFIX_WORDS[suffix.group("word")]
        note = INCLUSIVE_NOTE.match(text, end)
        if note:
            end = note.end()
        if sign is None:
            words = PREFIX_PATTERN.findall(region)
            if words:
                sign = PREFIX_WORDS[words[-1]]
            elif TOUCHING_GE.search(region):
                sign = "≥"
        in_range = sign is None and self._range_from(lo, region, unit)
        if sign is None and not in_range and not unit and end == unit_end and _WORD_FOLLOWS.match(text, end):
            return end  # 12345热线, 110报警: a bare number glued to a word names something
        if in_range:
            previous = self.parts[-1]
            self.parts[-1] = ValuePart(previous.number, "≥", previous.unit or unit, previous.label)
            sign, region = "≤", ""
        self.parts.append(ValuePart(number=value, sign=sign, unit=unit, label=clean_label(region)))
        self.boundary = self.part_end = end
        return end

    def _range_from(self, lo: int, region: str, unit: str) -> bool:
        """This quantity ends a range whose start is the previous part (`3-5次` → ≥3次, ≤5次)."""
        if not self.parts or lo != self.boundary or self.part_end != self.boundary:
            return False
        previous = self.parts[-1]
        return (
            previous.sign is None
            and previous.unit in ("", unit)
            and _RANGE_GAP.fullmatch(region) is not None
        )

    def run(self) -> None:
        text = self.text
        pos = 0
        while True:
            m = _TOKEN.search(text, pos)
            if m is None:
                return
            start = m.start()
            pos = m.end()
            if m.group("yrange") or m.group("year"):
                self.add_years(m.group()[:4] + " " + _after_first_year(m.group()))
                self.boundary = pos
            elif m.group("iso"):
                if _valid_iso(m.group(), m.group("isep")):
                    self.add_years(m.group()[:4])
                    self.boundary = pos
                else:
                    pos = self.number(_NUM.match(text, start))
            elif m.group("cyear"):
                year = chinese_digit_string(m.group().rstrip("年度 "))
                if year is not None and 1900 <= year <= 2100:
                    self.add_years(str(year))
                    self.boundary = pos
            elif m.group("month"):
                months = [int(d) for d in _DIGITS.findall(m.group().split("月")[0])]
                if all(1 <= month <= 12 for month in months) and not self.blocked_left(start):
                    self.boundary = pos
                else:
                    pos = self.number(_NUM.match(text, start))
            elif m.group("pct"):
                raw = m.group("pnum")
                value = parse_arabic(raw) if raw[0].isdigit() else parse_chinese(raw)
                if value is not None and not self.blocked_left(start):
                    pos = self.accept(start, float(value), "%", pos)
            elif m.group("num"):
                pos = self.number(m)
            else:
                pos = self.chinese(m)

    def number(self, m: re.Match[str]) -> int:
        start, end = m.start(), m.end()
        if self.blocked_left(start):
            return end
        value = parse_arabic(m.group())
        unit, unit_end = match_unit(self.text, end)
        if value is None or unit_end < 0:
            return end
        return self.accept(start, value, unit, unit_end)

    def chinese(self, m: re.Match[str]) -> int:
        start, run = m.start(), m.group()
        core = run.rstrip("万亿")
        if not core or len(core) > 24 or self.blocked_left(start):
            return m.end()
        value = parse_chinese(core)
        unit, unit_end = match_unit(self.text, start + len(core), chinese=True)
        if value is None or unit_end < 0:
            return m.end()
        try:
            number = float(value)
        except OverflowError:
            return m.end()
        return self.accept(start, number, unit, unit_end)


def _after_first_year(span: str) -> str:
    """The second year of a range (`2020-2021年`); for a single year, nothing more."""
    rest = span[4:]
    found = _YEAR_NUMBERS.search(rest)
    return found.group() if found and not rest.lstrip().startswith("年") else ""


def _valid_iso(span: str, sep: str) -> bool:
    pieces = [int(p) for p in span.split(sep)]
    if not 1 <= pieces[1] <= 12:
        return False
    if len(pieces) == 2:
        return sep != "."  # 2021.12 is a decimal number, 2021.12.31 a date
    return 1 <= pieces[2] <= 31


def scan(text: str) -> tuple[tuple[ValuePart, ...], tuple[int, ...]]:
    """Parts and years of an already normalised text."""
    state = _Scan(text)
    state.run()
    return tuple(state.parts), tuple(state.years)
