"""Where a level-three name ends and its 指标值 begins, when extraction glued them together.

`维修供水管网长度≥20公里` or, flattened, `维修供水管网长度≥20公里新建蓄水池数量10个` carry no separator
between a name and its value. A value is recognised by its own grammar, the one `lubudget_xl.values`
reads: a sign (symbol or word) before a number, a number with a measure word or `%`, a date
(`2023年底前完成`), or one of the stock qualitative phrases (明显改善, 达到预期 …). Anything else is
not guessed: the caller reports the text it could not split.

A bare number (`10个`) inside a name is ambiguous (`测评18项营商环境指标`), so where the value does not
run to the end of the text it counts only after a name that ends like a measured quantity
(…数量, …率, …时间) or when a sign comes before it.
"""

from __future__ import annotations

import re

from lubudget_xl.values.classify import NOT_APPLICABLE, PLACEHOLDERS
from lubudget_xl.values.units import match_unit

_SIGN = r"(?:>=|<=|≥|≤|＞|＜|＝|>|<|=|≧|≦)"
_SIGN_WORD = (
    r"(?:大于或等于|大于等于|小于或等于|小于等于|不低于|不少于|不小于|不高于|不超过|不超出|不大于|不多于|"
    r"控制在|至少|最少|最多|达到|高于|大于|多于|超过|低于|小于|少于|等于)"
)
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
# 二 right before digits is a document preview's OCR of = (甘肃: 资金使用效率二100百分比): the value's sign,
# kept as printed; no name ends in 二 followed by a number.
_LEAD = re.compile(rf"(?:{_SIGN}|{_SIGN_WORD}|二(?=\d))?\s*(?={_NUMBER})")
_NUMBER_AT = re.compile(rf"{_NUMBER}(?:\s*(?:-|~|～|至|到)\s*{_NUMBER})?")
_CN_AFTER_SIGN = re.compile(rf"(?:{_SIGN}|{_SIGN_WORD})\s*[一二两三四五六七八九十百千]+")
_ENDING = re.compile(r"(?:\(含\)|及以上|或以上|以上|及以下|或以下|以下|以内|之内|左右)?[。.;；]?")
_DATE = re.compile(
    r"(?:(?:19|20)\d{2}年(?:度)?(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月(?:\d{1,2}日)?|年)"
    r"(?:底|末|内|中|上旬|中旬|下旬)?(?:前|之前|以前)?"
    r"(?:全部完成|实施完毕|完成|完工|到位|结束)?[。.]?"
)
# Stock qualitative values, longest first; the short ones (是, 无 …) only where a line ends.
_PHRASES = sorted(
    {
        "明显改善", "有效改善", "逐步改善", "持续改善", "有所改善", "显著改善", "得到改善",
        "有效提升", "显著提升", "明显提升", "逐步提升", "持续提升", "有所提升", "稳步提升", "大幅提升",
        "有效提高", "显著提高", "明显提高", "逐步提高", "持续提高", "有所提高", "稳步提高",
        "达到预期", "达到预期目标", "达到预期效果", "符合要求", "符合标准", "符合规定", "达到标准",
        "按时完成", "及时完成", "按期完成", "全部完成", "长期有效", "持续发挥效益", "长期发挥效益",
        "有效保障", "得到保障", "有效促进", "明显增强", "有效增强", "不超预算", "不超过预算",
        *PLACEHOLDERS, *(p for p in NOT_APPLICABLE if len(p) >= 3),
    },
    key=len,
    reverse=True,
)
_SHORT_PHRASES = ("良好", "优良", "合格", "达标", "长期", "长远", "提升", "是", "否", "无", "有", "高", "好")
# How names of measured quantities end: a bare number may follow them mid-stream.
MEASURED = (
    "数", "量", "率", "度", "额", "本", "费", "积", "长", "间", "限", "期", "口", "户", "次", "模", "例",
    "比", "值", "标准", "况", "金", "资", "里", "程", "价", "龄", "重", "容", "点",
)


def value_end(text: str, k: int) -> int | None:
    """End of the value that starts at `k`, or None when no value starts there."""
    lead = _LEAD.match(text, k)
    if lead:
        num = _NUMBER_AT.match(text, lead.end())
        if num and not _digit_before(text, k):
            year = re.match(r"(?:19|20)\d{2}年", text[num.start():])
            if year and lead.end() == k:
                date = _DATE.match(text, num.start())
                return date.end() if date else None
            unit, end = match_unit(text, num.end())
            if end < 0:
                return None
            while unit and text.startswith("/", end):  # 元/月/人: a compound unit goes on
                more, after = match_unit(text, end + 1)
                if not more or after <= end + 1:
                    break
                end = after
            if not unit and not text.startswith("%", num.end()):
                if lead.end() == k:
                    return None  # a bare number without unit or sign: a name's part (12345热线)
                end = num.end()
            elif not unit:
                end = num.end() + 1
            return _ENDING.match(text, end).end()
    cn = _CN_AFTER_SIGN.match(text, k)
    if cn:
        unit, end = match_unit(text, cn.end(), chinese=True)
        if unit:
            return _ENDING.match(text, end).end()
    if k < len(text) and (text[k].isdigit() or text.startswith("年", k)) and not _digit_before(text, k):
        date = _DATE.match(text, k)
        if date and date.end() > k + 1:
            return date.end()
    sign = re.match(rf"{_SIGN}\s*", text[k:])
    if sign:
        return None
    for phrase in _PHRASES:
        if text.startswith(phrase, k):
            return _ENDING.match(text, k + len(phrase)).end()
    return None


def _digit_before(text: str, k: int) -> bool:
    return k > 0 and (text[k - 1].isdigit() or text[k - 1] in ".,")


# A name that holds a clause or ends in a connector is likely a sentence cut in the wrong place.
_CLAUSE = re.compile(r"[,，;；。:：]|(?:为|达|约|是|在|预计|其中)$")


def plausible_name(name: str) -> bool:
    return len(name) >= 2 and not _CLAUSE.search(name)


def split_row(text: str) -> tuple[str, str] | None:
    """(name, value) of one glued row whose value runs to the end of `text`, or None.

    The value starts at the first sign symbol after the name, else at the earliest place from
    which the whole rest reads as one value."""
    text = text.strip()
    found = _split_row(text)
    if found:
        name, value = found
        half = len(name) // 2
        if len(name) % 2 == 0 and half >= 2 and name[:half] == name[half:]:
            return name[:half], name[half:] + value  # 接线外包人数接线外包人数≥24: the value restates the name
    return found


def _split_row(text: str) -> tuple[str, str] | None:
    sign = re.search(_SIGN, text)
    if sign and sign.start() >= 2:
        start = sign.start() - 1 if text[sign.start() - 1] == "%" else sign.start()  # …及时率%=99: the unit goes first
        return text[:start].strip(), text[start:].strip()
    for k in range(2, len(text)):
        if text[k - 1] in "≥≤><=＞＜＝":
            continue
        end = value_end(text, k)
        if end is not None and end >= len(text.rstrip()):
            return text[:k].strip(), text[k:].strip()
    for short in _SHORT_PHRASES:
        if text.endswith(short) and len(text) > len(short) + 2:
            return text[: -len(short)].strip(), short
    return None


def split_rows(text: str) -> tuple[list[tuple[str, str]], str]:
    """(name, value) pairs read from flattened text, and the text left over where no value was found.

    Scans for the earliest value after a name of at least two characters; a bare number counts only
    after a name of a measured quantity, so `测评18项…` is not cut at 18."""
    pairs: list[tuple[str, str]] = []
    pos, n = 0, len(text)
    while pos < n:
        whole = split_row(text[pos:])
        found = None
        for k in range(pos + 2, n):
            end = value_end(text, k)
            if end is None or end <= k:
                continue
            if end < n and (text[end] in "≥≤><=＞＜＝%" or value_end(text, end) is not None):
                continue  # the "value" runs into another value: it was part of a name
            strong = not text[k].isdigit() or text[end - 1] == "%"
            if strong or text[pos:k].rstrip().endswith(MEASURED):
                found = (k, end)
                break
        if found is None or (whole and found[1] >= n):
            if whole:
                pairs.append(whole)
                return pairs, ""
            return pairs, text[pos:].strip()
        k, end = found
        if end >= n and whole:
            pairs.append(whole)
            return pairs, ""
        pairs.append((text[pos:k].strip(), text[k:end].strip()))
        pos = end
    return pairs, ""
