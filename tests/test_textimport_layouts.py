"""Every text layout extraction produces reads to the same records (issue 12, item 3).

The same two projects of a 水利局 form (modelled on county forms published as web pages and PDFs)
are written in each layout: tab, `|`, single spaces, glued label+value, one cell per line (with and
without blank lines), and flattened into one line per page. Each must give exactly the records below.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lubudget_xl.catalog import load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.textimport import import_text
from lubudget_xl.textimport.cells import TAB, split_text
from lubudget_xl.textimport.decoding import read_text
from lubudget_xl.textimport.importer import TextImporter
from lubudget_xl.textimport.layouts import CELLS, GLUED, detect, rebuild

LAYOUTS = FIXTURES / "text_layouts"


WATER = [
    {
        "department": "城关区水利局", "year": 2023, "name": "农村饮水安全工程维修养护",
        "competent_department": "城关区水利局", "unit": "城关区农村饮水安全管理站",
        "attribute": "经常性项目", "period": "1年", "extra": {"项目来源": "部门日常工作"},
        "funds": {"total": 120.0, "fiscal": 100.0, "other": 20.0, "extra": {}},
        "goal": "完成全区农村饮水工程维修养护,保障农村居民饮水安全,水质达标率达到95%以上。",
        "indicators": [
            ["产出指标", "数量指标", "维修供水管网长度", "≥20公里"],
            ["产出指标", "数量指标", "新建蓄水池数量", "10个"],
            ["产出指标", "质量指标", "水质达标率", "≥95%"],
            ["产出指标", "时效指标", "项目完成时间", "2023年底前完成"],
            ["产出指标", "成本指标", "项目总成本", "≤120万元"],
            ["效益指标", "社会效益指标", "农村居民饮水安全状况", "明显改善"],
            ["效益指标", "可持续影响指标", "工程使用年限", "≥10年"],
            ["满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%"],
        ],
    },
    {
        "department": "城关区水利局", "year": 2023, "name": "防汛抗旱物资储备",
        "competent_department": "城关区水利局", "unit": "城关区防汛抗旱服务中心",
        "attribute": "一次性项目", "period": "1年", "extra": {},
        "funds": {"total": 35.5, "fiscal": 35.5, "other": 0.0, "extra": {}},
        "goal": "储备防汛抗旱物资,确保汛期物资供应及时,提高应急处置能力。",
        "indicators": [
            ["产出指标", "数量指标", "储备编织袋数量", "20000条"],
            ["产出指标", "质量指标", "物资验收合格率", "100%"],
            ["产出指标", "时效指标", "物资到位时间", "2023年5月底前"],
            ["产出指标", "成本指标", "物资采购成本", "≤35.5万元"],
            ["效益指标", "社会效益指标", "应急处置能力", "有效提升"],
            ["满意度指标", "服务对象满意度指标", "群众满意度", "≥85%"],
        ],
    },
]


def record(p) -> dict:
    return {
        "department": p.department, "year": p.year, "name": p.name,
        "competent_department": p.competent_department, "unit": p.unit, "attribute": p.attribute,
        "period": p.period, "extra": p.extra, "funds": p.funds.to_dict(), "goal": p.goal,
        "indicators": [[i.level1, i.level2, i.level3, i.value] for i in p.indicators],
    }


def accounting(path):
    """line → used/structural/skipped for every line of `path` as import_text reads it, and the count."""
    text, _ = read_text(path)
    rows, mode = split_text(text)
    layout = detect([r.raw for r in rows])
    count = len(rows)
    catalog = load_catalog("2022")
    if layout:
        rows, _ = rebuild([r.raw for r in rows], layout, catalog, str(path))
        mode = TAB
    return TextImporter(str(path), catalog, mode).run(rows).lines, count


WATER_FILES = {
    "tab_water.txt": None, "pipe_water.txt": None, "single_space_water.txt": None,
    "glued_water.txt": GLUED, "cells_water.txt": CELLS, "cells_blank_water.txt": CELLS,
    "flat_water.txt": GLUED,
    # the whole file in one line: the second title follows the first project's last value
    "flat_oneline_water.txt": GLUED,
}


@pytest.mark.parametrize("name", sorted(WATER_FILES))
def test_every_layout_reads_to_the_same_records(name):
    path = LAYOUTS / name
    text, _ = read_text(path)
    assert detect(text.splitlines()) == WATER_FILES[name]
    result = import_text(path)
    assert [record(p) for p in result.projects] == WATER
    assert result.issues == []
    for p in result.projects:
        assert all(ind.sign is None and ind.unit is None and ind.note is None for ind in p.indicators)
        assert p.source_file == str(path)


@pytest.mark.parametrize("name", sorted(WATER_FILES))
def test_every_line_is_used_or_structural(name):
    lines, count = accounting(LAYOUTS / name)
    assert sorted(lines) == list(range(1, count + 1))
    assert "skipped" not in lines.values()


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("cells_water.txt", "项目来源\n部门日常工作\n", "项目来源\n部门日常工作\n项目编号:\n2023-SL-017\n"),
        ("glued_water.txt", "项目来源部门日常工作\n", "项目来源部门日常工作\n项目编号:2023-SL-017\n"),
    ],
)
def test_a_header_field_the_vocabulary_does_not_know_is_kept_in_extra(tmp_path, name, before, after):
    text = (LAYOUTS / name).read_text(encoding="utf-8")
    assert before in text
    path = tmp_path / name
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    first = import_text(path).projects[0]
    assert first.extra == {"项目来源": "部门日常工作", "项目编号": "2023-SL-017"}
    assert first.attribute == "经常性项目" and first.period == "1年"  # the neighbours keep their values


@pytest.mark.parametrize(
    ("name", "label", "clipped"),
    [
        ("glued_water.txt", "绩效指标一级指标", "绩一级指标"),  # the label clipped to its first character
        ("cells_water.txt", "绩效指标\n", "绩\n"),
        ("cells_water.txt", "绩效指标\n", "绩\n效\n指\n标\n"),  # a vertical cell, one character a line
        ("cells_water.txt", "项目资金(万元)\n", "项目资金\n(万元)\n"),  # a label broken across lines
        ("glued_water.txt", "年度资金总额", "年度资\n金总额"),
    ],
)
def test_labels_broken_or_clipped_read_the_same(tmp_path, name, label, clipped):
    text = (LAYOUTS / name).read_text(encoding="utf-8")
    assert label in text
    path = tmp_path / name
    path.write_text(text.replace(label, clipped), encoding="utf-8")
    result = import_text(path)
    assert [record(p) for p in result.projects] == WATER
    assert result.issues == []


@pytest.mark.parametrize(
    ("title", "department", "year"),
    [
        ("城关区水利局2023年项目支出绩效目标表", "城关区水利局", 2023),
        ("重庆市潼南区五桂镇人民政府2023年一般性项目绩效目标表", "重庆市潼南区五桂镇人民政府", 2023),
        ("鄂州市2022年市直部门预算项目支出绩效目标表", "鄂州市", 2022),
        ("2024年项目绩效目标表", "", 2024),
    ],
)
def test_titles_give_department_and_year_wherever_they_stand(tmp_path, title, department, year):
    """The title glued before 项目名称 in flattened text, in the spellings other provinces print."""
    flat = (LAYOUTS / "flat_water.txt").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "标题.txt"
    path.write_text(flat.replace("城关区水利局2023年项目支出绩效目标表", title), encoding="utf-8")
    (p,) = import_text(path).projects
    assert (p.department, p.year, p.name) == (department or "城关区水利局", year, "农村饮水安全工程维修养护")


def test_flat_text_is_one_line_per_page():
    text, _ = read_text(LAYOUTS / "flat_water.txt")
    assert len(text.splitlines()) == 2
    assert "项目名称农村饮水安全工程维修养护主管部门城关区水利局实施单位" in text


def test_cells_layout_locations_point_at_the_label_lines():
    (first, second) = import_text(LAYOUTS / "cells_water.txt").projects
    lines = {k: v.line for k, v in first.locations.items()}
    # 1 title (the department before it on the same line), 2 year, 3 stamp, 4 项目名称 (value on 5) …
    assert lines["department"] == 1 and lines["year"] == 1
    assert lines["name"] == 4 and lines["competent_department"] == 6 and lines["unit"] == 8
    assert lines["funds.total"] == 17 and lines["funds.fiscal"] == 19 and lines["funds.other"] == 21
    assert lines["goal"] == 24  # the goal's first line of text, as in tab-separated tables
    # a rebuilt indicator row is located at its first line: the level name it states, else its name
    assert [i.locations["row"].line for i in first.indicators][:3] == [30, 34, 36]
    assert second.locations["name"].line > first.indicators[-1].locations["row"].line


# -- robustness: whatever the order of labels and values, every line is accounted for ----------

TOKENS = [
    "城关区水利局2023年项目支出绩效目标表", "(2023年度)", "填报单位(盖章):", "项目名称", "实施单位", "主管部门",
    "项目属性", "项目资金(万元)", "年度资金总额", "其中:财政拨款", "其他资金", "年度目标", "绩效指标", "一级指标",
    "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "质量指标", "满意度指标", "服务对象满意度指标", "绩",
    "≥95%", "10个", "120", "明显改善", "维修供水管网长度", "城关区水利局", "2023年底前完成", "填报人", "",
    "|", "|||", "项目名称 |", "中期目标", "总体目标", "绩效项目指标表", "二级指标(长期)", "指标值(年度)", "项目编号:",
    "经济成本指标", "上级资金16", "金额", "功能科目", "注:", "扫一扫",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40), st.sampled_from(["\n", "", "\n\n"]))
def test_rebuilt_layouts_account_for_every_line(tmp_path, tokens, sep):
    text = sep.join(tokens) if sep else "".join(tokens[:20]) + "\n" + "".join(tokens[20:])
    rows, _mode = split_text(text)
    catalog = load_catalog("2022")
    for layout in (CELLS, GLUED):
        rebuilt, issues = rebuild([r.raw for r in rows], layout, catalog, "x.txt")
        outcome = TextImporter("x.txt", catalog, TAB).run(rebuilt)
        assert sorted(outcome.lines) == [r.number for r in rows]
        for issue in issues:
            assert 1 <= issue.location.line <= len(rows)
    path = tmp_path / "随机.txt"
    path.write_text(text, encoding="utf-8")
    try:
        import_text(path)
    except UserError as err:
        assert str(path) in str(err)
