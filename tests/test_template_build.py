"""The built template, written to disk and read back with openpyxl: structure, dropdowns, checks,
protection, identity, print setup."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, run_cli
from openpyxl.utils import range_boundaries

from lubudget_xl.catalog import load_catalog
from lubudget_xl.template import layout_for, name_problem, write_template
from lubudget_xl.template.checks import CHECK_TITLES
from lubudget_xl.template.dropdowns import LISTS_SHEET, catalog_lists
from lubudget_xl.template.identity import INFO_SHEET, PROPERTY_KEYS
from lubudget_xl.template.layout import EXTRA_ROWS, GRID_ROWS

WIDE_FORM = FIXTURES / "template" / "catalog_sign_unit_columns.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, openpyxl.Workbook]:
    path = tmp_path_factory.mktemp("tpl") / "模板_2022.xlsx"
    write_template(load_catalog("2022"), path)
    return path, openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def wide(tmp_path_factory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("tpl") / "wide.xlsx"
    write_template(load_catalog(str(WIDE_FORM)), path)
    return openpyxl.load_workbook(path)


def texts(ws) -> dict[str, str]:
    """text -> coordinate of every string cell (first occurrence)."""
    found: dict[str, str] = {}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                found.setdefault(cell.value, cell.coordinate)
    return found


def covers(sqref, first_row: int, last_row: int, col: int) -> bool:
    for rng in sqref.ranges:
        min_col, min_row, max_col, max_row = range_boundaries(rng.coord)
        if min_col <= col <= max_col and min_row <= first_row and max_row >= last_row:
            return True
    return False


def test_sheets_and_labels_of_the_official_form(built):
    _, wb = built
    assert wb.sheetnames == ["项目1", "填报说明", LISTS_SHEET, INFO_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden" and wb[INFO_SHEET].sheet_state == "hidden"
    ws = wb["项目1"]
    found = texts(ws)
    for label in ("填报单位(盖章)", "项目名称", "实施单位", "项目属性", "项目资金(万元)", "年度资金总额", "其中:财政拨款",
                  "其他资金", "年度目标", "绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值", "校验区", "(2022年度)"):
        assert label in found, label
    assert "主管部门" not in found and "指标值符号" not in found  # the 2022 Anhui form has neither
    assert ws["A1"].value.startswith("=") and "2022年项目支出预算绩效目标表" in ws["A1"].value
    # values sit to the right of their labels
    layout = layout_for(load_catalog("2022"))
    assert found["项目名称"] == f"A{layout.rows['name']}" and f"B{layout.rows['name']}:E{layout.rows['name']}" in ws.merged_cells
    assert found["一级指标"] == f"B{layout.grid_header_row}"
    assert f"A{layout.grid_header_row}:A{layout.grid_last}" in ws.merged_cells
    assert layout.grid_rows == GRID_ROWS
    assert ws.cell(layout.grid_last, 5).border.bottom.style == "thin"
    assert ws["B4"].font.name == "宋体" and ws["A1"].font.bold


def test_wide_form_has_competent_department_extra_fund_row_sign_and_unit(wide):
    ws = wide["项目1"]
    found = texts(ws)
    for label in ("主管部门", "项目期", "上年结转", "指标值符号", "计量单位"):
        assert label in found, label
    layout = layout_for(load_catalog(str(WIDE_FORM)))
    header = [ws.cell(layout.grid_header_row, c).value for c in range(2, 8)]
    assert header == ["一级指标", "二级指标", "三级指标", "指标值符号", "本年度指标值", "计量单位"]
    funds_check = ws.cell(layout.department_row + 1, layout.check_value_col).value
    assert f"$D${layout.rows['上年结转']}" in funds_check  # the extra fund row counts in the balance
    required = ws.cell(layout.department_row + 2, layout.check_value_col).value
    assert f"$B${layout.rows['competent_department']}" in required and f"$B${layout.rows['period']}" in required


def test_dropdowns_cover_the_grid_and_use_names_only(built):
    _, wb = built
    ws = wb["项目1"]
    layout = layout_for(load_catalog("2022"))
    last = layout.grid_last + EXTRA_ROWS
    by_col = {}
    for dv in ws.data_validations.dataValidation:
        f = dv.formula1 or ""
        assert not f.startswith('"'), "inline lists are cut at 255 characters"
        assert "!" not in f, "other-sheet references in validations are dropped by openpyxl"
        for key in layout.grid_keys:
            if covers(dv.sqref, layout.grid_first, last, layout.grid_col(key)):
                by_col[key] = dv
    assert by_col["level1"].formula1 == "L1_list" and by_col["level1"].showErrorMessage
    assert re.fullmatch(r'INDIRECT\("_L2_"&MATCH\(\$B\d+,L1_list,0\)\)', by_col["level2"].formula1)
    assert by_col["level2"].errorStyle in (None, "stop") and by_col["level2"].showErrorMessage
    assert "_L3_" in by_col["level3"].formula1 and not by_col["level3"].showErrorMessage  # free text allowed
    kinds = {(dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}
    assert ("list", "Attr_list") in kinds and ("decimal", "0") in kinds
    decimal = next(dv for dv in ws.data_validations.dataValidation if dv.type == "decimal")
    assert decimal.operator == "greaterThanOrEqual"
    for cell in layout.fund_cells():
        assert cell in decimal.sqref


def test_defined_names_are_legal_and_hold_the_catalogue_lists(built):
    _, wb = built
    catalog = load_catalog("2022")
    lists = wb[LISTS_SHEET]
    expected = {lc.name: list(lc.items) for lc in catalog_lists(catalog)}
    names = {n: d for n, d in wb.defined_names.items()}
    assert set(expected) <= set(names)
    for name, items in expected.items():
        assert name_problem(name) is None, name
        (sheet, ref), = names[name].destinations
        assert sheet == LISTS_SHEET
        values = [c.value for row in lists[ref.replace("$", "")] for c in row]
        assert [v for v in values if v is not None] == items
    assert expected["L1_list"] == catalog.level1_names()
    assert expected["_L2_1"] == catalog.level2_names(catalog.level1_names()[0])
    assert "受理留言件次" in expected["_L3_1"]  # suggested level three of 产出指标/数量指标


@pytest.mark.parametrize(
    "name, legal",
    [
        ("L1_list", True), ("_L2_12", True), ("Sign_list", True), ("\\x", True), ("a.b", True),
        ("A1", False), ("XFD1048576", False), ("xfd1", False), ("R1C1", False), ("R", False), ("c", False),
        ("RC", False), ("C12", False), ("1abc", False), ("has space", False), ("TRUE", False), ("", False),
        ("XFE1", True), ("A1048577", True), ("a" * 256, False), ("名称", False), ("L2-keys", False),
    ],
)
def test_excel_name_checker(name, legal):
    assert (name_problem(name) is None) is legal


def test_protection_locks_labels_and_leaves_inputs_editable(built):
    _, wb = built
    ws = wb["项目1"]
    layout = layout_for(load_catalog("2022"))
    p = ws.protection
    assert p.sheet and p.insertRows is False and p.deleteRows is False  # False = users may insert/delete rows
    assert ws["A4"].protection.locked and ws.cell(layout.grid_header_row, 2).protection.locked
    for cell in ["B3", "B4", layout.value_cell("funds.total"), layout.value_cell("goal"), f"B{layout.grid_first}",
                 f"E{layout.grid_last}"]:
        assert ws[cell].protection.locked is False, cell
    assert ws.row_dimensions[layout.grid_last].protection.locked is False  # whole grid rows can be deleted
    assert ws.row_dimensions[layout.grid_header_row].protection.locked is not False
    assert wb[LISTS_SHEET].protection.sheet and wb[INFO_SHEET].protection.sheet


def test_identity_in_properties_and_hidden_sheet(built):
    _, wb = built
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    catalog = load_catalog("2022")
    assert props["LubudgetTemplateId"] == "lubudget-pt"
    assert props["LubudgetYear"] == 2022
    assert props["LubudgetCatalogVersion"] == catalog.version
    assert props["LubudgetTemplateVersion"] == "2022.1"
    info = wb[INFO_SHEET]
    assert [(info.cell(r, 1).value, info.cell(r, 2).value) for r in range(1, 5)] == [(k, props[k]) for k in PROPERTY_KEYS]


def test_check_area_and_conditional_formatting(built):
    _, wb = built
    ws = wb["项目1"]
    layout = layout_for(load_catalog("2022"))
    lc, vc = layout.check_label_col, layout.check_value_col
    assert ws.cell(layout.department_row, lc).value == "校验区"
    titles = [ws.cell(layout.department_row + i, lc).value for i in range(1, len(CHECK_TITLES) + 1)]
    assert titles == list(CHECK_TITLES)
    formulas = [ws.cell(layout.department_row + i, vc).value for i in range(1, len(CHECK_TITLES) + 1)]
    assert all(f.startswith("=") and "✔" in f for f in formulas)
    assert "ABS(" in formulas[0] and "0.005" in formulas[0]
    assert 'COUNTIF($C$' in formulas[3] and '"数量指标"' in formulas[3] and '"服务对象满意度指标"' in formulas[3]
    assert layout.grid_last + EXTRA_ROWS < layout.grid_first + 1000 and f"{layout.grid_last + EXTRA_ROWS}" in formulas[3]
    # the check area stays above the grid (deleting grid rows never deletes a check) and outside the print area
    assert layout.department_row + len(CHECK_TITLES) < layout.grid_first
    assert ws.print_area.endswith(f"$E${layout.grid_last}")
    cf_ranges = {str(r.sqref) for r in ws.conditional_formatting}
    assert layout.value_cell("funds.total") in cf_ranges and layout.value_cell("name") in cf_ranges
    assert f"E{layout.grid_first}:E{layout.grid_last + EXTRA_ROWS}" in cf_ranges


def test_prints_on_a4_one_page_wide_repeating_the_project_name(built):
    _, wb = built
    ws = wb["项目1"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"
    assert ws.column_dimensions["D"].width > ws.column_dimensions["B"].width


def test_cli_builds_and_refuses_a_bad_suffix(tmp_path):
    out = tmp_path / "t.xlsx"
    done = run_cli("template", "build", "--catalog", "2022", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    assert "已生成 2022 年度模板" in done.stderr.decode("utf-8")
    assert openpyxl.load_workbook(out).sheetnames[0] == "项目1"
    bad = run_cli("template", "build", "-o", str(tmp_path / "t.xls"))
    assert bad.returncode == 2 and "扩展名须为 .xlsx" in bad.stderr.decode("utf-8")
    missing = run_cli("template", "build", "--catalog", "1999", "-o", str(out))
    assert missing.returncode == 2 and "找不到指标目录" in missing.stderr.decode("utf-8")
