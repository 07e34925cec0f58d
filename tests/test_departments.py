"""The submitting department: the same noise cleaned the same way by both readers.

Real forms print an unfilled stamp line (填报单位:(盖章)), the money-unit note at its end, the
department's value on the line after its label, label and value in one cell, and (flattened text)
the previous page's signature block glued before the title. The text cases are the real published
tables of the corpus (tests/fixtures/real/, each with its address).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from lubudget_xl.catalog.departments import department_text
from lubudget_xl.loading import load_any
from lubudget_xl.textimport import import_text

REAL = Path(__file__).parent / "fixtures" / "real"


@pytest.mark.parametrize(
    ("printed", "department"),
    [
        ("(盖章)", ""),  # the stamp line printed, not filled
        ("（盖章）", ""),
        ("填报单位:(盖章)", ""),
        (" 单位：万元", ""),  # only the money-unit note
        ("单位名称", ""),  # a label standing alone is not a name
        ("--", ""),
        ("", ""),
        (None, ""),
        ("813-潼南区五桂镇单位:万元", "813-潼南区五桂镇"),  # chongqing_tongnan: note glued after the name
        ("813-潼南区五桂镇 单位：万元", "813-潼南区五桂镇"),
        ("湘潭市环境卫生管理处（盖章）", "湘潭市环境卫生管理处"),  # stamp note after the name
        ("审核意见单位公章:年月 日鄂州市", "鄂州市"),  # hubei_ezhou: the signature block before the title
        ("预算单位:东莞市交通运输局", "东莞市交通运输局"),  # label and value in one cell
        ("填报单位（盖章）：六安市财政局", "六安市财政局"),
        ("六安市 人民政府办公室", "六安市人民政府办公室"),  # extraction's space inside a name
        ("区林业局", "区林业局"),
        ("湘潭市城市管理和综合执法局 308001", "湘潭市城市管理和综合执法局"),  # 主管部门及代码
        ("六安市财政局（本级）001", "六安市财政局（本级）"),
        ("2021", "2021"),  # digits alone are left as they are (no name to keep)
        # fujian_taibao: a notice's sentence quoting the attachment's title is no department
        ("根据《福建省财政厅关于开展省直部门2016年度专项支出绩效自评工作的通知》(闽财绩函[2017]1号)要求,对我会", ""),
        ("我会,具体参见附件", ""),
        ("中国人民政治协商会议六安市委员会办公室", "中国人民政治协商会议六安市委员会办公室"),
        ("甲" * 41, ""),
    ],
)
def test_department_text(printed, department):
    assert department_text(printed) == department


@pytest.mark.parametrize(
    ("stem", "department", "line"),
    [
        # 申报单位 | on one line, 区林业局 | on the next, both before 项目名称
        ("chongqing_rongchang_2022_daqinggang_lvhua", "区林业局", 37),
        # 预算单位:东莞市交通运输局 in one cell before 项目名称
        ("guangdong_dongguan_2019_zhenji_lianwanglu", "东莞市交通运输局", 11),
        # 编制单位: / 813-潼南区五桂镇 / 单位:万元 — the note is not part of the name
        ("chongqing_tongnan_wugui_2023_yibanxing_xiangmu", "813-潼南区五桂镇", None),
        # the title names the unit; a second title line without it and 填报单位:(盖章) do not erase it
        ("hunan_xiangtan_2023_wupaoche", "湘潭市环境卫生管理处", 1),
        # a notice's sentence quoting the form's title comes first; the form's 单位名称 names the unit
        ("fujian_taibao_lianyihui_2017_fupin_jikun", "福建省台湾同胞联谊会", None),
    ],
)
def test_real_text_forms_name_their_department(stem, department, line):
    result = import_text(REAL / f"{stem}.txt")
    assert result.projects
    for project in result.projects:
        assert project.department == department
        if line is not None:
            assert project.locations["department"].line == line


def test_the_competent_department_stands_in_when_no_department_is_printed():
    """xiangtan 2024 prints 填报单位(盖章): unfilled and no unit in its title; its 主管部门及其编码 names
    the department (the code after the name is not part of it), never the stamp line."""
    result = import_text(REAL / "hunan_xiangtan_2024_wupaoche.txt")
    (project,) = result.projects
    assert project.competent_department == "湘潭市城市管理和综合执法局 308001"
    assert project.department == "湘潭市城市管理和综合执法局"
    assert project.locations["department"] == project.locations["competent_department"]
    assert project.unit == "湘潭市环境卫生管理处"


def _workbook(tmp_path: Path, stamp_value: str, title: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效目标表"
    rows = [
        [title],
        ["填报单位(盖章):", stamp_value],
        ["项目名称", "甲项目"],
        ["实施单位", "某单位本级"],
        ["项目资金(万元)", "年度资金总额", 10],
        [None, "其中:财政拨款", 10],
        [None, "其他资金", 0],
        ["年度目标", "完成甲项目"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值"],
        [None, "产出指标", "数量指标", "培训次数", "≥2次"],
    ]
    for row in rows:
        ws.append(row)
    path = tmp_path / "甲.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("stamp_value", "title", "department", "cell"),
    [
        ("(盖章)            单位:万元", "乙单位2021年项目支出预算绩效目标表", "乙单位", "A1"),  # unfilled: the title's
        ("单位:万元", "乙单位2021年项目支出预算绩效目标表", "乙单位", "A1"),
        ("丙单位（盖章）", "乙单位2021年项目支出预算绩效目标表", "丙单位", "B2"),  # filled: the stamp line wins
        ("丙单位 单位:万元", "2021年项目支出预算绩效目标表", "丙单位", "B2"),
        ("(盖章)", "2021年项目支出预算绩效目标表", "", None),  # nowhere: empty, never "(盖章)"
    ],
)
def test_workbook_reader_cleans_the_stamp_line(tmp_path, stamp_value, title, department, cell):
    result = load_any(_workbook(tmp_path, stamp_value, title))
    (project,) = result.projects
    assert project.department == department
    if cell is None:
        assert "department" not in project.locations
    else:
        assert project.locations["department"].cell == cell


def test_workbook_reader_takes_the_competent_department_when_no_department_is_printed(tmp_path):
    path = _workbook(tmp_path, "(盖章)", "2021年项目支出预算绩效目标表")
    wb = openpyxl.load_workbook(path)
    wb.active.insert_rows(4)
    wb.active["A4"], wb.active["B4"] = "主管部门及代码", "六安市财政局 301001"
    wb.save(path)
    (project,) = load_any(path).projects
    assert project.competent_department == "六安市财政局 301001"
    assert project.department == "六安市财政局" and project.locations["department"].cell == "B4"
    assert project.unit == "某单位本级"
