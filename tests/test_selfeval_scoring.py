"""The pure scoring functions of the self-evaluation (财预〔2020〕10号), at their boundaries."""

from __future__ import annotations

import pytest

from lubudget_xl.rules import DEFAULT_SETTINGS
from lubudget_xl.selfeval.scoring import (
    completion_ratio,
    execution_rate,
    grade_of,
    score_execution,
    score_indicator,
    score_qualitative,
    score_quantitative,
    spread_weights,
)
from lubudget_xl.values import parse_value

BANDS = DEFAULT_SETTINGS["selfeval_qualitative"]
GRADES = DEFAULT_SETTINGS["selfeval_grades"]


@pytest.mark.parametrize(
    ("sign", "target", "actual", "weight", "score", "met"),
    [
        ("≥", 24, 26, 12.5, 12.5, True),  # over-achieved: capped at the weight
        ("≥", 24, 24, 12.5, 12.5, True),
        ("≥", 24, 12, 12.5, 6.25, False),
        ("≥", 24, 20, 12.5, 10.42, False),
        ("＞", 95, 94, 10, 9.89, False),
        ("＝", 100, 100, 12.5, 12.5, True),
        ("＝", 100, 90, 12.5, 11.25, False),
        ("≤", 30, 28.5, 12.5, 12.5, True),  # reverse: within the target is full marks
        ("≤", 30, 30, 12.5, 12.5, True),
        ("≤", 30, 37.5, 12.5, 10.0, False),  # 30 / 37.5 = 80 %
        ("＜", 5, 10, 10, 5.0, False),
        ("≤", 0, 0, 5, 5.0, True),
        ("≥", 24, 0, 12.5, 0.0, False),
    ],
)
def test_quantitative_scores_by_completion_ratio(sign, target, actual, weight, score, met):
    result = score_quantitative(sign, target, actual, weight)
    assert (result.low, result.high, result.met) == (score, score, met)
    assert result.basis == "ratio" and 0 <= result.ratio <= 1


def test_completion_ratio_directions():
    assert completion_ratio("≥", 10, 5) == 0.5
    assert completion_ratio("≤", 10, 20) == 0.5
    assert completion_ratio(None, 10, 15) == 1.0


@pytest.mark.parametrize(
    ("text", "low", "high", "met"),
    [
        ("达成年度指标", 12.0, 15.0, True),
        ("部分达成年度指标并具有一定效果", 9.0, 12.0, False),
        ("未达成年度指标且效果较差", 0.0, 9.0, False),
        (" 达成年度 指标 ", 12.0, 15.0, True),  # typed spaces
    ],
)
def test_qualitative_grade_bands(text, low, high, met):
    result = score_qualitative(text, 15, BANDS)
    assert (result.low, result.high, result.met, result.suggested) == (low, high, met, high)
    assert result.accepts(low, 0) and result.accepts(high, 0) and not result.accepts(high + 0.2, 0.1)


def test_score_indicator_picks_the_basis_from_target_and_actual():
    target = parse_value("≥24次")
    assert score_indicator(target, "20次", 12.5, BANDS).high == 10.42
    assert score_indicator(target, "20", 12.5, BANDS).high == 10.42
    assert score_indicator(target, "达成年度指标", 12.5, BANDS).basis == "grade"
    assert score_indicator(target, "", 12.5, BANDS) is None
    assert score_indicator(target, "完成较好", 12.5, BANDS) is None  # neither a number nor a graded result
    assert score_indicator(target, "20次", None, BANDS) is None
    assert score_indicator(parse_value("达到良好"), "26次", 15, BANDS) is None
    assert score_indicator(parse_value("≥95%"), "96%", 10, BANDS).high == 10


def test_budget_execution():
    assert execution_rate(30, 27) == pytest.approx(0.9)
    assert execution_rate(0, 27) is None and execution_rate(30, None) is None
    assert score_execution(30, 27, 10).high == 9.0
    assert score_execution(30, 33, 10).high == 10.0  # over-spent: capped
    assert score_execution(30, 27, None) is None


def test_weights_spread_over_each_level_and_add_up():
    weights = DEFAULT_SETTINGS["selfeval_weights"]
    groups = DEFAULT_SETTINGS["selfeval_weight_groups"]
    rows = ["产出指标"] * 3 + ["效益指标"] * 2 + ["满意度指标"]
    spread = spread_weights(rows, weights, groups)
    assert spread == [16.67, 16.67, 16.66, 15.0, 15.0, 10.0]
    assert round(sum(spread) + weights["预算执行率"], 6) == 100
    # 101号's level-one 成本指标 shares 产出's points; an unknown level one gets none
    assert spread_weights(["产出指标", "成本指标", "效益指标", "满意度指标", "其他"], weights, groups) == [
        25.0, 25.0, 30.0, 10.0, 0.0]


@pytest.mark.parametrize(("total", "grade"), [(100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.9, "中"),
                                              (60, "中"), (59.99, "差"), (0, "差"), (None, "")])
def test_grades(total, grade):
    assert grade_of(total, GRADES) == grade


def test_a_fraction_against_a_percentage_target_is_a_percentage():
    """A cell formatted 96% holds 0.96: Excel (and the file port) hand over the fraction."""
    target = parse_value("≥95%")
    assert score_indicator(target, "0.96", 10, BANDS).high == 10
    assert score_indicator(target, "0.9", 10, BANDS).high == 9.47
    assert score_indicator(target, "90%", 10, BANDS).high == 9.47
    assert score_indicator(parse_value("≥24次"), "0.9", 10, BANDS).high == 0.38  # no percentage: as written
