"""The form vocabulary: shipped data valid, matching folds what forms vary, both readers agree."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest

from lubudget_xl.catalog import load_catalog
from lubudget_xl.catalog.vocabulary import bare, vocabulary, vocabulary_problems
from lubudget_xl.reader import layout
from lubudget_xl.textimport import labels


def _shipped() -> dict:
    text = resources.files("lubudget_xl.catalog").joinpath("data", "vocabulary.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_shipped_vocabulary_is_valid_and_versioned():
    data = _shipped()
    assert vocabulary_problems(data) == []
    assert data["$schema"] == "../../schemas/vocabulary.schema.json"
    assert vocabulary().version == data["version"]


def test_a_variant_claimed_by_two_fields_is_a_problem():
    data = _shipped()
    data["header"]["unit"].append("项目名称")
    assert vocabulary_problems(data) == ["header: “项目名称”同时属于 name 和 unit"]


def test_a_schema_violation_is_reported_in_chinese():
    data = copy.deepcopy(_shipped())
    del data["header"]["goal"]
    problems = vocabulary_problems(data)
    assert problems and "goal" in problems[0] and "缺少" in problems[0]


@pytest.mark.parametrize(
    ("printed", "folded"),
    [
        ("成本指标(0-20)分", "成本指标"),
        ("数量指标 (必填硬性指标)", "数量指标"),
        ("产出指标(50分)", "产出指标"),
        ("质量指标（选填）", "质量指标"),
        ("满意度指标(≥**%)", "满意度指标"),
        ("項目名稱", "项目名称"),
        ("★一、项目名称：", "项目名称"),
        ("1.实施单位:", "实施单位"),
        ("项目资金（万元）", "项目资金"),
        ("年 度 目 标", "年度目标"),
    ],
)
def test_bare_drops_notes_scores_marks_and_spacing(printed, folded):
    assert bare(printed) == folded


def test_bare_keeps_what_is_not_a_note():
    assert bare("2021.12") == "2021.12"
    assert bare("接线外包人数≥24") == "接线外包人数≥24"


@pytest.mark.parametrize(
    ("printed", "field"),
    [
        ("项目支出名称", "name"),
        ("项目执行单位", "unit"),
        ("具体实施单位", "unit"),
        ("预算单位", "department"),
        ("申报单位", "department"),
        ("编制单位", "department"),
        ("项目主管部门", "competent_department"),
        ("业务主管部门", "competent_department"),
        ("预算部门", "competent_department"),
        ("本年度绩效目标", "goal"),
        ("年度总体目标", "goal"),
        ("项目年度目标", "goal"),
        ("年度主要目标和成果", "goal"),
        ("中期目标", "other_goal"),
        ("长期目标", "other_goal"),
        ("实施期目标", "other_goal"),
        ("总体目标", "other_goal"),
        ("长期绩效指标", "other_grid"),
        ("项目负责人", "extra"),
        ("无关文字", None),
    ],
)
def test_header_variants(printed, field):
    assert vocabulary().header_field(printed) == field


@pytest.mark.parametrize(
    ("printed", "field"),
    [
        ("当年预期实现值", "value"),
        ("指标值及单位", "value"),
        ("年度指标值", "value"),
        ("目标值", "value"),
        ("计算符号", "sign"),
        ("指标性质", "sign"),
        ("度量单位", "unit"),
        ("计量单位", "unit"),
        ("指标解释", "note"),
        ("绩效标准", "standard"),
        ("分值", "weight"),
        ("权重(%)", "weight"),
        ("指标内容", "level3"),
        ("一级指标", "level1"),
        ("项目名称", None),
    ],
)
def test_grid_column_variants(printed, field):
    assert vocabulary().grid_column(printed) == field


@pytest.mark.parametrize(
    ("printed", "field"),
    [
        ("年度资金总额:", "total"),
        ("当年年度预算", "total"),
        ("年度本级预算金额", "fiscal"),
        ("其中：财政拨款", "fiscal"),
        ("本级财政", "fiscal"),
        ("其他资金", "other"),
        ("上级资金", "extra"),
        ("自有资金", "extra"),
        ("中央资金", "extra"),
        ("区级资金", "extra"),
        ("上年结转", "extra"),
        ("项目名称", None),
    ],
)
def test_fund_variants(printed, field):
    assert vocabulary().fund_field(printed) == field


def test_level_names_of_other_forms_map_onto_the_catalogue_tree():
    c88 = load_catalog("2021")
    assert c88.normalize_level1("效果指标") == "效益指标"
    assert c88.normalize_level1("产出目标") == "产出指标"
    assert c88.normalize_level2("进度指标") == ("产出指标", "时效指标")
    assert c88.normalize_level2("数量目标") == ("产出指标", "数量指标")
    assert c88.normalize_level2("成本指标(0-20)分") == ("产出指标", "成本指标")
    assert c88.normalize_level2("社会公众或服务对象满意度指标") == ("满意度指标", "服务对象满意度指标")
    # a word that is a level-three name in real tables is not promoted to a level name
    assert c88.normalize_level1("服务对象满意度") is None
    assert c88.normalize_level2("绩") is None


def test_form_kinds_from_titles():
    v = vocabulary()
    assert v.form_kind("某某局2022年部门整体支出绩效目标表") == "department_overall"
    assert v.form_kind("2021年度项目支出绩效自评表") == "self_evaluation"
    assert v.form_kind("某某局2023年项目支出绩效目标表") == "target"
    assert v.form_kind("2021年部门预算支出表") is None


def test_no_reader_keeps_its_own_label_table():
    assert not hasattr(labels, "HEADER_LABELS") and not hasattr(labels, "FUND_LABELS")
    import lubudget_xl.model as model

    assert not hasattr(model, "GRID_HEADINGS")


@pytest.mark.parametrize("field", ["name", "unit", "competent_department", "attribute", "period", "goal", "grid"])
def test_both_readers_read_every_header_variant_alike(field):
    for variant in vocabulary().variants("header")[field]:
        assert layout._kind(variant) == ("label", field), variant
        assert labels.header_field(variant) == field, variant


def test_fiscal_and_other_money_is_the_sum_of_its_printed_sources():
    from lubudget_xl.model import Funds, Location

    funds = Funds(total=153.5, extra={"其中:1.中央资金": None, "2.市级资金": 150.0, "3.区级资金": 3.5, "自有资金": 2.0})
    locations = {"funds.2.市级资金": Location("f.xlsx", "S", "C9"), "funds.自有资金": Location("f.xlsx", "S", "C12")}
    vocabulary().complete_funds(funds, locations)
    assert (funds.fiscal, funds.other) == (153.5, 2.0)
    assert locations["funds.fiscal"].cell == "C9" and locations["funds.other"].cell == "C12"
    stated = Funds(total=10, fiscal=8, extra={"上级资金": 5.0})
    vocabulary().complete_funds(stated, {})
    assert stated.fiscal == 8  # a printed 财政拨款 is never replaced by a sum
    assert vocabulary().fund_part("上年结转") is None


def test_every_label_the_template_prints_is_the_vocabulary_s_and_reads_back_to_its_field():
    from lubudget_xl.template import layout as template

    for key, label in template.FIELD_LABELS.items():
        field = key.split(".")[0] if key.startswith("funds.") else key
        kind = layout._kind(label)
        assert kind[0] == "label" and (kind[1] == key or kind[1] == field), (key, label, kind)
    for key, (label, _width) in template.GRID_COLUMNS.items():
        assert vocabulary().grid_column(label) == key and labels.grid_column(label) == key
    assert layout._kind(template.DEPARTMENT_LABEL) == ("label", "department")
    assert layout._kind(template.INDICATORS_LABEL) == ("label", "grid")
    assert vocabulary().header_field(template.FUNDS_LABEL) == "funds"


def test_a_form_without_a_total_row_has_its_fiscal_money_as_total_but_an_empty_total_stays_empty():
    from lubudget_xl.model import Funds, Location

    only_fiscal = Funds(fiscal=250.0)
    where = {"funds.fiscal": Location("f.xlsx", "S", "B5")}
    vocabulary().complete_funds(only_fiscal, where)
    assert only_fiscal.total == 250.0 and where["funds.total"].cell == "B5"
    empty_total = Funds(fiscal=250.0)
    vocabulary().complete_funds(empty_total, {"funds.total": Location("f.xlsx", "S", "D7"), **where})
    assert empty_total.total is None


def test_an_amount_printed_twice_by_extraction_is_read_once():
    from lubudget_xl.values import parse_amount

    assert parse_amount("854万854万(高标准农田建设400万元)") == 854.0
    assert parse_amount("1515") == 1515.0 and parse_amount("5555万") == 5555.0
