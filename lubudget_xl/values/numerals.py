"""Numbers as they appear in 指标值: Arabic digits (with thousands separators) and Chinese numerals.

Chinese numerals are only ever read when a measure word follows (三次, 两轮, 一百二十次): on their
own they are far more often part of ordinary words (一般, 进一步, 统一), so `parse_chinese` is a
pure converter and the decision to use it lies with the parser.
"""

from __future__ import annotations

import math

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}


def parse_arabic(text: str) -> float | None:
    """`1,000.5` → 1000.5; None when the digits overflow a float (never inf)."""
    value = float(text.replace(",", ""))
    return value if math.isfinite(value) else None


def parse_chinese(text: str) -> int | None:
    """`一百二十` → 120, `十二` → 12, `两` → 2, `三万五千` → 35000.

    Digit strings without multipliers (`一二`, `二〇二一`) are not quantities: None. Malformed
    runs are read leniently; the result is always a plain int or None, never an exception.
    """
    if not text:
        return None
    if all(ch in CN_DIGITS for ch in text):
        return CN_DIGITS[text] if len(text) == 1 else None
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            if digit is None and ch != "十":
                return None
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            if section == 0 and total == 0:
                return None
            total = (total + section) * _CN_BIG[ch] if ch == "亿" else total + section * _CN_BIG[ch]
            section = 0
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def chinese_digit_string(text: str) -> int | None:
    """`二〇二一` → 2021 (how years are sometimes written); None for anything else."""
    if not text or not all(ch in CN_DIGITS and ch != "两" for ch in text):
        return None
    return int("".join(str(CN_DIGITS[ch]) for ch in text))


def format_number(value: float) -> str:
    """Plain decimal without exponent, exact enough that `float(format_number(x)) == x`."""
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    from decimal import Decimal  # only for fractions and huge numbers; keeps the import cheap

    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
