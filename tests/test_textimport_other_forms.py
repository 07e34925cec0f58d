"""Files holding a target form beside a 部门整体 or 自评 table, and budget tables without 项目名称.

Departments publish their project target forms and their 部门整体 table in one document, one after the
other. The target forms are imported exactly as alone; the other table's lines are left out and named
in one IMPORT_OTHER_FORM warning (never read into the previous project's grid). The parts are the
corpus's real published texts (tests/fixtures/real/, each with its address), joined as a department
would publish them: the other table from its title line on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lubudget_xl.errors import UserError
from lubudget_xl.textimport import import_text
from lubudget_xl.textimport.forms import title_kind

REAL = Path(__file__).parent / "fixtures" / "real"
TARGET_CHANGDE = "hunan_changde_taoyuan_2021_zaijiuye_gangwei"
TARGET_PUYANG = "henan_puyang_2021_danganguan_xiaofang"


def _text(stem: str) -> str:
    return (REAL / f"{stem}.txt").read_text(encoding="utf-8")


def _from_title(stem: str) -> str:
    lines = _text(stem).split("\n")
    first = next(n for n, line in enumerate(lines) if title_kind(line) in ("department_overall", "self_evaluation"))
    return "\n".join(lines[first:])


def _rows(result):
    return [
        (p.name, p.department, p.funds.total, [(i.level1, i.level2, i.level3, i.value) for i in p.indicators])
        for p in result.projects
    ]


@pytest.mark.parametrize(
    ("target", "other", "kind", "name"),
    [
        (TARGET_CHANGDE, "neg_hubei_guangshui_2021_zhengfuban_zhengti", "department_overall", "部门整体支出绩效目标表"),
        (TARGET_CHANGDE, "neg_sichuan_langzhong_2021_chegoushui_ziping", "self_evaluation", "绩效自评表"),
        (TARGET_PUYANG, "neg_fujian_ningde_2019_fangzhi_zhengti", "department_overall", "部门整体支出绩效目标表"),
    ],
)
def test_target_then_other_table(tmp_path, target, other, kind, name):
    head = _text(target)
    path = tmp_path / "mixed.txt"
    path.write_text(head + "\n" + _from_title(other), encoding="utf-8")
    mixed, alone = import_text(path), import_text(REAL / f"{target}.txt")
    assert _rows(mixed) == _rows(alone)  # not one line of the other table in the project
    first = head.count("\n") + 2
    last = first + _from_title(other).count("\n")
    (warning,) = [i for i in mixed.issues if i.code == "IMPORT_OTHER_FORM"]
    assert warning.severity.value == "warning"
    assert warning.location.line == first
    assert warning.params == {"kind": kind, "first_line": first, "last_line": last}
    assert warning.message.startswith(f"第{first}–{last}行是{name},不是项目支出绩效目标表,未导入")


def test_other_table_then_target(tmp_path):
    """部门整体 first (its file name line and title both name it), then the project form: the other
    table ends where the target form's title starts."""
    other = _text("neg_fujian_ningde_2019_fangzhi_zhengti")
    path = tmp_path / "mixed.txt"
    path.write_text(other + "\n" + _text(TARGET_PUYANG), encoding="utf-8")
    mixed, alone = import_text(path), import_text(REAL / f"{TARGET_PUYANG}.txt")
    assert _rows(mixed) == _rows(alone)
    (warning,) = [i for i in mixed.issues if i.code == "IMPORT_OTHER_FORM"]
    lines = other.split("\n")
    first = next(n for n, line in enumerate(lines, start=1) if title_kind(line) == "department_overall")
    target_title = len(lines) + next(
        n for n, line in enumerate(_text(TARGET_PUYANG).split("\n"), start=1) if title_kind(line) == "target"
    )
    assert (warning.params["first_line"], warning.params["last_line"]) == (first, target_title - 1)


def test_prose_naming_a_form_is_not_a_title():
    """puyang's 批复 says 要…及时上报“项目支出绩效自评表”: a sentence, not the start of a 自评表."""
    result = import_text(REAL / f"{TARGET_PUYANG}.txt")
    assert not [i for i in result.issues if i.code == "IMPORT_OTHER_FORM"]
    assert title_kind("二、预算年度结束后,要根据濮财效〔2020〕8号文件要求及时上报“项目支出绩效自评表”") is None
    assert title_kind("附件 2: 部门整体支出绩效目标申报表 填报日期:2021 年 1 月 28 日") == "department_overall"
    assert title_kind("中央车购税对地方补助资金绩效目标自评表 (普通省道和农村公路)") == "self_evaluation"
    assert title_kind("市级部门预算项目绩效目标表 | ||||||") == "target"


def test_budget_table_is_refused_saying_what_it_is():
    """dazu's 部门预算 has 项目 (not 项目名称) heading a column beside 预算数."""
    path = REAL / "neg_chongqing_dazu_2023_chengguan_yusuan.txt"
    with pytest.raises(UserError) as caught:
        import_text(path)
    assert str(caught.value) == (
        f"{path}: 不是项目绩效目标表(第19行的“项目”是表格的列标题,同一行还有“预算数”等列标题,"
        "像是预算表或支出明细表),无法导入"
    )


def test_a_target_form_with_a_project_column_word_is_not_a_budget_table(tmp_path):
    """项目 alone on a line of a real form (rongchang's wrapped title) does not make it a budget table."""
    result = import_text(REAL / "chongqing_rongchang_2022_daqinggang_lvhua.txt")
    assert [p.name for p in result.projects] == ["古昌镇大青冈村乡村振兴绿化美化项目"]


def test_the_next_forms_title_glued_after_a_value_is_not_part_of_it():
    """甘肃's flattened preview: 满意度 … %=99百分比省级部门预算项目支出绩效目标表2023年度一*级项目名称… — the
    next project's form starts right after the last value; its title (year after it) ends the grid."""
    result = import_text(REAL / "gansu_jiayuguan_2023_bowuguan_mianfei_kaifang.txt")
    first = result.projects[0]
    assert first.name == "博物馆纪念馆市级免费开放补助资金"
    # 一*级项目名称 文化事业发展专项资金 二级项目名称 …: the group's name is no project of its own
    assert [p.name for p in result.projects] == ["博物馆纪念馆市级免费开放补助资金", "博物馆提升改造项目"]
    assert first.extra["一级项目名称"] == "文化事业发展专项资金" and first.locations["extra.一级项目名称"].line == 3
    assert first.indicators[-1].value.endswith("=99百分比")
    cells = [text for p in result.projects for i in p.indicators for text in (i.level3, i.value)]
    assert not [text for text in cells if "绩效目标表" in text or "项目名称" in text]
    assert all(p.year == 2023 for p in result.projects)
