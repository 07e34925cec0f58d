"""The reader's locations on real workbooks (tests/fixtures/real/*.xlsx, laid out as published):
every field of every indicator row points at the cell that prints it (issue 17, docs/mutation.md).
A finding's location is what the department clicks on; the grid reader works it out per row,
carrying merged level names down, so a slip there sends the user to the wrong cell."""

from __future__ import annotations

import re
import uuid

import openpyxl
import pytest
from real_corpus import fixtures, norm

from lubudget_xl.catalog import clean_name, load_catalog
from lubudget_xl.loading import load_any
from lubudget_xl.model import Location
from lubudget_xl.reader import UncalculatedFormula, read_sheets
from lubudget_xl.reader.layout import _build_labels, _kind

WORKBOOKS = sorted(p for f in fixtures() if f.is_target for p in f.workbooks if p.suffix == ".xlsx")
CELL = re.compile(r"^([A-Z]+)(\d+)$")
ORIGINAL = {"level1": "一级指标(原文)", "level2": "二级指标(原文)"}


def _shown(sheet, cell: str):
    """What the cell shows: a cell inside a merged range shows the range's top-left value."""
    for merged in sheet.merged_cells.ranges:
        if cell in merged:
            return sheet.cell(merged.min_row, merged.min_col).value
    return sheet[cell].value


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_every_indicator_field_points_at_the_cell_that_prints_it(path):
    book = openpyxl.load_workbook(path, data_only=True)
    (project, *_) = load_any(path).projects
    assert project.indicators
    for ind in project.indicators:
        number = CELL.match(ind.locations["value"].cell).group(2)
        first, last = ind.locations["row"].cell.split(":")
        assert CELL.match(first).group(2) == CELL.match(last).group(2) == number
        for field, where in ind.locations.items():
            assert where.file == str(path) and where.sheet in book.sheetnames, (field, where)
            if field == "row":
                continue
            printed = _shown(book[where.sheet], where.cell)
            read = ind.extra.get(ORIGINAL.get(field, ""), getattr(ind, field))
            if field in ("level1", "level2"):
                assert int(CELL.match(where.cell).group(2)) <= int(number)  # merged names carry down
                # notes in brackets are dropped (预算(或投资规模)控制指标); a grid printing level twos in its
                # 一级指标 column has no level one cell: the row's own cell, holding the level two, stands for it
                names = {norm(clean_name(read)), norm(clean_name(ind.extra.get(ORIGINAL["level2"], ind.level2)))}
                assert norm(clean_name(printed)) in names, (field, where, printed, read)
            elif read:
                assert norm(printed) == norm(read), (field, where, printed, read)


def test_rows_in_the_label_column_are_read_shifted_or_skipped_and_reported_for_the_project():
    grid = [
        ["甲单位2021年项目支出预算绩效目标表"],
        ["填报单位(盖章)", "甲单位"],
        ["项目名称", "丁项目"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值"],
        [None, "产出指标", "数量指标", "培训次数", "≥2次"],
        [],
        ["效益指标", "社会效益指标", "培训覆盖率", "≥95%"],  # pasted one column too far left
        ["另附:培训签到表及培训照片、培训课件等佐证材料", None, "质量指标", None, None],
        [None, "满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"],
    ]
    result = read_sheets("丁.xlsx", {"丁": grid}, load_catalog("2021"), {})
    (p,) = result.projects
    assert [(i.level1, i.level3, i.value) for i in p.indicators] == [
        ("产出指标", "培训次数", "≥2次"), ("效益指标", "培训覆盖率", "≥95%"), ("满意度指标", "学员满意度", "≥90%")
    ]  # fmt: skip
    shifted = p.indicators[1]
    assert {k: v.cell for k, v in shifted.locations.items()} == {
        "row": "A7:D7", "level1": "A7", "level2": "B7", "level3": "C7", "value": "D7"
    }  # fmt: skip
    found = [(i.code, i.location.cell, i.severity.value, i.project, i.message) for i in result.issues
             if i.code.startswith("READ_ROW")]  # fmt: skip
    assert found == [
        ("READ_ROW_SHIFTED", "A7", "warning", "丁项目",
         "此行的指标整体左移了(指标名称写在了“绩效指标”列),已按左移读取,请移回正确的列"),
        ("READ_ROW_SKIPPED", "A8", "warning", "丁项目",
         "绩效指标区域中“另附:培训签到表及培训照片、培训课件等佐”写在了“绩效指标”列,此行未作为指标读取,请把指标移到对应的列"),
    ]  # fmt: skip


def test_the_label_table_holds_the_vocabulary_fund_rows_and_the_end_of_the_table():
    # Built once at import, before a mutation run switches a mutant on: asked again here so that the
    # table's construction itself is tested, against the form vocabulary's wording.
    labels = _build_labels()
    assert {k: labels[k] for k in ("项目名称", "实施单位", "年度目标", "绩效指标", "填报单位", "项目期")} == {
        "项目名称": "name", "实施单位": "unit", "年度目标": "goal", "绩效指标": "grid", "填报单位": "department",
        "项目期": "period",
    }  # fmt: skip
    assert {k: labels[k] for k in ("年度资金总额", "财政拨款", "其中:财政拨款", "其中财政拨款", "其他资金", "其中:其他")} == {
        "年度资金总额": "funds.total", "财政拨款": "funds.fiscal", "其中:财政拨款": "funds.fiscal",
        "其中财政拨款": "funds.fiscal", "其他资金": "funds.other", "其中:其他": "funds.other",
    }  # fmt: skip
    assert "其他" not in labels and "合计" not in labels  # short fund rows are labels inside the 项目资金 block only
    assert labels["长期绩效指标"] == "other_grid" and labels["单位负责人"] == "end" and labels["校验区"] == "check"


@pytest.mark.parametrize(("text", "kind"), [
    ("项目名称", ("label", "name")),
    ("\u3000项目名称", ("label", "name")),
    ("项目名称:丁项目", ("inline", "name", "丁项目")),
    ("实施单位：乙单位", ("inline", "unit", "乙单位")),
    ("填报单位（盖章）：甲单位", ("inline", "department", "甲单位")),
    ("项目名称:", ("label", "name")),
    ("一级指标", ("header", "level1")),
    ("甲单位2021年项目支出预算绩效目标表", ("title", "甲单位", 2021)),
    ("(2021年)", ("title", "", 2021)),
    ("2021年度", ("title", "", 2021)),
    ("部门整体支出绩效目标表", ("other_form", "department_overall")),
    ("实际完成值", ("other_form", "self_evaluation")),
    ("项目支出绩效自评表", ("other_form", "self_evaluation")),
    ("2021年12月底前完成", ()),
    ("丁项目", ()),
])  # fmt: skip
def test_a_cell_text_is_told_apart_as_label_header_title_or_nothing(text, kind):
    # Uncached: index_sheet keeps each text's answer for the batch.
    assert _kind(text) == kind


def test_a_title_never_seen_before_in_the_run_is_recognised():
    # index_sheet keeps each cell text's kind for the whole batch; a text new to the batch must still
    # be worked out (a fresh department name each run, so no earlier reading has seen it).
    department = f"第{uuid.uuid4().hex[:8]}测试局"
    grid = [
        [f"{department}2021年项目支出绩效目标表"],
        ["项目名称", "丁项目"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值"],
        [None, "产出指标", "数量指标", "培训次数", "≥2次"],
    ]
    (p,) = read_sheets("丁.xlsx", {"丁": grid}, load_catalog("2021"), {}).projects
    assert (p.department, p.year, p.name) == (department, 2021, "丁项目")


def test_a_new_level_one_with_a_blank_level_two_and_a_formula_without_a_result():
    grid = [
        ["项目名称", "丁项目"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值"],
        [None, "产出指标", "数量指标", "培训次数", "≥2次"],
        [None, "效益指标", None, "培训覆盖率", UncalculatedFormula("E3*10")],
    ]
    result = read_sheets("丁.xlsx", {"丁": grid}, load_catalog("2021"), {})
    (p,) = result.projects
    second = p.indicators[1]
    assert (second.level1, second.level2) == ("效益指标", "")  # the level two does not carry across level ones
    assert second.locations["level2"] == Location("丁.xlsx", "丁", "C4")
    assert [(i.code, i.location.cell, i.params) for i in result.issues if i.code == "READ_FORMULA_NO_VALUE"] == [
        ("READ_FORMULA_NO_VALUE", "E4", {"field": "本年度指标值", "formula": "E3*10"})
    ]  # fmt: skip


def test_a_second_printed_page_repeating_the_department_inside_the_grid_is_skipped():
    grid = [
        ["填报单位", "甲单位"],
        ["项目名称", "丁项目"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值"],
        [None, "产出指标", "数量指标", "培训次数", "≥2次"],
        ["填报单位", "甲单位"],  # the next printed page repeats the department
        [None, None, "质量指标", "培训合格率", "≥90%"],  # level one carried over the page break
    ]
    result = read_sheets("丁.xlsx", {"丁": grid}, load_catalog("2021"), {})
    (p,) = result.projects
    assert [(i.level1, i.level2, i.level3) for i in p.indicators] == [
        ("产出指标", "数量指标", "培训次数"), ("产出指标", "质量指标", "培训合格率")
    ]  # fmt: skip
    assert [i.code for i in result.issues if i.code.startswith("READ_ROW")] == []
