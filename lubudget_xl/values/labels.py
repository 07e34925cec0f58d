"""Labels of quantities: `受理事项群众满意率达92%以上` → 受理事项群众满意率.

A label is the clause text before a number with sign words and connectors trimmed from its ends.
Connectors are single characters that are also the end of ordinary words, so each lists the
characters before it that make it part of a word instead (传达, 节约, 公共, 作为 …).
`clean_label` is idempotent and `clean_label(label + "：") == label`, which `format_value` relies on.
"""

from __future__ import annotations

import re

from lubudget_xl.values.signs import PREFIX_WORDS

TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\s*/?>")

# Connector → characters that, placed before it, make it the end of a word to keep.
_CONNECTORS = {
    "大约": "",
    "约为": "",
    "共计": "",
    "为": "作行认成因称更较",
    "达": "下传表到送抵通直发转签上雷畅高",
    "约": "节合签契公条预制邀履违守",
    "共": "公总一",
    "是": "但就还于总只凡正即也",
    "等": "平中同上相对初高均",
    "将": "即",
}
_HEAD_WORDS = tuple(sorted({*PREFIX_WORDS, "在"}, key=len, reverse=True))
_TAIL_WORDS = tuple(sorted({*PREFIX_WORDS, *_CONNECTORS}, key=len, reverse=True))


def _trim_tail(text: str) -> str:
    for word in _TAIL_WORDS:
        if text.endswith(word):
            before = text[-len(word) - 1 : -len(word)]
            if before and before in _CONNECTORS.get(word, ""):
                return text
            return text[: -len(word)]
    return text


_PAIRS = {")": "(", "]": "[", "】": "【", "〕": "〔", "》": "《", "”": "“"}


def _closes(text: str, start: int, at: int) -> bool:
    """The bracket at `at` closes one opened inside the label: `结余率(结余数/预算数)` keeps it."""
    opener = _PAIRS.get(text[at])
    if opener is None:
        return False
    inside = text[start:at]
    return inside.count(opener) > inside.count(text[at])


def clean_label(text: str) -> str:
    """Trim punctuation, spaces, sign words and connectors from both ends (idempotent).

    Simple HTML tags become spaces (not nothing: `三<b>次` must not turn into the quantity 三次).
    """
    previous = None
    while text != previous:
        previous = text
        text = TAG.sub(" ", text)
        start, end = 0, len(text)
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum() and not _closes(text, start, end - 1):
            end -= 1
        text = text[start:end]
        for word in _HEAD_WORDS:
            if text.startswith(word):
                text = text[len(word) :]
                break
        text = _trim_tail(text)
    return text
