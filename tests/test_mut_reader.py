"""The reader's locations on real workbooks (tests/fixtures/real/*.xlsx, laid out as published):
every field of every indicator row points at the cell that prints it (issue 17, docs/mutation.md).
A finding's location is what the department clicks on; the grid reader works it out per row,
carrying merged level names down, so a slip there sends the user to the wrong cell."""

from __future__ import annotations

import re

import openpyxl
import pytest
from real_corpus import fixtures, norm

from lubudget_xl.catalog import clean_name, load_catalog
from lubudget_xl.loading import load_any
from lubudget_xl.reader import read_sheets

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
