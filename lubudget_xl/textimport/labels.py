"""The form's fixed texts: title, year line, stamp line, header and fund labels, page numbers.

Published tables spell labels with or without spaces, full- or half-width brackets and colons
("项目资金（万元）", "年度资金总额:", "其中：财政拨款"), so every label is compared after `clean_label`.
"""

from __future__ import annotations

import re

from lubudget_xl.model import GRID_HEADINGS
from lubudget_xl.values.amounts import parse_amount as core_parse_amount

_SPACE = re.compile(r"[\s\u3000]+")
_TITLE = re.compile(
    r"^(?P<dept>.*?)[\s\u3000]*(?P<year>(?:19|20)\d{2})[\s\u3000]*年度?[\s\u3000]*"
    r"(?:部门)?项目支出(?:预算)?绩效目标(?:申报|批复)?表"
)
_YEAR_LINE = re.compile(r"^[(（]?(?P<year>(?:19|20)\d{2})年度?[)）]?$")
_PAGE = re.compile(r"^(?:第\d+页(?:[,，/]?共\d+页)?|共\d+页|-\d+-|—\d+—|\d{1,3}|\d+/\d+|page\d+(?:of\d+)?)$", re.I)
_BRACKETED = re.compile(r"\([^)]*\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NOTHING = {"", "-", "—", "--", "/", "\\", "无", "0.00万元"}

# Header labels (after clean_label) → the ProjectTarget field they fill. "extra:<label>" goes to extra.
HEADER_LABELS = {
    "项目名称": "name",
    "实施单位": "unit",
    "项目实施单位": "unit",
    "主管部门": "competent_department",
    "主管部门及代码": "competent_department",
    "主管单位": "competent_department",
    "项目属性": "attribute",
    "项目期": "period",
    "项目周期": "period",
    "项目实施期": "period",
    "项目期限": "period",
    "项目来源": "extra:项目来源",
    "项目资金": "funds",
    "项目资金(万元)": "funds",
    "资金情况(万元)": "funds",
    "年度目标": "goal",
    "年度绩效目标": "goal",
    "中期目标": "extra:中期目标",
    "绩效指标": "grid",
    "年度绩效指标": "grid",
}

# Fund sub-labels (after clean_label and dropping 其中/(万元)) → Funds field; others go to Funds.extra.
FUND_LABELS = {
    "年度资金总额": "total",
    "资金总额": "total",
    "年度资金": "total",
    "合计": "total",
    "财政拨款": "fiscal",
    "财政资金": "fiscal",
    "当年财政拨款": "fiscal",
    "其他资金": "other",
}
KNOWN_FUND_EXTRAS = ("上年结转", "中央", "省级", "市级", "区级", "县级", "中期资金")



def clean_label(text: str) -> str:
    """Spaces out, brackets and colons half-width, trailing colon dropped."""
    text = _SPACE.sub("", text or "")
    text = text.replace("（", "(").replace("）", ")").replace("：", ":")
    return text.rstrip(":")


def header_field(text: str) -> str | None:
    return HEADER_LABELS.get(clean_label(text))


def grid_column(text: str) -> str | None:
    """Field of a grid header text; notes in brackets ("本年度指标值(包含数字及文字描述)") are ignored."""
    label = clean_label(text)
    return GRID_HEADINGS.get(label) or GRID_HEADINGS.get(_BRACKETED.sub("", label))


def fund_label(text: str) -> str | None:
    """Canonical fund label: "total"/"fiscal"/"other", or the cleaned label for an extra fund row."""
    label = clean_label(text)
    if label.startswith("其中:") or label.startswith("其中"):
        label = label.split(":", 1)[-1] if ":" in label else label[2:]
    label = label.replace("(万元)", "")
    if not label or is_number(label) or label in ("项目资金", "资金情况"):
        return None
    if label in FUND_LABELS:
        return FUND_LABELS[label]
    if label.endswith("资金") or label.endswith("资金总额") or label.startswith(KNOWN_FUND_EXTRAS) or "结转" in label:
        return label
    return None


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
