"""Whole-value classification: empty, not applicable, placeholder (RULES.md "Value forms").

These are decided on the whole text before any number is looked for, by exact comparison after
removing spaces, brackets and sign symbols, so `(≤预算绩效目标值)` is a placeholder but
`评测结果达到预期目标` stays ordinary wording.
"""

from __future__ import annotations

import re

PLACEHOLDERS = frozenset(
    {
        "预算绩效目标值",
        "预期目标值",
        "达到预期目标值",
        "预期绩效目标值",
        "达到预期绩效目标值",
        "绩效目标值",
        "目标值",
        "指标值",
        "本年度指标值",
        "年度指标值",
        "绩效指标值",
        "预期值",
        "计划值",
        "待定",
        "待填",
        "待填写",
        "待补充",
        "TBD",
    }
)
NOT_APPLICABLE = frozenset(
    {
        "不适用",
        "本项目不适用",
        "本项目不适用此指标",
        "不适用此指标",
        "本指标不适用",
        "无",
        "暂无",
        "无此项",
        "无此指标",
        "不涉及",
        "本项目不涉及",
        "N/A",
        "n/a",
        "NA",
    }
)
_NOT_APPLICABLE_INSIDE = ("不适用此", "不涉及此")

_NOISE = re.compile(r"[\s()\[\]{}【】〔〕<>=≥≤。.,;:!?\"'“”‘’、]+")
# Filler where a number belongs: *, **, XX, ×× , ___ , □□.
_FILLER_ONLY = re.compile(r"[*xX×\-—–_/~…□]+")
TEMPLATE_TOKEN = re.compile(
    r"\*|(?<![A-Za-z])[Xx×]{2,}(?![A-Za-z])|[_□]{2,}"
    r"|[≥≤<>=]\s*[Xx×](?![A-Za-z])|(?<![A-Za-z])[Xx×]\s*%"  # ≥X次, X%: a single X where the number goes
)


def compact(text: str) -> str:
    """Text without spaces, brackets, sign symbols and sentence punctuation."""
    return _NOISE.sub("", text)


def is_not_applicable(compacted: str) -> bool:
    return compacted in NOT_APPLICABLE or any(word in compacted for word in _NOT_APPLICABLE_INSIDE)


def is_placeholder(compacted: str) -> bool:
    return compacted in PLACEHOLDERS or _FILLER_ONLY.fullmatch(compacted) is not None


def looks_unfilled(text: str) -> bool:
    """For values without any quantity: a template left as typed (`(≤**万元)`) or punctuation only."""
    return TEMPLATE_TOKEN.search(text) is not None or not any(ch.isalnum() for ch in text)
