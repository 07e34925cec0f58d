"""Units of measure (计量单位) after a number: a vocabulary matched longest-first.

Chinese has no space between a number, its measure word and the following text (`5个工作日内答复`),
so a unit is what the vocabulary recognises, optionally preceded by a multiplier (`万份`, `亿元`).
An unknown single measure word is accepted only where it visibly ends the quantity (`5艘`,
`5艘以上`), never in the middle of a phrase. ASCII units must be whole words from a short list:
`5G` or `3D` are names, not quantities.
"""

from __future__ import annotations

import re

from lubudget_xl.values.text import DELIMITERS, normalize_text

# Surface spelling → canonical unit.
_ALIASES = {"百分比": "%", "百分率": "%", "%": "%", "‰": "‰", "㎡": "平方米", "㎞": "公里", "㎏": "千克", "℃": "℃"}

def _words(text: str) -> list[str]:
    return text.split()


_CJK_UNITS = _words("""
次 人次 件次 户次 场次 车次 架次 批次 轮次 班次 期次 频次 课次 年次
人 名 位 户 家 所 个 项 件 份 人份 本 册 期 轮 场 批 套 台 篇 条 部 辆 张 页 卷 盒 块 间 座 节 班 届
单 宗 起 例 株 棵 只 头 匹 艘 架 根 枚 封 组 类 种 处 片 支 队 双 群 幅 首 集 栋 层
个工作日 工作日 个月 个季度 个年度 年度 个百分点 百分点 个项目 个单位 个部门 个乡镇 个村 个社区
个小时 小时 分钟 秒 天 日 周 年 旬 学时 课时 人天 人日 人月 工日 分 星 星级 级 倍 遍 趟 档
元 千元 万元 亿元 美元 万美元
米 千米 公里 厘米 毫米 平方米 平米 平方公里 公顷 亩 立方米 吨 千克 公斤 克 斤 升 毫升
千瓦 千瓦时 兆瓦
""")
_VOCAB: dict[str, str] = {u: u for u in _CJK_UNITS}
_VOCAB.update(_ALIASES)
_MAX_LEN = max(len(u) for u in _VOCAB)
# After a Chinese numeral only common measure words count: 一起, 一方, 一线 are ordinary words,
# and 三月 is March (三个月 is the duration).
_CN_UNITS = frozenset(
    _words(
        """次 人次 件次 户次 场次 轮次 批次 人 名 位 户 家 所 个 项 件 份 人份 本 册 期 轮 场 批 套 台 篇 部 辆
    张 间 座 节 班 届 周 年 天 日 个月 个季度 个工作日 工作日 个年度 年度 小时 个小时 元 万元 亿元"""
    )
)
# …and not when the word goes on: 一次性, 一体化, 一件事.
_CN_NOT_AFTER = frozenset("性化事龙")

_ASCII_UNITS = frozenset(
    _words("km m cm mm km2 m2 m3 kg g t h min GB TB MB KB Gb Mb Mbps Gbps kW kWh MW MWh kV ha L ml mL")
)
_ASCII_RUN = re.compile(r"[A-Za-z]+[23]?")
_MULTIPLIERS = ("千万", "百万", "万", "亿", "千")
# After a slash any unit of the vocabulary (5元/平方米) or one of these (4次/季度, 1次/月); a bare
# 季度 or 月 is no unit of its own: 四季度 is Q4, 12月 December.
_PER_EXTRA = ("季度", "学期", "月")

# Characters that never serve as an unknown one-character measure word.
_NOT_UNITS = frozenset(
    "以内及和与或的至到左右余多万亿千百十零〇一二两三四五六七八九为是在于等后前之共并且就也都将已每第达不上下中"
    "其该此各全总约近超逾月"  # 12月 is a month (a date), 3个月 the duration
)


_ENDING_WORDS = ("以上", "以下", "以内", "之内", "内", "左右", "及以")


def _vocab_at(text: str, pos: int) -> str | None:
    for length in range(min(_MAX_LEN, len(text) - pos), 0, -1):
        if text[pos : pos + length] in _VOCAB:
            return text[pos : pos + length]
    return None


def _per_unit_at(text: str, pos: int) -> str | None:
    found = _vocab_at(text, pos)
    for extra in _PER_EXTRA:
        if text.startswith(extra, pos) and (found is None or len(extra) > len(found)):
            found = extra
    return found


def _canonical(unit: str) -> str:
    """Vocabulary spelling → canonical unit, also behind a multiplier (万百分比 stays readable)."""
    if unit in _VOCAB:
        return _VOCAB[unit]
    for prefix in _MULTIPLIERS:
        if unit.startswith(prefix):
            return prefix + _VOCAB.get(unit[len(prefix) :], unit[len(prefix) :])
    return unit


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def match_unit(text: str, pos: int, *, chinese: bool = False) -> tuple[str, int]:
    """The unit starting at `pos` as (canonical unit, end position); ("", pos) when none.

    Returns ("", -1) when ASCII letters follow that are not a unit: the number is then a name
    (`5G`, `3D打印`) and the caller drops it. With `chinese=True` (after a Chinese numeral) only
    common measure words count and no unit at all is reported as ("", -1).
    """
    if chinese:
        return _match_chinese_unit(text, pos)
    i = pos
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text):
        return "", pos
    if text.startswith("百分之", i):
        return "", pos
    if text[i] in "余多" and _vocab_at(text, i + 1):
        i += 1  # 100余人, 20多次: about 100 people; the approximation is not kept
    run = _ASCII_RUN.match(text, i)
    if run:
        if i == pos and run.group() not in _ASCII_UNITS:
            return "", -1
        if run.group() in _ASCII_UNITS:
            return run.group(), run.end()
        return "", pos
    plain = _vocab_at(text, i)
    best, end = (plain, i + len(plain)) if plain else ("", i)
    for prefix in _MULTIPLIERS:
        if text.startswith(prefix, i):
            j = i + len(prefix)
            if text[j : j + 1] in ("余", "多") and _vocab_at(text, j + 1):
                j += 1  # 3万余人
            rest = _vocab_at(text, j) or ""
            if len(prefix) + len(rest) > len(best):
                best, end = prefix + rest, j + len(rest)
            break
    if best:
        unit = _canonical(best)
        if text.startswith("/", end):
            per = _per_unit_at(text, end + 1)
            if per:
                unit += "/" + _canonical(per)
                end += 1 + len(per)
        return unit, end
    ch = text[i]
    if _is_cjk(ch) and ch not in _NOT_UNITS:
        after = text[i + 1 : i + 2]
        # A colon is no end: `5控：…` reads as a label (format_value writes `label：value`).
        ends = not after or after in DELIMITERS or not (_is_cjk(after) or after == ":")
        if ends or text.startswith(_ENDING_WORDS, i + 1):
            return ch, i + 1
    return "", pos


def _match_chinese_unit(text: str, pos: int) -> tuple[str, int]:
    prefix = ""
    for candidate in ("万", "亿"):
        if text.startswith(candidate, pos):
            prefix = candidate
            break
    start = pos + len(prefix)
    for length in range(min(_MAX_LEN, len(text) - start), 0, -1):
        word = text[start : start + length]
        if word in _CN_UNITS:
            end = start + length
            if text[end : end + 1] in _CN_NOT_AFTER:
                return "", -1
            return prefix + word, end
    return "", -1


def normalize_unit(text: str | None) -> str:
    """A 计量单位 column value in canonical form: `％`/`百分比` → `%`; placeholders → ""."""
    if text is None:
        return ""
    unit = "".join(normalize_text(text).split())
    if unit in ("", "-", "/", "无", "*", "--", "—"):
        return ""
    return _VOCAB.get(unit, unit)


MULTIPLIERS = _MULTIPLIERS
