"""Workbooks laid out as other provinces print the form: read through the shared vocabulary, and
never a silent loss (a grid that yields nothing is an error; other forms are refused by name)."""

from __future__ import annotations

import openpyxl
import pytest

from lubudget_xl.catalog import load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.reader import read_workbook

C88 = load_catalog("2021")


def _book(tmp_path, rows, name="form.xlsx", title="Sheet1"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value not in (None, ""):
                ws.cell(r, c, value)
    path = tmp_path / name
    wb.save(path)
    return path


HEADER = [
    ["某某县农业农村局2023年项目支出绩效目标表"],
    ["项目支出名称", "农村饮水安全工程"],
    ["项目执行单位", "某某县水利站"],
    ["项目主管部门", "某某县农业农村局"],
    ["项目资金(万元)", "当年年度预算", 120],
    ["", "其中:当年财政拨款", 100],
    ["", "上级资金", 15],
    ["", "自有资金", 5],
    ["本年度绩效目标", "完成3处供水工程改造,保障2万人饮水安全"],
]


def test_two_level_grid_with_expected_value_column(tmp_path):
    rows = HEADER + [
        ["年度绩效指标", "一级指标", "二级指标", "当年预期实现值"],
        ["", "产出指标", "数量指标", None],
        ["", "", "改造供水工程数量", "3处"],
        ["", "", "质量指标", None],
        ["", "", "工程验收合格率", "≥95%"],
        ["", "效益指标", "社会效益指标", None],
        ["", "", "受益人口", "≥2万人"],
    ]
    result = read_workbook(_book(tmp_path, rows), C88)
    (p,) = result.projects
    assert (p.name, p.unit, p.competent_department) == ("农村饮水安全工程", "某某县水利站", "某某县农业农村局")
    assert (p.year, p.department) == (2023, "某某县农业农村局")
    assert (p.funds.total, p.funds.fiscal, p.funds.extra) == (120, 100, {"上级资金": 15, "自有资金": 5})
    assert p.goal == "完成3处供水工程改造,保障2万人饮水安全"
    assert [(i.level1, i.level2, i.level3, i.value) for i in p.indicators] == [
        ("产出指标", "数量指标", "改造供水工程数量", "3处"),
        ("产出指标", "质量指标", "工程验收合格率", "≥95%"),
        ("效益指标", "社会效益指标", "受益人口", "≥2万人"),
    ]
    assert p.indicators[1].locations["level3"].cell == "C14"
    assert not [i for i in result.issues if i.severity.value == "error"]


def test_level_one_repeated_on_every_row_keeps_its_level_two(tmp_path):
    rows = HEADER + [
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "改造数量", "3处"],
        ["", "产出指标", "", "新建管网", "≥12公里"],
        ["", "产出指标", "时效指标", "完工时间", "2023年12月底前"],
        ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"],
    ]
    (p,) = read_workbook(_book(tmp_path, rows), C88).projects
    assert [(i.level1, i.level2, i.level3) for i in p.indicators] == [
        ("产出指标", "数量指标", "改造数量"),
        ("产出指标", "数量指标", "新建管网"),
        ("产出指标", "时效指标", "完工时间"),
        ("满意度指标", "服务对象满意度指标", "群众满意度"),
    ]


def test_scored_and_regional_level_names_map_onto_the_tree_with_the_print_kept(tmp_path):
    rows = HEADER + [
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "分值"],
        ["", "产出指标(50分)", "数量指标 (必填硬性指标)", "改造数量", "3处", 20],
        ["", "", "成本指标(0-20)分", "工程成本", "≤120万元", 10],
        ["", "效果指标", "进度指标", "完工时间", "2023年底前", 10],
    ]
    (p,) = read_workbook(_book(tmp_path, rows), C88).projects
    assert [(i.level1, i.level2) for i in p.indicators] == [
        ("产出指标", "数量指标"), ("产出指标", "成本指标"), ("效益指标", "时效指标"),
    ]
    assert p.indicators[0].extra == {"分值": "20"}  # notes and scores are not renamings
    assert p.indicators[2].extra == {"一级指标(原文)": "效果指标", "二级指标(原文)": "进度指标", "分值": "10"}


def test_long_term_grid_before_the_annual_one_is_kept_in_extra(tmp_path):
    rows = HEADER + [
        ["长期绩效指标", "一级指标", "二级指标", "指标内容", "指标值"],
        ["", "产出指标", "数量指标", "三年改造数量", "9处"],
        ["年度绩效指标", "一级指标", "二级指标", "指标内容", "指标值"],
        ["", "产出指标", "数量指标", "改造数量", "3处"],
        ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"],
    ]
    (p,) = read_workbook(_book(tmp_path, rows), C88).projects
    assert [i.level3 for i in p.indicators] == ["改造数量", "群众满意度"]
    assert p.extra["长期绩效指标"] == "产出指标|数量指标|三年改造数量|9处"
    assert p.locations["extra.长期绩效指标"].cell == "B10"


def test_a_grid_that_yields_no_row_is_an_error_naming_the_cell(tmp_path):
    rows = HEADER + [
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        [],
        ["", "", "", "", "", "", "改造数量 3处"],  # typed far right of the grid: nothing under the headings
    ]
    result = read_workbook(_book(tmp_path, rows), C88)
    (p,) = result.projects
    assert p.indicators == []
    (empty,) = [i for i in result.issues if i.code == "READ_GRID_EMPTY"]
    assert empty.severity.value == "error" and empty.location.cell == "B10" and empty.project == "农村饮水安全工程"


@pytest.mark.parametrize(
    ("title", "columns", "said"),
    [
        ("某某局2022年部门整体支出绩效目标表", ["一级指标", "二级指标", "三级指标", "指标值"], "部门整体支出绩效目标表"),
        ("2021年度项目支出绩效自评表", ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
         "绩效自评表"),
        ("", ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"], "绩效自评表"),
    ],
)
def test_other_forms_are_refused_saying_what_they_are(tmp_path, title, columns, said):
    rows = [[title], ["项目名称", "农村饮水安全工程"], ["实施单位", "某某县水利站"], ["", *columns],
            ["", "产出指标", "数量指标", "改造数量", "3处", "3处"]]
    with pytest.raises(UserError) as err:
        read_workbook(_book(tmp_path, rows), C88)
    assert said in str(err.value) and "form.xlsx" in str(err.value) and "不是项目支出绩效目标表" in str(err.value)


def test_a_target_sheet_beside_a_self_evaluation_sheet_is_read_and_the_other_named(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate(HEADER + [["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
                                      ["", "产出指标", "数量指标", "改造数量", "3处"]], start=1):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    other = wb.create_sheet("自评")
    other.append(["2022年度项目支出绩效自评表"])
    other.append(["项目名称", "农村饮水安全工程"])
    path = tmp_path / "both.xlsx"
    wb.save(path)
    result = read_workbook(path, C88)
    assert [p.name for p in result.projects] == ["农村饮水安全工程"]
    (warned,) = [i for i in result.issues if i.code == "READ_OTHER_FORM"]
    assert warned.location.sheet == "自评" and "绩效自评表" in warned.message


def test_a_spending_table_headed_by_project_name_is_not_a_form(tmp_path):
    rows = [["2023年部门预算项目支出表"], ["序号", "项目名称", "功能科目", "金额", "备注"],
            [1, "农村饮水安全工程", "2130301", 120, ""], [2, "河道整治", "2130305", 80, ""]]
    with pytest.raises(UserError) as err:
        read_workbook(_book(tmp_path, rows), C88)
    assert "不是绩效目标表" in str(err.value)


def test_without_catalogue_the_101_content_chooses_the_101_tree(tmp_path):
    rows = HEADER + [
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "改造数量", "3处"],
        ["", "成本指标", "经济成本指标", "工程成本", "≤120万元"],
    ]
    result = read_workbook(_book(tmp_path, rows))
    (p,) = result.projects
    assert [(i.level1, i.level2) for i in p.indicators] == [("产出指标", "数量指标"), ("成本指标", "经济成本指标")]
    (chosen,) = [i for i in result.issues if i.code == "READ_CATALOG_CHOSEN"]
    assert "2022-101" in chosen.message


def test_sources_without_a_fiscal_row_add_up_and_the_applicant_carries_out(tmp_path):
    rows = [
        ["项目绩效目标表"], ["(2022年度)"],
        ["申报单位", "区林业局", "", "项目(专项)名称", "古昌镇绿化美化项目"],
        ["项目属性", "延续"],
        ["项目负责人", "胡正君", "", "联系电话", "13900000000"],
        ["资金情况(万元)", "年度资金总额:", "", 153.5],
        ["", "其中:1.中央资金", "", None],
        ["", "2.市级资金", "", 150],
        ["", "3.区级资金", "", 3.5],
        ["", "4.其他资金", "", None],
        ["项目年度目标", "绿化美化3500米公路沿线"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "计量单位", "指标性质", "指标值"],
        ["", "产出指标", "数量指标", "绿化美化公路", "米", "=", 3500],
    ]
    result = read_workbook(_book(tmp_path, rows), C88)
    (p,) = result.projects
    assert (p.name, p.department, p.unit, p.year) == ("古昌镇绿化美化项目", "区林业局", "区林业局", 2022)
    assert (p.funds.total, p.funds.fiscal, p.funds.other) == (153.5, 153.5, None)
    assert p.locations["funds.fiscal"].cell == "D8"
    assert p.extra == {"项目负责人": "胡正君", "联系电话": "13900000000"}  # nothing printed is thrown away
    assert p.locations["extra.联系电话"].cell == "E5"
    (i,) = p.indicators
    assert (i.level3, i.value, i.sign, i.unit) == ("绿化美化公路", "3500", "=", "米")


_SATISFACTION_UNDER_BENEFIT = [
    ("merged", ["\t效益指标\t社会效益指标\t知晓率\t≥90%", "\t\t满意度指标\t群众满意度\t≥90%"]),
    ("stated", ["\t效益指标\t满意度指标\t群众满意度\t≥90%"]),
]


@pytest.mark.parametrize(("shape", "grid"), _SATISFACTION_UNDER_BENEFIT, ids=[s for s, _ in _SATISFACTION_UNDER_BENEFIT])
def test_text_and_workbook_read_satisfaction_under_benefit_alike(tmp_path, shape, grid):
    from lubudget_xl.textimport import import_text

    lines = ["某某局2022年项目支出绩效目标表", "项目名称\t测试项目", "实施单位\t某某局", "年度目标\t完成测试",
             "绩效指标\t一级指标\t二级指标\t三级指标\t本年度指标值", "\t产出指标\t数量指标\t培训人数\t≥100人", *grid]
    text = tmp_path / "form.txt"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = _book(tmp_path, [line.split("\t") for line in lines])
    read = [[(i.level1, i.level2, i.level3, i.value) for i in r.projects[0].indicators]
            for r in (import_text(text, C88), read_workbook(book, C88))]
    assert read[0] == read[1]
    assert read[0][-1] == ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%")
