"""Real published forms (tests/fixtures/real) whose grids the text importer used to misread: level
names as other provinces print them (kept in `extra` as the workbook reader keeps them), names broken
across lines, columns beside the level-three name, rows that are not indicators, spaced layouts.
Each test reads the verbatim page and asserts the fields against its hand-written expectation.
"""

from __future__ import annotations

from real_corpus import CELL_KINDS, load_expected, read_and_compare
from real_corpus import FIXTURES as REAL

from lubudget_xl.textimport import import_text


def score(slug: str):
    return read_and_compare(REAL / f"{slug}.txt", load_expected(slug))


def rows(slug: str) -> list[tuple[str, str, str, str]]:
    (p,) = import_text(REAL / f"{slug}.txt").projects
    return [(i.level1, i.level2, i.level3, i.value) for i in p.indicators]


def test_zhaohua_level_names_broken_across_lines_kept_as_printed():
    """`项目完成` / `指标` and `项目效益` / `指标` on two lines: one level name each, mapped onto the
    catalogue (产出指标, 效益指标) with the printed name kept in extra."""
    sc = score("sichuan_guangyuan_zhaohua_2021_teshu_fuzhu")
    assert [m for m in sc.misses if not m.split("] ")[1].startswith("unit")] == []
    (p,) = import_text(REAL / "sichuan_guangyuan_zhaohua_2021_teshu_fuzhu.txt").projects
    first, social = p.indicators[0], p.indicators[5]
    assert (first.level1, first.level2, first.extra) == ("产出指标", "数量指标", {"一级指标(原文)": "项目完成指标"})
    assert first.locations["level1"].line == 24
    assert (social.level1, social.level2) == ("效益指标", "社会效益指标")
    assert social.extra == {"一级指标(原文)": "项目效益指标"}  # 社会效益 + 指标 is the catalogue's name


def test_xinjiang_level_one_printed_as_xiangmu_wancheng():
    """One cell per line: 项目完成 stands in the 一级指标 column (the older name of 产出指标): a level
    name, not an indicator row of its own."""
    sc = score("xinjiang_wenquan_2019_jumin_yibao")
    assert sc.rows_read == sc.rows_expected == 7
    assert all_right(sc, CELL_KINDS) == [], sc.misses
    got = rows("xinjiang_wenquan_2019_jumin_yibao")
    assert got[0] == ("产出指标", "数量指标", "基本医疗保险参保人数", "43230人")
    assert got[-1] == ("产出指标", "时效指标", "专项补助使用落实期限", "2019年1月-2019年12月")


def all_right(sc, kinds) -> list[str]:
    return [k for k in kinds if sc.expected[k] and sc.right[k] != sc.expected[k]]
