"""The submitting department as printed beside 填报单位/申报单位/预算单位 or before a title.

Both readers take the department from the same places, and both meet the same noise there: the
unfilled stamp line (`填报单位:(盖章)`), the money-unit note printed at the end of that line
(`813-潼南区五桂镇 单位:万元`), and, in flattened text, the signature block of the page before
(`审核意见单位公章:年月 日鄂州市`). `department_text` keeps the name and drops the rest, so a
placeholder never becomes a department and a reviewer's per-department lists stay right.
"""

from __future__ import annotations

import re

from lubudget_xl.catalog.vocabulary import vocabulary

_BLANKS = re.compile(r"[\s\u3000\u00a0]+")
_STAMP_NOTE = re.compile(r"[(（](?:盖章|公章|签章|印章|签字|签名)[)）]")
# Everything up to the last stamp or signature mark, with the blank date that follows it.
_SIGNATURE = re.compile(
    r"^.*(?:盖章|公章|签章|签字|签名|印章)[)）]?[:：]?(?:\d{0,4}年\d{0,2}月\d{0,2}日)?"
)
# The money-unit note printed at the right end of the stamp line.
_MONEY_UNIT = re.compile(r"(?:金额|资金)?单位[:：](?:万元|元|亿元|千元)$")
# A label left in front of the value when label and value share a cell.
_LABEL = re.compile(r"^(?:填报|申报|编制|预算)(?:单位|部门)(?:名称)?[:：]")
_EMPTY_BRACKETS = re.compile(r"[(（][)）]")
_PROSE = re.compile(r"[,，。;；《》“”!?！？]")
_LONGEST = 40  # 中国人民政治协商会议XX省XX市委员会办公室 is about the longest a department's name gets
_TRAILING_CODE = re.compile(r"(?<=[\u4e00-\u9fff)）])[-—:：]?\d{3,}$")  # 主管部门及代码: 湘潭市城市管理局 308001
_EDGES = " :：,，;；、|-—_"


def department_text(text: str | None) -> str:
    """The department named in `text`, or "" when it names none (a placeholder or a note)."""
    if not text:
        return ""
    value = _BLANKS.sub("", str(text))  # extraction puts spaces inside names; the form has none
    value = _SIGNATURE.sub("", _STAMP_NOTE.sub("", value))
    value = _MONEY_UNIT.sub("", value)
    value = _LABEL.sub("", value)
    value = _TRAILING_CODE.sub("", _EMPTY_BRACKETS.sub("", value)).strip(_EDGES)
    if not any(ch.isalnum() for ch in value) or vocabulary().header_field(value) is not None:
        return ""  # nothing but marks, or a label standing alone
    if _PROSE.search(value) or len(value) > _LONGEST:
        return ""  # a sentence that quotes a title (根据《…》要求,…附件《2017年…绩效目标表》), not a name
    return value
