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


def _fixture(slug):
    return next(f for f in fixtures() if f.slug == slug).text


def test_a_full_width_signature_line_under_the_grid_is_not_read_as_an_indicator(tmp_path):
    # 财政资金管理科室（盖章） under 黄石's grid: with full-width brackets it is still the signature block.
    slug = "hubei_huangshi_2022_dangxiao_zhutiban"
    wide = tmp_path / f"{slug}.txt"
    wide.write_text(_fixture(slug).read_text(encoding="utf-8").replace("(", "（").replace(")", "）"), encoding="utf-8")
    result = import_text(wide, load_catalog("2022"))
    assert len(result.projects[0].indicators) == 13
    last = [(i.params["kind"], i.params["text"]) for i in result.issues if i.location.line == 23]
    assert last == [("outside_table", "财政资金管理科室（盖章） 年 月 日 财政绩效管理科室（盖章） 年 月 日")]


@pytest.mark.parametrize("slug", ["guangdong_dongguan_2019_zhenji_lianwanglu", "gansu_jiayuguan_2023_bowuguan_mianfei_kaifang"])
def test_a_line_of_prose_in_the_header_is_reported_not_filed_as_a_field(slug):
    from lubudget_xl.catalog.vocabulary import vocabulary

    labels = {v for vs in vocabulary().variants("header_other").values() for v in vs}
    result = import_text(_fixture(slug), load_catalog("2021"))
    assert set(result.projects[0].extra) <= labels, result.projects[0].extra


def test_a_row_the_value_splitter_cannot_cut_is_reported_with_its_text():
    result = import_text(_fixture("gansu_jiayuguan_2023_bowuguan_mianfei_kaifang"), load_catalog("2021"))
    unsplit = [(i.location.line, i.params) for i in result.issues if i.code == "IMPORT_UNSPLIT_ROW"]
    assert (4, {"text": "为当地提供就业LJUI,冈位增加岗位"}) in unsplit


def test_a_level_two_of_another_catalogue_stays_the_row_s_level_two():
    # 甘肃's flattened 2023 form prints the 101号 tree's 经济成本指标; read with the 2021 catalogue it is
    # still the row's level two (reported as unknown), not a level-three name under 成本指标.
    result = import_text(_fixture("gansu_jiayuguan_2023_bowuguan_mianfei_kaifang"), load_catalog("2021"))
    # (where 资金使用效率二100百分比 is cut, 二 being the preview's =, is the value splitter's concern)
    rows = [(i.level2, i.level3[:6]) for i in result.projects[0].indicators]
    assert ("经济成本指标", "资金使用效率") in rows
    unknown = [i.params["name"] for i in result.issues if i.code == "IMPORT_LEVEL_UNKNOWN" and i.location.line == 4]
    assert unknown[0] == "经济成本指标"


def test_qualitative_rows_whose_value_cell_is_empty_keep_an_empty_value():
    # 铜梁's one-cell-per-line `|` grid: 促进社会和谐 | 20 | (empty) | 定性 | (empty)
    result = import_text(_fixture("chongqing_tongnan_wugui_2023_yibanxing_xiangmu"), load_catalog("2022"))
    rows = [(i.level3, i.sign, i.value, i.parsed.kind) for i in result.projects[0].indicators if i.sign == "定性"]
    assert rows == [("促进社会和谐", "定性", "", "empty"), ("保障收入", "定性", "", "empty"), ("保障权益", "定性", "", "empty")]


def test_the_filler_s_phone_under_the_grid_is_not_the_project_s_phone():
    # 湘潭 2023: 填表人: 宋云花 联系电话:16607326331 under the table is the form filler's, not a field.
    result = import_text(_fixture("hunan_xiangtan_2023_wupaoche"), load_catalog("2022"))
    assert "联系电话" not in result.projects[0].extra
    line101 = [i.params["text"] for i in result.issues if i.location.line == 101]
    assert line101 == ["财政部门审核意见填表人: 宋云花 联系电话:16607326331"]


def test_a_field_printed_under_the_grid_ends_it():
    # 湘潭 2024 (one cell per line): 其他需说明的问题 alone on its line after the last indicator row.
    result = import_text(_fixture("hunan_xiangtan_2024_wupaoche"), load_catalog("2022"))
    assert "其他需说明的问题" in result.projects[0].extra
    assert not [i for i in result.issues if i.code == "IMPORT_UNPAIRED_CELLS"]


@pytest.mark.parametrize("stamp", ["填报单位(盖章) | 黄石市委党校 | 单位:万元 | ||||", "填报单位(盖章) | 单位:万元 | 黄石市委党校 | ||||"])
def test_the_department_in_the_cell_beside_the_stamp_label_is_the_project_s(stamp, tmp_path):
    # 黄石's title names no department; a 填报单位(盖章) row in the title block, its value in the next
    # cell before or after the unit note, gives it.
    lines = _fixture("hubei_huangshi_2022_dangxiao_zhutiban").read_text(encoding="utf-8").split("\n")
    stamped = tmp_path / "stamped.txt"
    stamped.write_text("\n".join([*lines[:2], stamp, *lines[2:]]), encoding="utf-8")
    project = import_text(stamped, load_catalog("2022")).projects[0]
    assert (project.department, project.locations["department"].line) == ("黄石市委党校", 3)
    assert len(project.indicators) == 13


@pytest.mark.parametrize("year", [2019, 2022])
def test_without_a_catalogue_the_table_s_year_picks_it(year, tmp_path):
    # 东莞's table prints its year as ( 2019 年度); no 2019 catalogue is built in, so 2021's is used.
    text = _fixture("guangdong_dongguan_2019_zhenji_lianwanglu").read_text(encoding="utf-8")
    dated = tmp_path / "dated.txt"
    dated.write_text(text.replace("( 2019 年度)", f"( {year} 年度)"), encoding="utf-8")
    result = import_text(dated)
    unknown = {i.params["catalog"] for i in result.issues if i.code == "IMPORT_LEVEL_UNKNOWN"}
    assert unknown == {load_catalog("2022" if year == 2022 else "2021").version}


def test_a_file_holding_the_same_glued_form_twice_gives_two_projects(tmp_path):
    # 鄂州's glued form prints 主管部门 in its title block: the second form's title block is read anew.
    text = _fixture("hubei_ezhou_2022_binhu_dalou").read_text(encoding="utf-8").rstrip("\n")
    twice = tmp_path / "twice.txt"
    twice.write_text(text + "\n" + text + "\n", encoding="utf-8")
    result = import_text(twice, load_catalog("2022"))
    assert [p.name for p in result.projects] == ["滨湖大胆办公大楼运行保障"] * 2
