"""The filler on real records: the seed's tables typed in, the whole seed through the CLI, a long table."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import SEED, run_cli
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import range_boundaries
from template_records import long_project, seed_projects

from lubudget_xl.catalog import load_catalog
from lubudget_xl.records import write_records
from lubudget_xl.template import fill_workbook, layout_for, read_identity, sheet_name_problem
from lubudget_xl.template.filler import SPARE_ROWS, as_cell_value
from lubudget_xl.template.layout import EXTRA_ROWS


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    path = tmp_path_factory.mktemp("fill") / "已填.xlsx"
    projects = [*seed_projects(), long_project(45)]
    fill_workbook(projects, load_catalog("2021"), path)
    return path, projects, openpyxl.load_workbook(path)


def test_one_sheet_per_project_with_legal_unique_names(filled):
    path, projects, wb = filled
    sheets = wb.sheetnames[: len(projects)]
    assert sheets[0] == "市长热线工作经费"
    assert len(sheets[1]) == 31 and sheets[1] == projects[1].name[:31]
    assert sheets[2] == "长表测试项目培训第一期"  # ':' '[' ']' are not allowed in sheet names
    assert all(sheet_name_problem(s) is None for s in sheets)
    assert wb.sheetnames[len(projects):] == ["填报说明", "下拉列表", "模板信息"]
    assert read_identity(wb).year == 2021
    assert not list(path.parent.glob(".*.tmp"))  # written atomically, nothing left behind


def test_values_are_written_where_the_labels_say(filled):
    _, projects, wb = filled
    ws = wb["市长热线工作经费"]
    layout = layout_for(load_catalog("2021"))
    p = projects[0]
    assert ws["A1"].value == "六安市人民政府办公室2021年项目支出预算绩效目标表"
    assert ws["A3"].value == "填报单位(盖章)" and ws["B3"].value == "六安市人民政府办公室"
    row_of = {ws.cell(r, 1).value: r for r in range(1, 20) if ws.cell(r, 1).value}
    assert ws.cell(row_of["项目名称"], 2).value == p.name
    assert ws.cell(row_of["实施单位"], 2).value == p.unit
    assert ws.cell(row_of["项目属性"], 2).value == "经常性项目"
    assert ws.cell(row_of["年度目标"], 2).value == p.goal
    total = ws[layout.value_cell("funds.total")].value
    assert total == 156 and isinstance(total, int | float)  # numbers as numbers, not text
    assert ws[layout.value_cell("funds.other")].value is None
    grid = [[ws.cell(r, c).value for c in range(2, 6)] for r in range(layout.grid_first, layout.grid_first + 8)]
    assert grid[1] == ["产出指标", "数量指标", "接线外包人数", "接线外包人数≥24"]
    assert grid[7][1:] == ["服务对象满意度指标", "服务对象满意度指标", "受理事项群众满意率达92%以上。"]
    assert ws.cell(layout.grid_first + 8, 4).value is None


def test_long_project_grows_the_grid_with_styles_and_validations(filled):
    _, projects, wb = filled
    ws = wb.worksheets[2]
    layout = layout_for(load_catalog("2021"), 45 + SPARE_ROWS)
    assert ws.cell(layout.grid_header_row, 2).value == "一级指标"
    last_filled = layout.grid_first + 44
    assert ws.cell(last_filled, 4).value == "满意度" and ws.cell(last_filled, 5).value == "≥90%"
    assert ws.cell(layout.grid_last, 5).border.bottom.style == "thin"
    assert ws.cell(layout.grid_last, 5).protection.locked is False
    assert f"A{layout.grid_header_row}:A{layout.grid_last}" in ws.merged_cells
    level2 = next(dv for dv in ws.data_validations.dataValidation if "_L2_" in (dv.formula1 or ""))
    min_col, min_row, max_col, max_row = range_boundaries(str(level2.sqref))
    assert min_row == layout.grid_first and max_row == layout.grid_last + EXTRA_ROWS
    assert ws.print_area.endswith(f"$E${layout.grid_last}")


@pytest.mark.parametrize(
    "text, value", [("180", 180), ("72.3", 72.3), ("≥24", "≥24"), ("95%以上", "95%以上"), ("", ""), (None, None)]
)
def test_numbers_become_numbers(text, value):
    assert as_cell_value(text) == value and type(as_cell_value(text)) is type(value)


def test_sign_and_unit_columns_get_split_values(tmp_path, fixtures):
    catalog = load_catalog(str(fixtures / "template" / "catalog_sign_unit_columns.json"))
    project = long_project(3)
    project.competent_department = "六安市人民政府办公室"
    project.funds.extra["上年结转"] = 5.0
    fill_workbook([project], catalog, tmp_path / "wide.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "wide.xlsx").worksheets[0]
    layout = layout_for(catalog)
    row = [ws.cell(layout.grid_first, c).value for c in range(2, 8)]
    assert row == ["产出指标", "数量指标", "培训场次1", "≥", 1, "次"]
    assert ws[layout.value_cell("competent_department")].value == "六安市人民政府办公室"
    assert ws[layout.value_cell("上年结转")].value == 5.0


def test_cli_fills_records_json(tmp_path):
    records = tmp_path / "records.json"
    write_records(seed_projects(), records)
    out = tmp_path / "out.xlsx"
    done = run_cli("fill", str(records), "-o", str(out))
    assert done.returncode == 0, done.stderr.decode("utf-8")
    assert "已填写 2 个项目、15 行指标" in done.stderr.decode("utf-8")
    assert openpyxl.load_workbook(out).sheetnames[0] == "市长热线工作经费"
    refused = run_cli("fill", str(records), "-o", str(tmp_path / "out.csv"))
    assert refused.returncode == 2 and "须为 .xlsx" in refused.stderr.decode("utf-8")


def test_cli_fills_the_whole_seed(tmp_path):
    out = tmp_path / "seed.xlsx"
    done = run_cli("fill", str(SEED), "-o", str(out), "--quiet")
    assert done.returncode == 0, done.stderr.decode("utf-8")
    wb = openpyxl.load_workbook(out, read_only=True)
    assert len(wb.sheetnames) == 10 + 3
    assert "已填写 10 个项目、113 行指标" in done.stderr.decode("utf-8")


def test_the_reader_reads_back_the_whole_seed_as_written(tmp_path):
    """fill → read: every header field, fund and indicator of the seed's 10 tables comes back unchanged."""
    from lubudget_xl.loading import load_any

    seed = load_any(SEED).projects
    out = fill_workbook(seed, load_catalog("2021"), tmp_path / "seed.xlsx")
    back = load_any(out)
    assert back.template.year == 2021 and back.rows_read == 113
    assert [p.name for p in back.projects] == [p.name for p in seed]
    for before, after in zip(seed, back.projects, strict=True):
        for field in ("department", "unit", "attribute", "goal", "year"):
            assert getattr(after, field) == getattr(before, field), field
        assert after.funds.to_dict() == before.funds.to_dict()
        assert [(i.level1, i.level2, i.level3, i.value) for i in after.indicators] == [
            (i.level1, i.level2, i.level3, i.value) for i in before.indicators
        ]
    assert str(back.projects[0].location("name")).endswith("'市长热线工作经费'!B4")


def test_migrate_moves_last_years_levels_into_the_new_tree(tmp_path):
    """Rollover of the 88号 seed into the 101号 form: 产出指标/成本指标 becomes 成本指标/经济成本指标."""
    catalog = load_catalog("2022-101")
    out = tmp_path / "out.xlsx"
    done = run_cli("fill", str(SEED), "-o", str(out), "--catalog", "2022-101", "--migrate", "--quiet")
    assert done.returncode == 0, done.stderr.decode("utf-8")
    assert "改写了 10 行指标的层级" in done.stderr.decode("utf-8")  # one 成本指标 row in each of the 10 tables
    ws = openpyxl.load_workbook(out).worksheets[0]
    layout = layout_for(catalog)
    pairs = {(ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(layout.grid_first, layout.grid_last + 1)}
    assert ("成本指标", "经济成本指标") in pairs and ("产出指标", "成本指标") not in pairs
    assert all(catalog.is_pair(a, b) for a, b in pairs if a)
    kept = tmp_path / "kept.xlsx"
    fill_workbook(seed_projects(), catalog, kept)  # without migrate the rows stay as written
    ws = openpyxl.load_workbook(kept).worksheets[0]
    assert ("产出指标", "成本指标") in {(ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(layout.grid_first, 40)}


@pytest.mark.parametrize(
    "wanted, taken, expected",
    [
        ("市长热线工作经费", [], "市长热线工作经费"),
        ("市长热线工作经费", ["市长热线工作经费"], "市长热线工作经费(2)"),
        ("a", ["A", "a(2)"], "a(3)"),  # Excel compares sheet names case-insensitively
        ("x" * 40, ["x" * 31], "x" * 28 + "(2)"),
        ("培训[第一期]:A/B?*", [], "培训第一期AB"),
        ("History", [], "项目"),
        ("'引号'", [], "引号"),
        ("  ", ["项目"], "项目(2)"),
    ],
)
def test_safe_sheet_names(wanted, taken, expected):
    from lubudget_xl.template import safe_sheet_name

    name = safe_sheet_name(wanted, taken)
    assert name == expected and sheet_name_problem(name) is None


@given(st.lists(st.text(min_size=0, max_size=45), min_size=1, max_size=12))
def test_any_project_names_give_legal_unique_sheet_names(names):
    from lubudget_xl.template import safe_sheet_name

    taken: list[str] = ["填报说明", "下拉列表", "模板信息"]
    for wanted in names:
        name = safe_sheet_name(wanted, taken)
        assert sheet_name_problem(name) is None, (wanted, name)
        assert name.lower() not in {t.lower() for t in taken}
        taken.append(name)


def test_control_characters_from_pdf_extraction_do_not_break_the_workbook(tmp_path):
    project = seed_projects()[0]
    project.name = "市长热线\x07工作经费"
    project.goal = "完成热线接听\x0b和回访。"
    project.indicators[0].level3 = "受理\x01留言件次"
    out = fill_workbook([project], load_catalog("2021"), tmp_path / "ctrl.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert ws.title == "市长热线 工作经费"
    layout = layout_for(load_catalog("2021"))
    assert ws[layout.value_cell("goal")].value == "完成热线接听和回访。"
    assert ws.cell(layout.grid_first, 4).value == "受理留言件次"
