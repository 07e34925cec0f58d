"""Variants of published tables (fixtures cut from the seed's projects): separators, encodings,
sign/unit columns, extra header and fund rows, the 101号 tree, wrapped lines, unusable input."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from lubudget_xl.catalog import builtin_names, load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.textimport import import_text
from lubudget_xl.textimport.cells import split_text
from lubudget_xl.textimport.decoding import read_text
from lubudget_xl.textimport.importer import TextImporter

TEXT = FIXTURES / "text"
EXPECTED = json.loads((FIXTURES / "seed_expected.json").read_text(encoding="utf-8"))


def rows_of(project, with_line=True):
    return [
        ([i.locations["row"].line] if with_line else []) + [i.level1, i.level2, i.level3, i.value]
        for i in project.indicators
    ]


def accounting(path, catalog=None):
    """line → used/structural/skipped for every line of `path`, and the number of lines."""
    text, _ = read_text(path)
    rows, mode = split_text(text, csv_file=path.suffix == ".csv")
    outcome = TextImporter(str(path), catalog or load_catalog("2021"), mode).run(rows)
    return outcome.lines, len(rows)


ALL = sorted(p.name for p in TEXT.iterdir())


@pytest.mark.parametrize("name", ALL)
def test_every_line_used_or_reported(name):
    catalog = load_catalog(FIXTURES / "catalog_101_test.json") if "101" in name else None
    lines, count = accounting(TEXT / name, catalog)
    assert sorted(lines) == list(range(1, count + 1))
    result = import_text(TEXT / name, catalog)
    skipped = sorted(i.location.line for i in result.issues if i.code == "IMPORT_SKIPPED_LINE")
    assert skipped == sorted(n for n, s in lines.items() if s == "skipped")
    for issue in result.issues:
        assert issue.location.file == str(TEXT / name) and issue.location.line in lines
        assert issue.code != "IMPORT_SKIPPED_LINE" or issue.params["text"]


@pytest.mark.parametrize("name", ["gbk_two_projects.txt", "bom_two_projects.txt", "crlf_two_projects.txt"])
def test_encodings_and_line_ends_give_the_seed(name):
    raw = (TEXT / name).read_bytes()
    assert (b"\r\n" in raw) == (name != "bom_two_projects.txt")
    result = import_text(TEXT / name)
    assert [p.name for p in result.projects] == [p["name"] for p in EXPECTED["projects"][:2]]
    for got, want in zip(result.projects, EXPECTED["projects"][:2], strict=True):
        assert rows_of(got) == want["indicators"]
        assert got.funds.total == want["funds"]["total"] and got.unit == want["unit"]
        assert got.department == "六安市人民政府办公室" and got.year == 2021
        assert "\r" not in json.dumps(got.to_dict(), ensure_ascii=False)
    assert result.issues == []


def test_gbk_is_really_gbk():
    raw = (TEXT / "gbk_two_projects.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert read_text(TEXT / "gbk_two_projects.txt")[1] == "gb18030"
    assert read_text(TEXT / "bom_two_projects.txt")[1] == "utf-8-sig"


def test_pipe_separated_with_continuation_page_and_page_numbers():
    result = import_text(TEXT / "pipe_emergency.txt")
    (project,) = result.projects
    want = EXPECTED["projects"][3]
    assert project.name == want["name"] and project.funds.total == 46.0 and project.funds.fiscal == 46.0
    assert rows_of(project, with_line=False) == [row[1:] for row in want["indicators"]]
    assert project.goal.startswith(want["goal_start"]) and project.goal.endswith(want["goal_end"])
    pages = [(i.location.line, i.params["kind"]) for i in result.issues]
    assert pages == [(26, "page_number"), (40, "page_number")]


def test_space_separated_layout_text():
    result = import_text(TEXT / "spaces_hotline.txt")
    (project,) = result.projects
    assert rows_of(project) == EXPECTED["projects"][0]["indicators"]
    assert project.funds.to_dict() == {"total": 156.0, "fiscal": 156.0, "other": None, "extra": {}}
    assert project.locations["goal"].line == 16 and "<p>" not in project.goal


def test_sign_unit_and_note_columns():
    result = import_text(TEXT / "sign_unit_columns.txt")
    first, second = result.projects
    got = [(i.level1, i.level2, i.level3, i.sign, i.value, i.unit, i.note) for i in first.indicators]
    assert got == [
        ("产出指标", "数量指标", "测评18项营商环境指标", "≥", "2", "次", None),
        ("产出指标", "数量指标", "召开“四送一服”培训工作人员人数", "≥", "1000", "人", None),
        ("产出指标", "数量指标", "召开“四最营商”“四送一服”动员会", "≥", "3", "次", "原文:不少于三次"),
        ("产出指标", "质量指标", "“四最”营商环境和“四送一服”测评", "定性", "评测结果达到预期目标", None, None),
        ("产出指标", "时效指标", "业务实施期限", "≤", "12", "个月", None),
        ("产出指标", "成本指标", "项目总成本", "≤", "180", "万元", None),
        ("效益指标", "社会效益指标", "优化投资环境,带动了就业增长影响或提升", "≥", "90", "%", None),
        ("效益指标", "可持续影响指标", "改善城市营商环境", "定性", "明显改善", None, None),
        ("满意度指标", "服务对象满意度指标", "企业满意度", "≥", "98", "%", None),
    ]
    # the sign and unit columns reach the values parser
    cost = first.indicators[5]
    assert (cost.parsed.sign, cost.parsed.number, cost.parsed.unit) == ("≤", 180.0, "万元")
    assert {k: v.line for k, v in cost.locations.items()} == {
        "row": 21, "level1": 16, "level2": 21, "level3": 21, "value": 21, "sign": 21, "unit": 21
    }
    assert first.indicators[2].locations["note"].line == 18
    # second table: 指标性质 / 目标值 / 度量单位, and a level-three name pushed to column 0
    got = [(i.level2, i.level3, i.sign, i.value, i.unit) for i in second.indicators]
    assert got == [
        ("数量指标", "市长调研次数", "＝", "45", "次"),
        ("数量指标", "编制《政府工作报告》", "＝", "2", "轮次"),
        ("成本指标", "项目总成本", "≤", "43", "万元"),
        ("服务对象满意度指标", "服务对象满意度", "≥", "100", "%"),
    ]
    assert second.goal == "通过本项目的实施,为市委市政府的各项政策决策提供科学依据。"
    assert second.locations["goal"].line == 38
    assert result.issues == []


def test_space_separated_sign_and_unit_columns_are_assigned_by_order():
    """Runs of spaces lose empty cells, so columns cannot be aligned: signs and units are recognised."""
    (p,) = import_text(TEXT / "spaces_sign_unit.txt").projects
    got = [(i.level2, i.level3, i.sign, i.value, i.unit, i.note) for i in p.indicators]
    assert got[2] == ("数量指标", "召开“四最营商”“四送一服”动员会", "≥", "3", "次", "原文:不少于三次")
    assert got[3] == ("质量指标", "“四最”营商环境和“四送一服”测评", "定性", "评测结果达到预期目标", None, None)
    assert got[5] == ("成本指标", "项目总成本", "≤", "180", "万元", None)
    assert got[7] == ("可持续影响指标", "改善城市营商环境", "定性", "明显改善", None, None)
    assert len(got) == 9


def test_extra_header_and_fund_rows():
    result = import_text(TEXT / "extra_header_funds.txt")
    (p,) = result.projects
    assert (p.department, p.year) == ("六安市人民政府办公室", 2025)
    assert p.competent_department == "[301001]六安市人民政府办公室"
    assert p.unit == "六安市人民政府办公室本级" and p.attribute == "经常性项目"
    assert p.period == "2025年1月-2025年12月"
    assert p.extra == {"项目来源": "部门日常工作", "中期资金": "150.3"}
    assert p.funds.to_dict() == {
        "total": 50.1, "fiscal": 30.1, "other": 12.0,
        "extra": {"中央": 5.0, "市级": 20.1, "区级": 5.0, "上年结转": 8.0},
    }
    lines = {k: v.line for k, v in p.locations.items()}
    assert lines == {
        "department": 1, "year": 1, "name": 7, "competent_department": 7, "unit": 8, "attribute": 9,
        "period": 9, "extra.项目来源": 10, "extra.中期资金": 11, "funds.total": 12, "funds.fiscal": 13,
        "funds.中央": 14, "funds.市级": 15, "funds.区级": 16, "funds.上年结转": 17, "funds.other": 18, "goal": 20,
    }
    assert p.goal == "通过本项目的实施,完成全年[六政]、[六政秘]、政务快讯、通报、简报等印刷工作,实现进一步减少一部分小型推进会议的目标。"
    assert rows_of(p, with_line=False)[-3:] == [
        ["效益指标", "社会效益指标", "降低小型推进会频率", "本项目不适用此指标"],
        ["效益指标", "经济效益指标", "无", "无"],
        ["满意度指标", "服务对象满意度指标", "服务对象满意度", "95%以上"],
    ]
    assert result.issues == []


def test_cost_as_level_one_under_a_101_catalogue():
    catalog = load_catalog(FIXTURES / "catalog_101_test.json")
    (p,) = import_text(TEXT / "cost_level_one_101.txt", catalog).projects
    assert rows_of(p) == [
        [15, "产出指标", "数量指标", "接线外包人数", "接线外包人数≥24"],
        [16, "产出指标", "质量指标", "留言事项办理率", "≥95%"],
        [17, "产出指标", "时效指标", "留言办理时间", "一般性问题5个工作日内答复"],
        [18, "成本指标", "经济成本指标", "接线外包费", "≤136万元"],
        [19, "成本指标", "经济成本指标", "通信服务费和设备维护费", "≤20万元"],
        [20, "成本指标", "社会成本指标", "对社会发展可能造成的负面影响", "无"],
        [21, "效益指标", "社会效益指标", "便民服务水平", "进一步提高为民服务水平"],
        # 满意度指标 twice: the level one, then the level two's alias
        [22, "满意度指标", "服务对象满意度指标", "受理事项群众满意率", "≥92%"],
    ]
    assert p.indicators[4].locations["level1"].line == 18


@pytest.mark.skipif("2022-101" not in builtin_names(), reason="built-in 101号 catalogue not present")
def test_cost_as_level_one_under_the_builtin_101_catalogue():
    (p,) = import_text(TEXT / "cost_level_one_101.txt", load_catalog("2022-101")).projects
    assert [(i.level1, i.level2) for i in p.indicators][3:6] == [
        ("成本指标", "经济成本指标"), ("成本指标", "经济成本指标"), ("成本指标", "社会成本指标")
    ]


def test_the_88_catalogue_reads_the_same_cost_row_as_level_two():
    (p,) = import_text(TEXT / "cost_level_one_101.txt", load_catalog("2021")).projects
    assert (p.indicators[3].level1, p.indicators[3].level2) == ("产出指标", "成本指标")


def test_without_catalogue_the_content_chooses_the_101_tree_and_says_so():
    result = import_text(TEXT / "cost_level_one_101.txt")
    (p,) = result.projects
    assert [(i.level1, i.level2) for i in p.indicators][3:6] == [
        ("成本指标", "经济成本指标"), ("成本指标", "经济成本指标"), ("成本指标", "社会成本指标")
    ]
    chosen = [i for i in result.issues if i.code == "IMPORT_CATALOG_CHOSEN"]
    assert len(chosen) == 1 and "2022-101" in chosen[0].message and chosen[0].severity.value == "info"


def test_wrapped_lines_page_numbers_and_stray_text():
    result = import_text(TEXT / "wrapped_values.txt")
    (p,) = result.projects
    assert rows_of(p) == [
        [17, "产出指标", "数量指标", "政府常务会次数", "24次"],
        [18, "产出指标", "数量指标", "县区政务信息调度会、培训会次数", "2次"],
        [20, "产出指标", "时效指标", "项目实施期限", "2021年实施完毕"],
        [21, "产出指标", "成本指标", "项目总成本", "30万元"],
        [22, "效益指标", "社会效益指标", "促进政策措施落实",
         "通过相关会议的推进和协调调度,协助市政府对全市经济、社会、民生等工作部署,促进各项政策落实"],
        # level one alone implies its only level two
        [26, "满意度指标", "服务对象满意度指标", "服务对象满意度", "95%以上"],
    ]
    assert p.goal == "通过本项目的实施,完成市政府重要活动安排和调研任务,督办和完成市政府领导交办的相关事项。"
    skipped = [(i.location.line, i.params["kind"], i.severity.value) for i in result.issues]
    assert skipped == [(24, "page_number", "info"), (25, "unrecognized", "info")]
    assert result.issues[1].params["text"] == "本页数据由系统导出,仅供参考"
    assert "第25行" in result.issues[1].message


def test_csv_export_with_quoted_commas():
    result = import_text(TEXT / "csv_gov_info.csv")
    (p,) = result.projects
    want = EXPECTED["projects"][9]
    assert p.name == want["name"] and p.funds.total == 60.0
    assert rows_of(p, with_line=False) == [row[1:] for row in want["indicators"]]
    assert p.indicators[4].value == "图片解读50次,视频解读10次"  # a quoted field holding a comma
    assert result.issues == []


def test_wrapped_name_continuation_page_and_side_by_side_midterm_funds():
    result = import_text(TEXT / "wrapped_name_midterm.txt")
    (p,) = result.projects
    assert p.name == EXPECTED["projects"][1]["name"]  # the second line of the name was glued on
    assert p.period == "3年"
    assert p.funds.to_dict() == {
        "total": 72.3, "fiscal": 72.3, "other": None,
        "extra": {"中期资金总额": 216.9, "中期资金.财政拨款": 210.0, "中期资金.其他资金": 6.9},
    }
    assert p.locations["funds.中期资金.财政拨款"].line == 12 and p.locations["funds.fiscal"].line == 12
    # the continuation page repeats the wrapped name on two lines; both are structural, not data
    assert rows_of(p, with_line=False) == [row[1:] for row in EXPECTED["projects"][1]["indicators"]]
    assert [i.locations["row"].line for i in p.indicators][-3:] == [30, 31, 32]
    assert result.issues == []


def test_index_and_weight_columns_are_kept_out_of_the_names():
    result = import_text(TEXT / "index_weight_columns.txt")
    (p,) = result.projects
    got = [(i.locations["row"].line, i.level1, i.level2, i.level3, i.value, i.note, i.extra) for i in p.indicators]
    assert got == [
        (16, "产出指标", "数量指标", "秘书长、副秘书长调研次数", "36次", None, {"权重(%)": "20"}),
        (17, "产出指标", "数量指标", "市长调研次数", "45次", None, {"权重(%)": "20"}),
        (18, "产出指标", "质量指标", "市领导调研任务保障", "保障好市领导调研相关工作,协助完成市领导调研任务次数", None, {"权重(%)": "10"}),
        (19, "产出指标", "成本指标", "项目总成本", "43万元", None, {"权重(%)": "20"}),
        (20, "效益指标", "可持续影响指标", "领导对基层情况了解掌握度", "≥95%", None, {"权重(%)": "20"}),
        (21, "满意度指标", "服务对象满意度指标", "服务对象满意度", "100%", None, {"权重(%)": "10"}),
    ]
    assert p.goal == "通过本项目的实施,为市委市政府的各项政策决策提供科学依据。"
    assert result.issues == []


def test_department_from_stamp_line_unknown_names_and_bad_amounts():
    result = import_text(TEXT / "stamp_unknown_names.txt")
    (p,) = result.projects
    assert (p.department, p.year) == ("六安市人民政府办公室", 2021)
    assert (p.locations["department"].line, p.locations["year"].line) == (3, 1)
    assert p.funds.to_dict() == {"total": 30.0, "fiscal": None, "other": None, "extra": {}}
    assert p.locations["funds.fiscal"].line == 8
    assert rows_of(p) == [
        [12, "产出指标", "数量指标", "政府常务会次数", "24次"],
        # a name wrapped after 、 continues in the next row, which holds the value
        [14, "产出指标", "数量指标", "县区政务信息调度会、培训会次数", "2次"],
        # a level-two name the catalogue does not know is kept as written, and reported
        [15, "效益指标", "社会效应指标", "促进政策措施落实", "促进各项政策落实"],
        [16, "满意度指标", "服务对象满意度指标", "服务对象满意度", "95%以上"],
    ]
    found = [(i.code, i.location.line, i.severity.value) for i in result.issues]
    assert found == [("IMPORT_BAD_AMOUNT", 8, "warning"), ("IMPORT_LEVEL_UNKNOWN", 15, "warning")]
    assert result.issues[0].params == {"label": "其中:财政拨款", "found": "叁拾"}
    assert result.issues[1].params["name"] == "社会效应指标"


def test_grid_header_spellings_of_other_forms(tmp_path):
    """指标内容 for 三级指标 and a bracketed note after 本年度指标值 (forms of other provinces)."""
    text = (TEXT / "spaces_hotline.txt").read_text(encoding="utf-8")
    text = text.replace("三级指标    本年度指标值", "指标内容    本年度指标值(包含数字及文字描述)")
    assert "指标内容" in text
    path = tmp_path / "variant.txt"
    path.write_text(text, encoding="utf-8")
    (p,) = import_text(path).projects
    assert rows_of(p) == EXPECTED["projects"][0]["indicators"]


def test_vertical_label_pieces_are_not_names():
    """A merged 绩效指标 cell written vertically leaves 绩/效/指/标 at the start of grid lines."""
    result = import_text(TEXT / "vertical_label.txt")
    (p,) = result.projects
    want = EXPECTED["projects"][1]["indicators"]
    assert rows_of(p, with_line=False) == [row[1:] for row in want]
    assert [i.locations["row"].line for i in p.indicators] == [16, 17, 18, 20, 21, 22, 23]
    assert result.issues == []


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "文件为空"),
        (b"  \r\n\n\t\n", "文件为空"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4, "不是文本文件"),
        (bytes(range(128, 256)) * 10, "无法识别文字编码"),
        ("随便写的一段文字,没有表格。\n第二行\n".encode(), "没有找到项目绩效目标表"),
    ],
)
def test_unusable_input_raises_a_chinese_error_naming_the_file(tmp_path, content, words):
    path = tmp_path / "坏文件.txt"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        import_text(path)
    assert str(path) in str(err.value) and words in str(err.value)
    assert path.read_bytes() == content  # the source is never modified
