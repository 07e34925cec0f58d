"""Pure scoring of a self-evaluation (财预〔2020〕10号): no I/O, no workbook, settings passed in.

- Quantitative indicators score by completion ratio against the target, capped at the weight:
  forward signs (≥ ＞ ＝) actual / target, reverse signs (≤ ＜) target / actual (full marks while the
  actual stays within the target).
- Qualitative results score by grade band: 达成年度指标 80–100 % of the weight, 部分达成年度指标并具有
  一定效果 60–80 %, 未达成年度指标且效果较差 0–60 % (catalogue setting selfeval_qualitative). Any score
  inside the band is right; the suggestion is the band's top, what the form's formula shows.
- Budget execution scores 执行率 = 全年执行数 / 全年预算数 times its weight, capped at the weight.

Scores are rounded to 2 decimals, as the workbook's ROUND(…, 2) formulas round them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lubudget_xl.values import parse_value
from lubudget_xl.values.types import FORWARD_SIGNS, REVERSE_SIGNS, ParsedValue

DIGITS = 2


@dataclass(frozen=True)
class Score:
    """What an indicator (or the execution line) can score: any value in [low, high] is right.

    `basis`: "ratio" (quantitative), "grade" (qualitative) or "rate" (budget execution);
    `ratio`: completion (1.0 = target met) for ratio and rate; `met`: the target was reached.
    """

    low: float
    high: float
    basis: str
    met: bool
    ratio: float | None = None
    grade: str | None = None

    @property
    def suggested(self) -> float:
        return self.high

    def accepts(self, score: float, tolerance: float) -> bool:
        return self.low - tolerance <= score <= self.high + tolerance


def _round(x: float) -> float:
    return round(x + 0.0, DIGITS)


def completion_ratio(sign: str | None, target: float, actual: float) -> float:
    """How much of the target the actual reached, capped at 1 (1.0 = met)."""
    if sign in REVERSE_SIGNS:
        if actual <= target:
            return 1.0
        return max(target, 0.0) / actual if actual > 0 else 0.0
    if target <= 0:
        return 1.0 if actual >= target else 0.0
    return max(min(actual / target, 1.0), 0.0)


def score_quantitative(sign: str | None, target: float, actual: float, weight: float) -> Score:
    """A forward (≥ ＞ ＝, or no sign) or reverse (≤ ＜) indicator scored by completion ratio."""
    ratio = completion_ratio(sign if sign in FORWARD_SIGNS + REVERSE_SIGNS else None, target, actual)
    score = _round(weight * ratio)
    return Score(score, score, "ratio", ratio >= 1.0, ratio=ratio)


def grade_band(text: str, bands: Sequence[Sequence[Any]]) -> tuple[str, float, float] | None:
    """(result, from %, to %) of a qualitative result text, None when it names no result."""
    key = "".join((text or "").split())
    for name, low, high in bands:
        if key == name:
            return str(name), float(low), float(high)
    return None


def score_qualitative(text: str, weight: float, bands: Sequence[Sequence[Any]]) -> Score | None:
    band = grade_band(text, bands)
    if band is None:
        return None
    name, low, high = band
    top = max(float(b[2]) for b in bands)
    return Score(_round(weight * low / 100), _round(weight * high / 100), "grade", high >= top, grade=name)


@lru_cache(maxsize=8192)
def _parsed(text: str) -> ParsedValue:
    """Actual values repeat across a batch (100%, 26次); a ParsedValue is immutable."""
    return parse_value(text)


PERCENT_UNITS = ("%", "％", "百分比")


def actual_number(actual: str, percent: bool = False) -> float | None:
    """The number of an 实际完成值 (26, 26次, ≥26次, 96%), None when it states none. Against a
    percentage target (`percent`) a bare fraction is a percentage: a cell showing 96% holds 0.96,
    and that is what Excel hands over when its format is not read."""
    parsed = _parsed(actual)
    if parsed.number is None:
        return None
    if percent and not parsed.unit and 0 < parsed.number <= 1.5:
        return parsed.number * 100
    return parsed.number


def effective_sign(sign: str | None, cost: bool) -> str | None:
    """The direction a row is scored in: its sign; a cost row without one is reverse (≤), as a cost
    target is a ceiling (财预〔2021〕101号: cost values may not exceed the standard)."""
    return "≤" if sign is None and cost else sign


def score_indicator(
    target: ParsedValue, actual: str, weight: float | None, bands: Sequence[Sequence[Any]], cost: bool = False
) -> Score | None:
    """The score an indicator row can have, None when it cannot be computed (no weight, no actual,
    or an actual that is neither a number for a quantified target nor a qualitative result).
    `cost`: the row is a cost indicator (scored reverse when its target has no sign)."""
    if weight is None or not (actual or "").strip():
        return None
    graded = score_qualitative(actual, weight, bands)
    if graded is not None:
        return graded
    if target.quantified:
        percent = target.unit in PERCENT_UNITS and float(target.number) > 1.5  # type: ignore[arg-type]
        number = actual_number(actual, percent)
        if number is not None:
            sign = effective_sign(target.sign, cost)
            return score_quantitative(sign, float(target.number), number, weight)  # type: ignore[arg-type]
    return None


def execution_rate(budget: float | None, executed: float | None) -> float | None:
    """全年执行数 / 全年预算数 as a fraction, None without a positive budget or an executed amount."""
    if budget is None or executed is None or budget <= 0:
        return None
    return executed / budget


def score_execution(budget: float | None, executed: float | None, weight: float | None) -> Score | None:
    rate = execution_rate(budget, executed)
    if rate is None or weight is None:
        return None
    ratio = max(min(rate, 1.0), 0.0)
    score = _round(weight * ratio)
    return Score(score, score, "rate", ratio >= 1.0, ratio=ratio)


def spread_weights(
    level1s: Sequence[str | None], weights: Mapping[str, float], groups: Mapping[str, str]
) -> list[float]:
    """Each row's 分值: a level one's points shared equally by its rows (2 decimals, the last row
    taking the rounding remainder so the level's rows add up exactly). Rows of a level one named in
    `groups` share that group's points; rows of a level one with no points get 0."""
    keys = [groups.get(l1 or "", l1 or "") for l1 in level1s]
    out = [0.0] * len(keys)
    for key in dict.fromkeys(keys):
        points = float(weights.get(key, 0) or 0)
        rows = [i for i, k in enumerate(keys) if k == key]
        if not points or not rows:
            continue
        share = _round(points / len(rows))
        for i in rows:
            out[i] = share
        out[rows[-1]] = _round(points - share * (len(rows) - 1))
    return out


def grade_of(total: float | None, grades: Sequence[Sequence[Any]]) -> str:
    """优/良/中/差 of a total score: the first grade whose floor the total reaches ("" without a total)."""
    if total is None:
        return ""
    for floor, name in sorted(grades, key=lambda g: -float(g[0])):
        if total >= float(floor):
            return str(name)
    return str(grades[-1][1]) if grades else ""
