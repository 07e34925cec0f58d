"""The text importer on real published tables (tests/fixtures/real), field for field against their
hand-written expectations (issue 17, docs/mutation.md): a small change of the importer that reads one
cell differently fails here. The fixtures listed are the ones the importer reads completely; those
the layout tests (test_textimport_real_layouts.py) already pin are not repeated."""

from __future__ import annotations

import pytest
from real_corpus import fixtures, load_expected, read_and_compare

from lubudget_xl.catalog import load_catalog
from lubudget_xl.textimport import import_text

READ_IN_FULL = [
    "chongqing_fengjie_2023_yunwu_jiagongyuan",
    "guangdong_dongguan_2019_zhenji_lianwanglu",
    "hubei_huangshi_2022_dangxiao_zhutiban",
    "hunan_hengyang_nanyue_2023_yulu_jihua",
    "hunan_xiangtan_2024_wupaoche",
    "neimenggu_wuhai_2021_zaisheng_ziyuan",
    "zhejiang_linhai_lvhua_yanghu",
]


@pytest.mark.parametrize("slug", READ_IN_FULL)
def test_a_real_table_is_read_field_for_field(slug):
    fx = next(f for f in fixtures() if f.slug == slug)
    score = read_and_compare(fx.text, load_expected(slug))
    assert score.error is None and score.projects_read == score.projects_expected == 1
    assert score.rows_read == score.rows_expected
    assert score.misses == [] and score.fields_right == score.fields_expected > 0


@pytest.mark.parametrize("fx", [f for f in fixtures() if f.is_target], ids=lambda f: f.slug)
def test_no_real_table_loses_indicator_rows_silently(fx):
    score = read_and_compare(fx.text, load_expected(fx.slug))
    assert score.error is None
    assert not score.silent_loss, f"{fx.slug}: {score.rows_read} of {score.rows_expected} rows, no error finding"


def test_old_mac_line_ends_read_like_unix_ones(tmp_path):
    slug = "hubei_huangshi_2022_dangxiao_zhutiban"
    source = next(f for f in fixtures() if f.slug == slug).text
    carriage = tmp_path / f"{slug}.txt"
    carriage.write_bytes(source.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    score = read_and_compare(carriage, load_expected(slug))
    assert score.misses == [] and score.fields_right == score.fields_expected > 0


def test_a_level_name_not_in_the_catalogue_is_kept_as_printed_and_reported_on_its_line():
    fx = next(f for f in fixtures() if f.slug == "guangdong_dongguan_2019_zhenji_lianwanglu")
    catalog = load_catalog("2021")
    result = import_text(fx.text, catalog)
    unknown = [(i.severity.value, i.location.line, i.message, i.params) for i in result.issues
               if i.code == "IMPORT_LEVEL_UNKNOWN"]  # fmt: skip
    assert unknown[0] == (
        "warning", 25, f"第25行的指标名称“预算(或投资规模)控制指标”不在指标目录 {catalog.version} 中,已按原文导入",
        {"name": "预算(或投资规模)控制指标", "catalog": catalog.version},
    )
    assert len(unknown) == 2 and unknown[1][1] == 26
    assert "预算(或投资规模)控制指标" in {i.level2 for i in result.projects[0].indicators} | {
        v for i in result.projects[0].indicators for v in i.extra.values()
    }


def test_lines_under_the_signature_block_are_outside_the_table(tmp_path):
    source = next(f for f in fixtures() if f.slug == "hubei_huangshi_2022_dangxiao_zhutiban").text
    text = source.read_text(encoding="utf-8").rstrip("\n")
    signed = tmp_path / "signed.txt"
    signed.write_text(text + "\n主管部门审核意见\n同意申报,请财政局审核。\n单位负责人:张三\n", encoding="utf-8")
    before, after = import_text(source), import_text(signed)
    rows = [[(i.level3, i.value) for i in r.projects[0].indicators] for r in (before, after)]
    assert rows[0] == rows[1] and len(rows[0]) == 13
    last = len(text.split("\n"))  # the fixture's own last line is its signature row
    skipped = [(i.location.line, i.params["kind"]) for i in after.issues
               if i.code == "IMPORT_SKIPPED_LINE" and i.location.line >= last]  # fmt: skip
    assert skipped == [(last, "outside_table"), (last + 1, "outside_table"), (last + 2, "outside_table"),
                       (last + 3, "outside_table")]  # fmt: skip


@pytest.mark.parametrize("slug", ["chongqing_fengjie_2023_yunwu_jiagongyuan", "guangdong_dongguan_2019_zhenji_lianwanglu"])
def test_lines_before_the_first_table_are_listed_with_why(slug):
    result = import_text(next(f for f in fixtures() if f.slug == slug).text)
    name_line = result.projects[0].locations["name"].line
    before = [i for i in result.issues if i.code == "IMPORT_SKIPPED_LINE" and i.location.line < name_line]
    assert before and before[0].location.line == 1
    for issue in before:
        assert issue.severity.value == "info" and issue.params["kind"] == "outside_table"
        head = f"第{issue.location.line}行未导入(位于第一张表之前):"
        assert issue.message.startswith(head)  # then the line's text, cut when long
        assert issue.params["text"].startswith(issue.message.removeprefix(head).rstrip("…"))


@pytest.mark.parametrize("slug", READ_IN_FULL)
def test_full_width_brackets_and_colons_read_like_half_width_ones(slug, tmp_path):
    # Word and WPS exports print the labels' punctuation full width: 年度资金总额（万元）：
    text = next(f for f in fixtures() if f.slug == slug).text.read_text(encoding="utf-8")
    wide = tmp_path / f"{slug}.txt"
    wide.write_text(text.replace("(", "（").replace(")", "）").replace(":", "："), encoding="utf-8")
    score = read_and_compare(wide, load_expected(slug))
    assert score.misses == [] and score.fields_right == score.fields_expected > 0
