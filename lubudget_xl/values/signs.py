"""Comparison signs: the five canonical symbols, their ASCII/full-width spellings and sign words.

Budget systems store one of ≥ ＞ ＝ ＜ ≤ (RULES.md "Value forms"); people type `>=`, `≧`, `＞＝`
or write the comparison as words before (不低于2次) or after (95%以上, 5个工作日内) the number.
All patterns run on text already folded by `text.normalize_text` (full-width → ASCII).
"""

from __future__ import annotations

import re

from lubudget_xl.values.text import normalize_text

GE, GT, EQ, LT, LE = "≥", "＞", "＝", "＜", "≤"

_SYMBOLS = {">=": GE, "=>": GE, "≥": GE, "<=": LE, "=<": LE, "≤": LE, ">": GT, "<": LT, "=": EQ, "==": EQ}

# A symbol right before the number (spaces allowed), optionally followed by a minus sign.
SYMBOL_BEFORE = re.compile(r"(>=|<=|=>|=<|==|[≥≤><=])\s*(-)?\s*$")

# Words before the number. Longest spellings first so 不低于 wins over 低于.
PREFIX_WORDS = {
    "大于或等于": GE,
    "大于等于": GE,
    "小于或等于": LE,
    "小于等于": LE,
    "不低于": GE,
    "不少于": GE,
    "不小于": GE,
    "不高于": LE,
    "不超过": LE,
    "不超出": LE,
    "不大于": LE,
    "不多于": LE,
    "控制在": LE,
    "至少": GE,
    "最少": GE,
    "最多": LE,
    "达到": GE,
    "高于": GT,
    "大于": GT,
    "多于": GT,
    "超过": GT,
    "低于": LT,
    "小于": LT,
    "少于": LT,
    "等于": EQ,
}
PREFIX_PATTERN = re.compile("|".join(sorted(PREFIX_WORDS, key=len, reverse=True)))
# 达 alone (满意率达92%) is a sign only when it touches the number: elsewhere it is 下达, 传达 …
TOUCHING_GE = re.compile(r"(?<![下传表到送抵通直发转签上雷畅高])达\s*$")

# Words after the number and unit. 内 is not a sign when it starts a word (内容, 内部 …).
SUFFIX_PATTERN = re.compile(
    r"\s*(?:\(含\))?\s*(?P<word>及以上|或以上|以上|之上|及以下|或以下|以下|以内|之内|内(?![容部涵存地科网蒙勤控审外在业])|左右)"
)
# `≥95%(含95%)`, `95%(含)`: the inclusive note after a value adds nothing to its sign.
INCLUSIVE_NOTE = re.compile(r"\s*\(含[^()]{0,12}\)")
SUFFIX_WORDS = {
    "及以上": GE,
    "或以上": GE,
    "以上": GE,
    "之上": GE,
    "及以下": LE,
    "或以下": LE,
    "以下": LE,
    "以内": LE,
    "之内": LE,
    "内": LE,
    "左右": None,  # approximately: consumed, but no comparison
}

# Sign-column spellings beyond the symbols (指标值符号 / 计算符号 columns).
_COLUMN_WORDS = {**PREFIX_WORDS, "大于等于": GE, "小于等于": LE, "≥=": GE, "≤=": LE}

QUALITATIVE_COLUMN = frozenset({"定性"})
OTHER_QUANTITATIVE_COLUMN = frozenset({"定量", "定量(其他)", "定量其他", "其他"})
# Not 无: in a sign column it more likely means "no sign" than "row not applicable".
NOT_APPLICABLE_COLUMN = frozenset({"不适用", "N/A", "n/a", "NA"})


def canonical_symbol(symbol: str) -> str | None:
    """`>=` → ≥, `＞` (after folding: `>`) → ＞; None when not a comparison symbol."""
    return _SYMBOLS.get(symbol)


def canonical_sign(text: str | None) -> str | None:
    """Canonical sign for a sign column or a loose spelling (`>=`, `≧`, `大于等于`, `不低于`)."""
    if text is None:
        return None
    key = "".join(normalize_text(text).split())
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    if key in (GE, GT, EQ, LT, LE):
        return key
    return _COLUMN_WORDS.get(key)


def column_key(text: str | None) -> str:
    """A sign column's text without spaces, full-width folded, for the 定性/定量/不适用 checks."""
    return "" if text is None else "".join(normalize_text(text).split())
