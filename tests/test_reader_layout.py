"""The reader on real .xlsx files in the official layout, deformed the ways users deform it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from reader_forms import PROJECT, Shape, write_form

from lubudget_xl.catalog import load_catalog
from lubudget_xl.loading import load_any
from lubudget_xl.reader import read_sheets, read_workbook

SHAPES = {
    "官方表式": Shape(),
    "整体右下移": Shape(row0=5, col0=3),
    "插入空行": Shape(blank_rows=("title", "unit", "funds", "goal", "grid:1", "grid:4")),
    "不合并单元格": Shape(merge_levels=False),
    "文本数字全角": Shape(numbers_as_text=True, fullwidth=True),
    "尾随空格": Shape(trailing_spaces=True, numbers_as_text=True),
    "目标在右侧": Shape(goal_below=False, department_cell=True),
    "附加行": Shape(extra_fund=("上年结转", 12.5), extra_header=("项目来源", "延续项目"), competent="六安市政府"),
    "带校验区": Shape(check_area=True, goal_below=False),
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog("2021")


@pytest.fixture(scope="module")
def shaped(tmp_path_factory, catalog):
    """One workbook, one sheet per shape (plus a list sheet and a copied sheet), read once."""
    path = tmp_path_factory.mktemp("reader") / "shapes.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    written = {}
    for name, shape in SHAPES.items():
        written[name] = write_form(wb.create_sheet(name), PROJECT, shape)
    lists = wb.create_sheet("下拉列表")
    for i, value in enumerate(["产出指标", "效益指标", "满意度指标", "经常性项目"], start=1):
        lists.cell(i, 1, value)
    lists.sheet_state = "hidden"
    copy = wb.copy_worksheet(wb["官方表式"])
    copy.title = "官方表式 (2)"
    wb.save(path)
    return path, written, read_workbook(path, catalog)


def _project(result, sheet):
    found = [p for p in result.projects if p.locations["name"].sheet == sheet]
    assert len(found) == 1, sheet
    return found[0]


@pytest.mark.parametrize("sheet", list(SHAPES))
def test_every_field_and_location(shaped, sheet):
    path, written, result = shaped
    shape, cells = SHAPES[sheet], written[sheet].cells
    p = _project(result, sheet)
    assert (p.department, p.year, p.name, p.unit, p.attribute) == (
        PROJECT["department"], 2021, PROJECT["name"], PROJECT["unit"], PROJECT["attribute"]
    )
    assert (p.funds.total, p.funds.fiscal, p.funds.other) == PROJECT["funds"]
    assert p.goal == PROJECT["goal"]
    assert p.competent_department == shape.competent
    assert p.funds.extra == ({shape.extra_fund[0]: shape.extra_fund[1]} if shape.extra_fund else {})
    assert p.extra == ({shape.extra_header[0]: shape.extra_header[1]} if shape.extra_header else {})
    assert p.source_file == str(path)
    for key in ("department", "year", "name", "unit", "attribute", "funds.total", "funds.fiscal", "funds.other",
                "goal"):
        loc = p.locations[key]
        assert (loc.file, loc.sheet, loc.cell) == (str(path), sheet, cells[key]), key
    if shape.competent:
        assert p.locations["competent_department"].cell == cells["competent_department"]
    if shape.extra_fund:
        assert p.locations[f"funds.{shape.extra_fund[0]}"].cell == cells["extra"]
    if shape.extra_header:
        assert p.locations[f"extra.{shape.extra_header[0]}"].cell == cells["extra_header"]
    assert [(i.level1, i.level2, i.level3, i.value) for i in p.indicators] == PROJECT["indicators"]
    for ind, where in zip(p.indicators, written[sheet].rows, strict=True):
        assert {k: ind.locations[k].cell for k in where} == where
        assert ind.parsed.raw == ind.value
        assert (ind.sign, ind.unit, ind.note) == (None, None, None)


def test_values_are_parsed(shaped):
    p = _project(shaped[2], "官方表式")
    by_name = {i.level3: i.parsed for i in p.indicators}
    assert by_name["接线外包人数"].kind == "quantitative"
    assert (by_name["接线外包人数"].sign, by_name["接线外包人数"].number) == ("≥", 24.0)
    assert by_name["便民服务水平"].kind == "qualitative"


def test_copied_and_list_sheets(shaped):
    _, _, result = shaped
    sheets = [p.locations["name"].sheet for p in result.projects]
    assert sheets == [*SHAPES, "官方表式 (2)"]  # workbook order; the list sheet is no project
    assert _project(result, "官方表式 (2)").name == PROJECT["name"]
    assert result.rows_read == len(PROJECT["indicators"]) * (len(SHAPES) + 1)
    assert {i.code for i in result.issues} == {"READ_NO_TEMPLATE_ID"}


def test_check_area_is_ignored(shaped):
    p = _project(shaped[2], "带校验区")
    # the check area repeats 项目名称/年度资金总额 labels with formulas; none of them was read
    assert all(loc.cell[0] < "H" for loc in p.locations.values())


def test_load_any_dispatches_workbooks(shaped, catalog):
    path, _, result = shaped
    again = load_any(path, catalog)
    assert [p.to_dict() for p in again.projects] == [p.to_dict() for p in result.projects]


def test_read_sheets_on_plain_grids(catalog):
    """The Excel bridge feeds live sheets as lists of rows: no merges, no file."""
    grid = [
        ["某单位2022年项目支出预算绩效目标表"],
        ["填报单位(盖章):", "某单位"],
        ["项目名称", "甲项目"],
        ["实施单位", "某单位本级"],
        ["项目属性", "一次性项目"],
        ["项目资金(万元)", "年度资金总额", 10],
        [None, "其中:财政拨款", "8"],
        [None, "其他资金", 2.0],
        ["年度目标", "完成甲项目"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值", "指标值符号", "计量单位", "指标值说明"],
        [None, "产出", "数量", "培训人数", 50, "≥", "人", " 按签到表统计 "],
        [None, None, None, "培训合格率", "95", "≥", "%"],
        [None, "满意度指标", "满意度指标", "学员满意度", 90, "≥", "%"],
    ]
    result = read_sheets("live.xlsm", {"甲": grid}, catalog, {})
    (p,) = result.projects
    # without a catalogue, the built-in one of the title's year normalises the same names
    (again,) = read_sheets("live.xlsm", {"甲": grid}, None, {}).projects
    assert [(i.level1, i.level2) for i in again.indicators] == [(i.level1, i.level2) for i in p.indicators]
    assert (p.department, p.year, p.name, p.attribute, p.goal) == ("某单位", 2022, "甲项目", "一次性项目", "完成甲项目")
    assert (p.funds.total, p.funds.fiscal, p.funds.other) == (10.0, 8.0, 2.0)
    assert p.locations["department"].cell == "B2" and p.locations["funds.fiscal"].cell == "C7"
    assert [(i.level1, i.level2, i.level3, i.value, i.sign, i.unit) for i in p.indicators] == [
        ("产出指标", "数量指标", "培训人数", "50", "≥", "人"),
        ("产出指标", "数量指标", "培训合格率", "95", "≥", "%"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "90", "≥", "%"),
    ]
    assert p.indicators[1].locations["level1"].cell == "B11"
    assert p.indicators[1].locations["sign"].cell == "F12"
    assert p.indicators[0].parsed.number == 50.0 and p.indicators[0].parsed.unit == "人"
    assert [i.note for i in p.indicators] == ["按签到表统计", None, None]
    assert p.indicators[0].locations["note"].cell == "H11"


def test_seed_pasted_into_one_sheet(seed_path, tmp_path, catalog):
    """The seed's ten tables pasted cell by cell into one sheet: ten projects, in order."""
    wb = openpyxl.Workbook()
    ws = wb.active
    text = seed_path.read_text(encoding="utf-8")
    for r, line in enumerate(text.splitlines(), start=1):
        for c, value in enumerate(line.split("\t"), start=1):
            if value:
                ws.cell(r, c, value)
    path = tmp_path / "seed.xlsx"
    wb.save(path)
    result = read_workbook(path, catalog)
    assert len(result.projects) == 10
    assert [p.funds.total for p in result.projects][:3] == [156.0, 72.3, 180.0]
    assert {p.department for p in result.projects} == {"六安市人民政府办公室"}
    assert result.projects[0].indicators[1].value == "接线外包人数≥24"
    # the tables continued on a second printed page are joined to their first page
    names = [p.name for p in result.projects]
    assert len(set(names)) == 10
    assert result.rows_read >= 110
    assert Path(result.file) == path
    # PDF extraction shifted some rows left; they are read shifted and reported, nothing is lost silently
    assert {i.code for i in result.issues} == {"READ_NO_TEMPLATE_ID", "READ_ROW_SHIFTED", "READ_ROW_SKIPPED"}
    skipped = [i for i in result.issues if i.code == "READ_ROW_SKIPPED"]
    assert [i.severity for i in skipped] == ["warning"] and "印刷《政府公报》期数" in skipped[0].message


def test_department_mismatch_and_signature_line(catalog):
    grid = [
        ["甲单位2021年项目支出预算绩效目标表"],
        ["填报单位(盖章)", "乙单位"],
        ["项目名称", "丁项目"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值"],
        [None, "产出指标", "数量指标", "培训次数", "≥2次"],
        [None, None, None, None, None],
        ["填表人:张三", None, None, None, None],
    ]
    result = read_sheets("丁.xlsx", {"丁": grid}, catalog, {})
    (p,) = result.projects
    assert p.department == "乙单位" and p.locations["department"].cell == "B2"
    assert len(p.indicators) == 1
    found = {(i.code, i.location.cell, i.severity.value) for i in result.issues if i.code != "READ_NO_TEMPLATE_ID"}
    assert found == {("READ_DEPARTMENT_MISMATCH", "B2", "warning"), ("READ_ROW_SKIPPED", "A7", "info")}


def test_side_by_side_midterm_and_annual_funds(catalog):
    """Forms with 项目期 (Anhui 2025) put 中期资金 beside 年度资金: the year's column is the funds,
    the other column is kept as extras named as the text importer names them."""
    grid = [
        ["某单位2025年项目支出预算绩效目标表"],
        ["项目名称", "乙项目"],
        ["主管部门及代码", "[301001]某局", None, "实施单位", "某局本级"],
        ["项目属性", "经常性项目", None, "项目期", "3年"],
        ["项目资金(万元)", "中期资金总额:", "216.9", "年度资金总额:", 72.3],
        [None, "其中:财政拨款", 210, "其中:财政拨款", "72.3"],
        [None, "其他资金", 6.9, "其他资金", None],
        ["年度目标", "完成乙项目"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值"],
        [None, "产出指标", "数量指标", "运维系统数", "4个"],
    ]
    (p,) = read_sheets("2025.xlsx", {"乙": grid}, catalog, {}).projects
    assert (p.competent_department, p.unit, p.attribute, p.period) == ("[301001]某局", "某局本级", "经常性项目", "3年")
    assert p.funds.to_dict() == {
        "total": 72.3, "fiscal": 72.3, "other": None,
        "extra": {"中期资金总额": 216.9, "中期资金.财政拨款": 210.0, "中期资金.其他资金": 6.9},
    }
    cells = {k: v.cell for k, v in p.locations.items() if k.startswith("funds.")}
    assert cells == {"funds.total": "E5", "funds.fiscal": "E6", "funds.other": "E7", "funds.中期资金总额": "C5",
                     "funds.中期资金.财政拨款": "C6", "funds.中期资金.其他资金": "C7"}
    assert p.locations["unit"].cell == "E3" and p.locations["period"].cell == "E4"


def test_text_in_a_fund_value_cell_is_no_label(catalog):
    grid = [
        ["项目名称", "丙项目"],
        ["项目资金(万元)", "年度资金总额", None, 10],
        [None, "其中:财政拨款", None, 10],
        [None, "其他资金", None, "无"],
    ]
    result = read_sheets("丙.xlsx", {"丙": grid}, catalog, {})
    (p,) = result.projects
    assert (p.funds.total, p.funds.other, p.funds.extra) == (10.0, None, {})
    assert [(i.code, i.location.cell) for i in result.issues if i.code.startswith("READ_FUNDS")] == [
        ("READ_FUNDS_NOT_NUMBER", "D4")
    ]


def test_wording_variants_of_title_and_grid_header(catalog):
    grid = [
        ["某局 2022 年度部门项目绩效目标申报表"],
        ["项目名称", "戊项目"],
        ["一级指标", "二级指标", "三级指标", "运算符号", "本年度目标值", "度量单位", "备注"],
        ["产出指标", "质量指标", "验收合格率", "＝", 100, "%", "按验收报告"],
    ]
    (p,) = read_sheets("戊.xlsx", {"戊": grid}, catalog, {}).projects
    assert (p.department, p.year) == ("某局", 2022)
    (ind,) = p.indicators
    assert (ind.sign, ind.value, ind.unit, ind.note) == ("＝", "100", "%", "按验收报告")


def test_grid_headings_of_other_provinces_read_as_in_published_text(catalog):
    """One table of grid headings serves the reader and the text importer: 指标内容, 指标性质,
    单位 and a heading with a bracketed note read the same from a workbook as from text."""
    grid = [
        ["某局2022年项目支出绩效目标表"],
        ["项目名称", "己项目"],
        ["一级指标", "二级指标", "指标内容", "指标性质", "预期指标值(包含数字及文字描述)", "单位"],
        ["产出指标", "数量指标", "培训人次", "≥", 300, "人次"],
    ]
    (p,) = read_sheets("己.xlsx", {"己": grid}, catalog, {}).projects
    (ind,) = p.indicators
    assert (ind.level3, ind.sign, ind.value, ind.unit) == ("培训人次", "≥", "300", "人次")
    assert ind.locations["value"].cell == "E4" and ind.parsed.number == 300
