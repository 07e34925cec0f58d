"""Parsing 本年度指标值 text into sign, number, unit and kind (RULES.md "Value forms").

Public surface: `parse_value`, `format_value`, `money_in_wanyuan`, `canonical_sign`,
`normalize_unit` and the types. Stdlib only, regexes precompiled: it runs on every save.

Semantics of `parse_value(text, sign=None, unit=None) -> ParsedValue`:

* Text is first folded: full-width digits, letters and punctuation to ASCII (`９５％` → `95%`),
  `≧ ≦` to `≥ ≤`, zero-width characters dropped. `raw` keeps the text exactly as given.
* kind, decided in this order:
  - `empty`: nothing but whitespace (or `not_applicable` when the sign column says 不适用);
  - `not_applicable`: 不适用 · 本项目不适用此指标 · 无 · 暂无 · 不涉及 · N/A (whole text, brackets
    and punctuation ignored) or any text containing 不适用此/不涉及此; sign column 不适用;
  - `placeholder`: 预算绩效目标值 · 预期目标值 · 达到预期目标值 · 预期绩效目标值 · 达到预期绩效目标值 ·
    待定 …, filler only (`*` `**` `XX` `-` `/` `—` `…`), punctuation only (`≥`), or a template with
    filler where the number belongs and no number at all (`(≤**万元)`, `≥XX%`);
  - `qualitative`: no quantity found (明显改善, 2021年内实施完毕), or the sign column says 定性
    (then no quantity is reported even if the text holds numbers);
  - `quantitative`: at least one quantity found.
  For every kind but quantitative, sign/number are None, unit "" and parts (); years are kept
  for qualitative values only.
* Years and dates are never quantities: `2021年`, `2021年度`, `2020-2021年`, `2021年12月31日`,
  `2021-12-31`, `2021/12`, `2021.12.31`, `二〇二一年` add the year to `years` (in order of first
  appearance, without repeats); a month alone (`12月底前`, `6月30日`, `1-12月`) is skipped, and so
  is `四季度` (Q4). `3个月` and `1个季度` are quantities, `2021.12` a decimal number.
* A quantity (`ValuePart`) is an Arabic number (`1,000` and decimals accepted) or a Chinese numeral
  followed by a common measure word (三次, 两轮, 十二期, 一百二十次; not 一般, 一次性, 第三方),
  or `百分之…`. Not quantities: ordinals (`第3`), names (`5G`, `3D`, `MAS4`, and a bare number
  glued to a word: `12345热线`, `110报警`), numbers too large for a float.
* unit: the measure word after the number, longest known spelling first (`个工作日`, `人次`,
  `万件次`); a multiplier stays in the unit (`9.7万份` → 9.7 `万份`; `三万人` → 3 `万人`, but
  `三万五千人` → 35000 `人`); rates keep their slash (`4次/年`, `5元/平方米`); `%`, `％`, `百分比`
  → `%`; approximations drop their 余/多 (`100余人` → 100 人, `3万余人` → 3 万人); an inclusive
  note after the value (`(含)`, `(含95%)`) is skipped. An unknown one-character measure word
  counts only where it ends the quantity (`5艘`, `5艘以上`).
* sign, canonical ≥ ＞ ＝ ＜ ≤: a symbol touching the number (`≥`, `>=`, `≧`, `＞＝`, `=`), else
  a word after the unit (以上 及以上 → ≥; 以下 以内 之内 内 → ≤; 左右 → none), else a word before
  the number in the same clause (不低于 不少于 不小于 至少 达到, or 达 touching the number → ≥;
  不高于 不超过 不大于 控制在 最多 → ≤; 高于 超过 大于 → ＞; 低于 少于 小于 → ＜; 等于 → ＝).
  A minus sign is read only after a symbol (`≥-5%`). A range gives two parts: `3-5次`, `90%～95%`,
  `3至5个工作日` → ≥3次 and ≤5次. The `>` closing an HTML tag (`<p>95%`) is not a sign.
* label: the text of the clause before the number (clauses end at `，,；;。、` and line breaks, or
  at the previous quantity or year), without sign words and connectors at its ends (为 达 约 等 …):
  `受理事项群众满意率达92%以上。` → label 受理事项群众满意率; `每年一次` → label 每年, 1 次;
  `16人176次` → two parts, 16 人 and 176 次. Brackets opened inside a label stay closed
  (`结余率(结余数/预算数)`); HTML tags become spaces. Text after the last quantity is not kept.
* `number`, `sign`, `unit` of the value are those of the first part (the main quantity).
* Columns win over the text: `sign` (指标值符号) replaces the main part's sign when it is a sign
  (symbols, 大于等于 …); 定性 makes the value qualitative; 定量/定量（其他） changes nothing;
  不适用 makes it not_applicable. `unit` (计量单位) replaces the main part's unit, except that a
  multiplier in the text is kept (`9.7万` + `份` → `万份`; `9.7万份` + `份` → `万份`).

`format_value(v)` writes a quantitative value canonically (`2020年；受理量：18万件次`) so that
`parse_value(format_value(v))` equals `v` in every field but `raw`; other kinds give `raw` back.
`money_in_wanyuan(number, unit)` converts 元/千元/万元/亿元 amounts (and a bare 万/亿, unless
`bare_multiplier=False`) to 万元; None for other units.
"""

from __future__ import annotations

from dataclasses import replace

from lubudget_xl.values.amounts import format_wan, parse_amount
from lubudget_xl.values.classify import compact, is_not_applicable, is_placeholder, looks_unfilled
from lubudget_xl.values.format import format_value
from lubudget_xl.values.money import money_in_wanyuan
from lubudget_xl.values.numerals import format_number
from lubudget_xl.values.parse import scan
from lubudget_xl.values.signs import (
    NOT_APPLICABLE_COLUMN,
    OTHER_QUANTITATIVE_COLUMN,
    QUALITATIVE_COLUMN,
    canonical_sign,
    column_key,
)
from lubudget_xl.values.text import normalize_text
from lubudget_xl.values.types import (
    FORWARD_SIGNS,
    KIND_EMPTY,
    KIND_NOT_APPLICABLE,
    KIND_PLACEHOLDER,
    KIND_QUALITATIVE,
    KIND_QUANTITATIVE,
    KINDS,
    REVERSE_SIGNS,
    SIGNS,
    ParsedValue,
    ValuePart,
)
from lubudget_xl.values.units import MULTIPLIERS, normalize_unit

__all__ = [
    "format_wan",
    "parse_amount",
    "FORWARD_SIGNS",
    "KINDS",
    "KIND_EMPTY",
    "KIND_NOT_APPLICABLE",
    "KIND_PLACEHOLDER",
    "KIND_QUALITATIVE",
    "KIND_QUANTITATIVE",
    "REVERSE_SIGNS",
    "SIGNS",
    "ParsedValue",
    "ValuePart",
    "canonical_sign",
    "format_value",
    "money_in_wanyuan",
    "normalize_unit",
    "parse_value",
]


def parse_value(text: object, sign: str | None = None, unit: str | None = None) -> ParsedValue:
    """Parse one 本年度指标值 cell; `sign`/`unit` are the separate columns where a form has them.

    Never raises. `text` may be a number read from a cell (95 → "95"); None counts as empty.
    """
    raw = _as_text(text)
    folded = normalize_text(raw)
    key = column_key(sign)
    if not folded.strip():
        return ParsedValue(raw=raw, kind=KIND_NOT_APPLICABLE if key in NOT_APPLICABLE_COLUMN else KIND_EMPTY)
    compacted = compact(folded)
    if key in NOT_APPLICABLE_COLUMN or is_not_applicable(compacted):
        return ParsedValue(raw=raw, kind=KIND_NOT_APPLICABLE)
    if not compacted or is_placeholder(compacted):
        return ParsedValue(raw=raw, kind=KIND_PLACEHOLDER)
    parts, years = scan(folded)
    if not parts and looks_unfilled(folded):
        return ParsedValue(raw=raw, kind=KIND_PLACEHOLDER)
    if not parts or key in QUALITATIVE_COLUMN:
        return ParsedValue(raw=raw, kind=KIND_QUALITATIVE, years=years)
    main = parts[0]
    column_sign = None if key in OTHER_QUANTITATIVE_COLUMN else canonical_sign(sign)
    main = replace(main, sign=column_sign or main.sign, unit=_combine_unit(main.unit, normalize_unit(unit)))
    parts = (main, *parts[1:])
    return ParsedValue(
        raw=raw,
        kind=KIND_QUANTITATIVE,
        sign=main.sign,
        number=main.number,
        unit=main.unit,
        parts=parts,
        years=years,
    )


def _as_text(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, float):
        return format_number(text)
    return str(text)


def _combine_unit(text_unit: str, column_unit: str) -> str:
    """The unit column wins, but a multiplier written in the text (万, 亿) is not thrown away."""
    if not column_unit or column_unit == text_unit:
        return text_unit
    for prefix in MULTIPLIERS:
        if text_unit == prefix + column_unit:
            return text_unit
        if text_unit == prefix and not column_unit.startswith(MULTIPLIERS):
            return prefix + column_unit
    return column_unit
