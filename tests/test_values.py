"""The 本年度指标值 parser on real forms (seed, RULES.md) and on generated text.

Cases live in fixtures/values_cases.tsv (one per line, documented in its header); properties
check that parsing never raises and that `format_value` output parses back to the same value.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lubudget_xl.values import (
    KINDS,
    SIGNS,
    ParsedValue,
    ValuePart,
    canonical_sign,
    format_value,
    money_in_wanyuan,
    normalize_unit,
    parse_amount,
    parse_value,
)
from lubudget_xl.values.numerals import chinese_digit_string, parse_chinese

ROOT = Path(__file__).resolve().parent.parent
CASES_FILE = Path(__file__).resolve().parent / "fixtures" / "values_cases.tsv"
SEED = ROOT / "lubudget_xl" / "samples" / "liuan_2021_gov_office_targets.txt"
KIND_CODES = {
    "Q": "quantitative",
    "L": "qualitative",
    "P": "placeholder",
    "E": "empty",
    "N": "not_applicable",
}


def _cell(text: str) -> str:
    return text.replace("\\s", " ")


def _load_cases() -> list:
    cases = []
    for number, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#") or not line.strip("\t"):
            continue
        fields = line.split("\t")
        assert len(fields) == 10, f"values_cases.tsv line {number}: {len(fields)} fields"
        text, sign_col, unit_col, kind, sign, num, unit, parts, years, source = fields
        expected_parts = []
        for chunk in filter(None, parts.split(" ; ")):
            label, psign, pnum, punit = chunk.split("|")
            expected_parts.append(ValuePart(number=float(pnum), sign=psign or None, unit=punit, label=label))
        cases.append(
            pytest.param(
                _cell(text),
                sign_col or None,
                unit_col or None,
                KIND_CODES[kind],
                sign or None,
                float(num) if num else None,
                unit,
                tuple(expected_parts),
                tuple(int(y) for y in years.split(",") if y),
                id=f"L{number}:{source}:{text[:20]}",
            )
        )
    return cases


CASES = _load_cases()


def test_enough_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize(("text", "sign_col", "unit_col", "kind", "sign", "number", "unit", "parts", "years"), CASES)
def test_case(text, sign_col, unit_col, kind, sign, number, unit, parts, years):
    value = parse_value(text, sign=sign_col, unit=unit_col)
    assert value.raw == text
    assert value.kind == kind
    assert value.sign == sign
    assert value.number == number
    assert value.unit == unit
    assert value.parts == parts
    assert value.years == years
    if value.parts:  # the value's own fields describe the main (first) part
        main = value.parts[0]
        assert (value.sign, value.number, value.unit) == (main.sign, main.number, main.unit)


def _seed_values() -> list[str]:
    """Last column of every seed line: the 本年度指标值 of the indicator rows (and header text)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return sorted({line.split("\t")[-1] for line in lines})


SEED_VALUES = _seed_values()


def test_seed_values_all_classified_and_schema_valid():
    schema = json.loads((ROOT / "lubudget_xl" / "schemas" / "records.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/parsed"})
    kinds = set()
    for text in SEED_VALUES:
        value = parse_value(text)
        validator.validate(value.to_dict())
        assert ParsedValue.from_dict(value.to_dict()) == value
        kinds.add(value.kind)
    assert {"quantitative", "qualitative", "placeholder", "empty"} <= kinds


def _roundtrips(text: str) -> None:
    value = parse_value(text)
    again = parse_value(format_value(value))
    assert again.kind == value.kind, (text, format_value(value))
    assert (again.sign, again.number, again.unit) == (value.sign, value.number, value.unit), text
    assert again.parts == value.parts, (text, format_value(value))
    assert again.years == value.years, text


@pytest.mark.parametrize("text", SEED_VALUES)
def test_seed_roundtrip(text):
    _roundtrips(text)


FRAGMENTS = [
    *"0123456789.,，、。;％%≥≤><=＞＝＜≧-/ 年月日次人万亿元份个内以上下不低于至少达到第一二两三十百千零〇每期abcGkmXx*()（）：:的为约",
    "不低于", "不超过", "至少", "控制在", "以上", "以内", "达到", "2021年", "2020-2021年", "2021-12-31", "2021.12",
    "12月", "3个月", "百分比", "百分之", "万元", "个工作日", "一百二十", "第三", "5G", "≥", "＞＝", "人次", "(含)", "左右",
    "/年", "kg", "m2", "不适用此", "**", "XX", "每年", "满意率", "1,000", "１２", "二〇二一年", "余",
    "<p>", "</p>", "<b>", "～", "至", "——", "m2,7", "传达", "节约", "公共", "存在", "(含95%)", "1-12月", "季度", "/平方米", "万余",
]
fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join)
any_text = st.text(max_size=60)
huge_numbers = st.integers(min_value=0, max_value=10**400).map(str) | st.just("9" * 400 + "次")


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(any_text, fragment_text, huge_numbers), st.none() | any_text | st.sampled_from(["≥", "定性", "定量（其他）", "不适用"]), st.none() | any_text)
def test_never_raises(text, sign, unit):
    value = parse_value(text, sign=sign, unit=unit)
    assert value.kind in KINDS
    assert value.raw == text
    assert value.sign is None or value.sign in SIGNS
    for part in value.parts:
        assert part.sign is None or part.sign in SIGNS
        assert part.number == part.number and abs(part.number) != float("inf")
    format_value(value)


@settings(max_examples=300, deadline=None)
@given(st.one_of(fragment_text, any_text))
def test_format_roundtrip(text):
    _roundtrips(text)


# The units of the 2021/2022 catalogues' dropdown (月 left out: `3月` reads as March).
CATALOG_UNITS = ["次", "件次", "人", "人次", "人份", "个", "项", "本", "份", "万份", "期", "件", "轮次", "户", "家", "场", "套", "台", "天", "个工作日", "年", "%", "万元", "元"]


@pytest.mark.parametrize("unit", CATALOG_UNITS)
def test_columns_roundtrip_through_text(unit):
    """A value read from separate sign/unit columns can be written back as one text cell."""
    for sign in (*SIGNS, None, "定量（其他）"):
        for number in ("24", "72.32", "0.5", "1000"):
            value = parse_value(number, sign=sign, unit=unit)
            assert value.kind == "quantitative" and value.unit == unit
            again = parse_value(format_value(value))
            assert (again.sign, again.number, again.unit, again.parts) == (value.sign, value.number, value.unit, value.parts)


def test_format_is_canonical():
    assert format_value(parse_value("受理事项群众满意率达92%以上。")) == "受理事项群众满意率：≥92%"
    assert format_value(parse_value("预计2020年受理量为18万件次。")) == "2020年；受理量：18万件次"
    assert format_value(parse_value("明显改善")) == "明显改善"


def test_column_helpers():
    assert canonical_sign("＞＝") == "≥"
    assert canonical_sign(">=") == "≥"
    assert canonical_sign("不超过") == "≤"
    assert canonical_sign("定性") is None
    assert normalize_unit("百分比") == "%"
    assert normalize_unit(" ％ ") == "%"
    assert normalize_unit("/") == ""


def test_money_in_wanyuan():
    assert money_in_wanyuan(50000, "元") == pytest.approx(5.0)
    assert money_in_wanyuan(800, "千元") == pytest.approx(80.0)
    assert money_in_wanyuan(72.32, "万元") == pytest.approx(72.32)
    assert money_in_wanyuan(1.2, "亿元") == pytest.approx(12000.0)
    assert money_in_wanyuan(9.7, "万份") is None
    assert money_in_wanyuan(20, "万") == pytest.approx(20.0)
    assert money_in_wanyuan(20, "万", bare_multiplier=False) is None
    assert money_in_wanyuan(3, "") is None
    assert money_in_wanyuan(None, "万元") is None
    cost = parse_value("接线外包费136万元,通信服务费和设备维护费20万,督查督办经费4万元。")
    total = sum(money_in_wanyuan(p.number, p.unit) for p in cost.parts)
    assert total == pytest.approx(160.0)


def test_public_surface():
    import lubudget_xl.values as values

    assert all(hasattr(values, name) for name in values.__all__)
    assert {"parse_value", "format_value", "money_in_wanyuan", "ParsedValue", "ValuePart"} <= set(values.__all__)


def test_cell_numbers_are_accepted():
    assert parse_value(95.0).number == 95.0
    assert parse_value(None).kind == "empty"


def test_import_is_light():
    """The core must not pull in spreadsheet libraries (DESIGN.md §4; RunPython start-up)."""
    code = (
        "import sys, lubudget_xl.values as v; v.parse_value('≥95%');"
        "heavy = sorted(m for m in ('openpyxl', 'pandas', 'xlwings', 'numpy', 'jsonschema') if m in sys.modules);"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


# --- Edges the case table does not pin down: the docstring's promises about dates and ordinals, date
# boundaries, and the small converters. Found by mutation testing (docs/mutation.md): each assertion
# fails on a one-line change of the parser that the rest of the suite let through.


@pytest.mark.parametrize("text", ["第3次", "开展第3次评估", "第 3 次", "第3", "第三次会议"])
def test_an_ordinal_is_not_a_quantity(text):
    """Docstring: "Not quantities: ordinals (`第3`)"."""
    value = parse_value(text)
    assert value.kind == "qualitative" and value.parts == () and value.number is None


def test_an_ordinal_does_not_hide_the_quantity_after_it():
    value = parse_value("每年第3次会议召开5次")
    assert [(p.number, p.unit) for p in value.parts] == [(5.0, "次")]


def test_2021_12_is_a_decimal_not_a_date():
    """Docstring: "`2021/12` … add the year … `2021.12` a decimal number"."""
    value = parse_value("2021.12")
    assert value.kind == "quantitative" and value.number == 2021.12 and value.years == ()
    assert value.parts == (ValuePart(number=2021.12),)
    for date in ("2021.12.31", "2021/12", "2021-12"):
        assert parse_value(date).kind == "qualitative" and parse_value(date).years == (2021,), date


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2021-01", (2021,)),  # month 1 is a month
        ("2021-12", (2021,)),  # and so is 12
        ("2021-12-01", (2021,)),  # day 1 is a day
        ("2021-12-31", (2021,)),  # and so is 31
        ("2021/1/1", (2021,)),
        ("2021-13-01", ()),  # no month 13: not a date
        ("2021-00-01", ()),
        ("2021-12-32", ()),  # no day 32
        ("2021-12-00", ()),
        ("2021.12.32", ()),
    ],
)
def test_date_boundaries(text, years):
    assert parse_value(text).years == years


def test_year_ranges_and_chinese_years():
    assert parse_value("2020-2021年").years == (2020, 2021)
    assert parse_value("2020 至 2021 年度").years == (2020, 2021)
    assert parse_value("二〇二一年度召开24次").years == (2021,)
    assert parse_value("两〇二一年").years == ()  # 两 is never a digit of a year


def test_chinese_numerals():
    assert parse_chinese("十") == 10
    assert parse_chinese("两") == 2
    assert parse_chinese("一二") is None  # digits without a multiplier are no quantity
    assert parse_chinese("二〇二一") is None
    assert parse_value("十次").parts == (ValuePart(number=10.0, unit="次"),)
    assert chinese_digit_string("二〇二一") == 2021
    assert chinese_digit_string("两〇二一") is None
    assert chinese_digit_string("十") is None
    assert chinese_digit_string("") is None


def test_fund_amounts():
    assert parse_amount(":156") == 156.0  # a colon left by "项目资金:156"
    assert parse_amount("156X") is None
    assert parse_amount("9" * 400) is None  # overflows a float: not an amount, never inf
    assert parse_amount("50000元") == pytest.approx(5.0)


def test_money_units_with_spaces_and_currency():
    assert money_in_wanyuan(3, "万 元") == 3.0
    assert money_in_wanyuan(5, "人民币万元") == 5.0
    assert money_in_wanyuan(50000, "元人民币") == pytest.approx(5.0)


def test_a_stray_closing_bracket_is_not_kept_in_the_label():
    """A bracket closing one opened inside the label stays (`结余率(结余数/预算数)`); a stray one goes."""
    assert parse_value("满意率)≥95%").parts[0].label == "满意率"
    assert parse_value("结余率(结余数/预算数)≤5%").parts[0].label == "结余率(结余数/预算数)"


def test_records_without_optional_keys_read_back_with_defaults():
    """A record written by hand or by an older version may leave out sign, unit, label, parts, years."""
    assert ValuePart.from_dict({"number": 3}) == ValuePart(number=3.0, sign=None, unit="", label="")
    assert ParsedValue.from_dict({"raw": "明显改善", "kind": "qualitative"}) == ParsedValue(
        raw="明显改善", kind="qualitative", sign=None, number=None, unit="", parts=(), years=()
    )
    full = ParsedValue.from_dict({"raw": "≥3次", "kind": "quantitative", "sign": "≥", "number": 3, "unit": "次",
                                  "parts": [{"number": 3, "sign": "≥", "unit": "次"}], "years": ["2021"]})  # fmt: skip
    assert full.number == 3.0 and isinstance(full.number, float) and full.years == (2021,)
    assert full.parts == (ValuePart(number=3.0, sign="≥", unit="次", label=""),)


@pytest.mark.parametrize(
    ("text", "number"),
    [("一亿", 10**8), ("十亿", 10**9), ("一万亿", 10**12), ("两亿三千万", 230_000_000), ("一亿五千万", 150_000_000),
     ("三千万", 30_000_000), ("三千五百万", 35_000_000), ("十万", 100_000), ("一万零五", 10_005), ("一百零五", 105),
     ("十一", 11), ("零", 0), ("一百十", 110), ("一万十", 10_010), ("万", None), ("亿", None), ("百", None)],
)
def test_chinese_numerals_with_multipliers(text, number):
    """Sections below 万 and 亿 add up; 亿 multiplies everything before it (一万亿); a multiplier alone is no number."""
    assert parse_chinese(text) == number


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("三万人", [(3.0, "万人")]),
        ("两亿人", [(2.0, "亿人")]),
        ("共三万人", [(3.0, "万人")]),  # the multiplier is looked for where the numeral ends, not at the start
        ("一次性项目", []),  # a measure word that goes on (次性, 体化, 件事) is no quantity
        ("推进一体化", []),
        ("办好五件事", []),
        ("3人-5次", [(3.0, "人"), (5.0, "次")]),  # different units: two quantities, not a range
        ("3次;-5次", [(3.0, "次"), (5.0, "次")]),  # a clause delimiter ends the first: no range across it
    ],
)
def test_measure_words_and_ranges(text, parts):
    value = parse_value(text)
    assert [(p.number, p.unit) for p in value.parts] == parts
    assert all(p.sign is None for p in value.parts)


def test_format_value_edges():
    assert format_value(parse_value("≥24次")) == "≥24次"  # no label: no "：" before the value
    assert format_value(parse_value("2020年和2021年共召开24次")) == "2020年、2021年；共召开：24次"
    # A quantitative record read back without its parts (hand-written JSON) is written as it came.
    assert format_value(ParsedValue(raw="≥3次", kind="quantitative", sign="≥", number=3.0, unit="次")) == "≥3次"


@pytest.mark.parametrize(
    ("number", "text"),
    [(0.0, "0"), (-0.0, "0"), (100.0, "100"), (123.45, "123.45"), (1e-7, "0.0000001"), (2.5e16, "25000000000000000"),
     (1e20, "100000000000000000000")],
)
def test_format_number_never_uses_an_exponent(number, text):
    from lubudget_xl.values.numerals import format_number

    assert format_number(number) == text
    assert float(text) == number


@pytest.mark.parametrize(
    ("text", "parts", "years"),
    [
        ("群众满意率不低于90%", [("群众满意率", "≥", 90.0, "%")], ()),  # the sign word leaves the label
        ("2101年", [("", None, 2101.0, "年")], ()),  # past 2100: a number of years, not a year
        ("两千年", [], (2000,)),
        ("5桶", [("", None, 5.0, "桶")], ()),  # an unknown measure word that ends the quantity
        ("5桶以上", [("", "≥", 5.0, "桶")], ()),
        ("购置5桶一类油", [], ()),  # …but not one followed by more words
        ("5\u9fff", [("", None, 5.0, "\u9fff")], ()),  # the last character of the CJK block
        ("5ア", [("", None, 5.0, "")], ()),  # a katakana character is no Chinese measure word
    ],
)
def test_units_labels_and_years_at_their_edges(text, parts, years):
    value = parse_value(text)
    assert [(p.label, p.sign, p.number, p.unit) for p in value.parts] == parts
    assert value.years == years


def test_unit_column_placeholders():
    for blank in ("", "-", "/", "无", "*", "--", "—", " * "):
        assert normalize_unit(blank) == "", blank


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("≥5kg", [("", "≥", 5.0, "kg")]),  # an ASCII unit of the short list, touching the number
        ("5 kg", [("", None, 5.0, "kg")]),  # or after a space
        ("5 abc", [("", None, 5.0, "")]),  # other letters after a space are no unit
        ("5G网络", []),  # and touching the number they make it a name
        ("——满意率≥95%", [("满意率", "≥", 95.0, "%")]),  # several leading marks leave the label
    ],
)
def test_ascii_units_and_leading_marks(text, parts):
    assert [(p.label, p.sign, p.number, p.unit) for p in parse_value(text).parts] == parts
