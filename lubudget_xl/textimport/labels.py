"""The form's fixed texts: title, year line, stamp line, header and fund labels, page numbers.

Which labels exist, and their variants, is the form vocabulary's business (`catalog.vocabulary`,
shared with the workbook reader and the template); this module adapts it to the text importer's
keys. Published tables spell labels with or without spaces, full- or half-width brackets and
colons ("项目资金（万元）", "年度资金总额:", "其中：财政拨款"), so labels are compared folded.
"""

from __future__ import annotations

import re
from functools import cache

from lubudget_xl.catalog.vocabulary import bare, vocabulary
from lubudget_xl.values.amounts import parse_amount as core_parse_amount

_SPACE = re.compile(r"[\s\u3000]+")
# What other provinces print between the year and 绩效目标表 (市直部门预算项目支出, 一般性项目, 项目, a
# project's name): no digits, no cell separator, not too long.
TITLE_MIDDLE = r"[^\d|\t]{0,40}?"
_TITLE = re.compile(
    r"^(?P<dept>.*?)[\s\u3000]*(?P<year>(?:19|20)\d{2})[\s\u3000]*年度?[\s\u3000]*"
    r"(?:(?:部门)?项目支出(?:预算)?|" + TITLE_MIDDLE + r")绩效目标(?:申报|批复|审核)?表"
)
_YEAR_LINE = re.compile(r"^[(（]?(?P<year>(?:19|20)\d{2})年度?[)）]?$")
_PAGE = re.compile(r"^(?:第\d+页(?:[,，/]?共\d+页)?|共\d+页|-\d+-|—\d+—|\d{1,3}|\d+/\d+|page\d+(?:of\d+)?)$", re.I)
_BRACKETED = re.compile(r"\([^)]*\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NOTHING = {"", "-", "—", "--", "/", "\\", "无", "0.00万元"}

_FUND_FIELDS = ("total", "fiscal", "other")


def clean_label(text: str) -> str:
    """Spaces out, brackets and colons half-width, trailing colon dropped."""
    text = _SPACE.sub("", text or "")
    text = text.replace("（", "(").replace("）", ")").replace("：", ":")
    return text.rstrip(":")


def header_field(text: str) -> str | None:
    """The record field a header label fills; "extra:<label>" for a label kept in `extra` (the
    long-term goals 中期目标/长期目标 … and known fields the record does not model); "other_grid" for
    the long-term indicator grid (长期绩效指标), which is not the year's."""
    found = vocabulary().header_field(text)
    if found in ("other_goal", "extra"):
        return f"extra:{bare(text)}"
    return found


def is_goal_like(key: str | None) -> bool:
    """A free-text block under its label: the year's goal or a long-term goal kept in extra."""
    return key == "goal" or (bool(key) and key.startswith("extra:") and vocabulary().header_field(key[6:]) == "other_goal")


def grid_column(text: str) -> str | None:
    """Field of a grid header text; notes in brackets ("本年度指标值(包含数字及文字描述)") are ignored.
    绩效标准 and 分值/权重 are not indicator fields here: the grid keeps them in the row's note."""
    found = vocabulary().grid_column(text)
    return None if found in ("standard", "weight") else found


def fund_label(text: str) -> str | None:
    """Canonical fund label: "total"/"fiscal"/"other", or the cleaned label for an extra fund row."""
    label = clean_label(text)
    if not label or is_number(label) or vocabulary().header_field(label) == "funds":
        return None
    found = vocabulary().fund_field(label)
    if found in _FUND_FIELDS:
        return found
    if found == "extra":
        return bare(label.removeprefix("其中").lstrip(":"))
    return None


_REVIEW = re.compile(r"(?:审核|初审|复审|审批|审查)意见$")
_SEALED = re.compile(r"^[^(]{2,12}\((?:盖章|签章|公章)\)年?月?日?$")


@cache
def _end_labels() -> frozenset[str]:
    return frozenset(bare(v) for v in vocabulary().data["forms"]["end_labels"])


def is_end_label(text: str) -> bool:
    """The review and signature block printed under the table (主管部门审核意见, 财政部门支出股室初审意见,
    单位负责人 …, the vocabulary's end labels): the form is over."""
    label = bare(text)
    if label in _end_labels() or _REVIEW.search(label):
        return True
    return bool(_SEALED.search(clean_label(text)))  # 财政资金管理科室(盖章) 年 月 日


_NOT_CAPTION = re.compile(r"[\d,，。;；、%:：()（）]")


def is_caption(text: str) -> bool:
    """Short words without digits or punctuation, naming a group of fields (专项基本情况, 项目信息)."""
    plain = clean_label(text)
    return 2 <= len(plain) <= 8 and not _NOT_CAPTION.search(plain)


def parse_title(text: str) -> tuple[str, int] | None:
    """(department, year) of a title line such as 六安市人民政府办公室2021年项目支出预算绩效目标表."""
    m = _TITLE.match(text.strip())
    if not m:
        return None
    return m["dept"].strip(" \u3000:："), int(m["year"])


def year_line(text: str) -> int | None:
    m = _YEAR_LINE.match(_SPACE.sub("", text))
    return int(m["year"]) if m else None


def is_stamp_label(text: str) -> bool:
    """填报单位(盖章) / 填报单位 / 单位名称 — the line naming the submitting department."""
    return clean_label(text) in ("填报单位(盖章)", "填报单位", "单位名称", "填报单位(签章)")


def is_page_number(text: str) -> bool:
    return bool(_PAGE.match(_SPACE.sub("", text)))


def strip_html(text: str) -> str:
    """`<p>…</p>` remnants from web publication systems."""
    return _HTML_TAG.sub("", text).replace("&nbsp;", " ").strip()


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def parse_amount(text: str) -> tuple[float | None, bool]:
    """(amount in 万元, understood). Empty, 无 and dashes are (None, True); words are (None, False)."""
    if _SPACE.sub("", text) in _NOTHING:
        return None, True
    amount = core_parse_amount(text)
    return amount, amount is not None
