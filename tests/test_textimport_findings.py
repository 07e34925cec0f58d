"""Never a silent loss, never a false form, on the text side (issue 12, item 4).

- glued rows whose value cannot be told from the name are imported as written and reported;
- a project whose grid heading was found but which gives no indicator row is an error finding;
- spending lists (项目名称 as a column heading), 部门整体 and 自评 tables are refused, saying what they are.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from lubudget_xl.errors import UserError
from lubudget_xl.issues import Severity
from lubudget_xl.textimport import import_text

LAYOUTS = FIXTURES / "text_layouts"


def test_glued_seed_project_reads_what_can_be_cut_and_reports_the_rest():
    """The seed's first project copied from a web page with its cells glued (glued_hotline.txt)."""
    result = import_text(LAYOUTS / "glued_hotline.txt")
    (p,) = result.projects
    assert (p.department, p.year, p.name, p.unit) == ("六安市人民政府办公室", 2021, "市长热线工作经费", "六安市人民政府办公室本级")
    assert p.funds.to_dict() == {"total": 156.0, "fiscal": 156.0, "other": None, "extra": {}}
    assert p.goal.startswith("通过本项目的实施,完成市长热线接听") and p.goal.endswith("的工作目标。")
    got = [[i.locations["row"].line, i.level1, i.level2, i.level3, i.value] for i in p.indicators]
    assert got == [
        # a cut that leaves a clause-like name (ends in 为) is kept but reported as doubtful
        [16, "产出指标", "数量指标", "受理留言件次预计2020年受理量为", "18万件次。"],
        # a name restated at the start of its value: the value keeps it
        [17, "产出指标", "数量指标", "接线外包人数", "接线外包人数≥24"],
        [18, "产出指标", "质量指标", "留言事项办理率", "预算绩效目标值"],
        # no value grammar found: the whole text is the name, the value stays empty (reported)
        [19, "产出指标", "时效指标", "留言办理时间一般性问题5个工作日内答复", ""],
        [20, "产出指标", "成本指标", "项目总成本接线外包费136万元,通信服务费和设备维护费20万,督查督办经费", "4万元。"],
        [21, "效益指标", "社会效益指标", "便民服务水平进一步提高为民服务水平,方便群众和企业办事咨询", ""],
        [22, "效益指标", "可持续影响指标",
         "保障平台运转,处置各类事件保障市政府公共服务热线平台正常运转,确保快速高效处置各类事件。", ""],
        # 服务对象满意度指标 twice: the second is the level-three name, the rest its value
        [23, "满意度指标", "服务对象满意度指标", "服务对象满意度指标", "受理事项群众满意率达92%以上。"],
    ]
    unsplit = [(i.location.line, i.severity) for i in result.issues if i.code == "IMPORT_UNSPLIT_ROW"]
    assert unsplit == [(n, Severity.WARNING) for n in (16, 19, 20, 21, 22)]
    assert {i.code for i in result.issues} == {"IMPORT_UNSPLIT_ROW"}
    doubtful = next(i for i in result.issues if i.location.line == 20)
    assert doubtful.params["level3"].endswith("督查督办经费") and doubtful.params["value"] == "4万元。"


def test_a_grid_heading_without_rows_is_an_error_naming_the_line():
    result = import_text(LAYOUTS / "grid_without_rows.txt")
    first, second = result.projects
    assert len(first.indicators) == 8 and second.indicators == []
    (issue,) = result.issues
    assert (issue.code, issue.severity, issue.location.line, issue.project) == (
        "IMPORT_GRID_EMPTY", Severity.ERROR, 32, "防汛抗旱物资储备"
    )
    assert "第32行" in issue.message and "防汛抗旱物资储备" in issue.message


def test_the_seed_has_no_empty_grid():
    from conftest import SEED

    assert not [i for i in import_text(SEED).issues if i.code == "IMPORT_GRID_EMPTY"]


@pytest.mark.parametrize("name", ["budget_table_spaces.txt", "budget_table_glued.txt"])
def test_a_spending_list_is_refused(name):
    path = LAYOUTS / name
    with pytest.raises(UserError) as err:
        import_text(path)
    message = str(err.value)
    assert message.startswith(f"{path}: 不是项目绩效目标表(第3行的项目名称是表格的列标题")
    assert "“功能科目”" in message


def test_a_spending_list_before_a_form_is_skipped_and_the_form_read():
    result = import_text(LAYOUTS / "budget_then_form.txt")
    (p,) = result.projects
    assert p.name == "农村饮水安全工程维修养护" and len(p.indicators) == 8 and p.funds.total == 120.0
    skipped = {i.location.line: i.params["kind"] for i in result.issues if i.code == "IMPORT_SKIPPED_LINE"}
    assert skipped == {1: "outside_table", 2: "outside_table", 3: "not_target", 4: "not_target",
                       5: "not_target", 6: "not_target", 7: "not_target"}
    assert "项目名称是表格的列标题" in next(i.message for i in result.issues if i.location.line == 3)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("XX县文化和旅游局2023年部门整体支出绩效目标表\n部门名称\tXX县文化和旅游局\n年度总体目标\t保障运转\n"
         "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t开展文化下乡活动\t≥20场\n", "部门整体支出绩效目标表"),
        ("2022年度项目支出绩效自评表\n项目名称\t农村公路养护\n全年预算数\t全年执行数\t执行率\n100\t98\t98%\n"
         "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t得分\n产出指标\t数量指标\t养护里程\t≥50公里\t52公里\t10\n",
         "绩效自评表"),
    ],
)
def test_department_and_self_evaluation_tables_are_refused_saying_what_they_are(tmp_path, text, says):
    path = tmp_path / "表.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as err:
        import_text(path)
    assert str(err.value).startswith(f"{path}: 不是项目绩效目标表:这是{says}")
