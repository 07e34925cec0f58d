"""Checks that work without macros: validations on fund cells, a visible `校验区` of formulas showing
✔/✘ in Chinese, and conditional formatting that marks the wrong cells.

Macros are often blocked in departments, so these are the checks every filler sees. They mirror a
few of the Python rules (the reviewer's copy is checked in Python anyway: openpyxl writes formulas
without cached results, EXCEL.md).
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lubudget_xl.catalog import Catalog
from lubudget_xl.template.dropdowns import L1_NAME, level2_formula
from lubudget_xl.template.layout import (
    CENTER,
    CHECK_AREA_LABEL,
    FILL_CHECK_HEADER,
    FILL_MISSING,
    FILL_WRONG,
    FONT,
    FONT_BOLD,
    FONT_OK,
    FONT_WRONG,
    LEFT,
    REQUIRED_FIELDS,
    THIN,
    FormLayout,
)

OK, BAD = "✔", "✘"
# Titles never equal a form label: the reader searches labels and must not land in the check area.
CHECK_TITLES = ("资金平衡", "必填项", "一级指标检查", "二级指标检查", "三级指标检查", "指标值检查", "总体")


def _abs(cell: str) -> str:
    col = "".join(ch for ch in cell if ch.isalpha())
    row = "".join(ch for ch in cell if ch.isdigit())
    return f"${col}${row}"


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def required_cells(layout: FormLayout) -> list[str]:
    return [layout.value_cell(k) for k in REQUIRED_FIELDS if k == "department" or k in layout.rows]


def funds_unbalanced(layout: FormLayout, tolerance: float) -> str:
    """Formula (no '=') true when the total differs from the sum of the other fund rows."""
    cells = [_abs(c) for c in layout.fund_cells()]
    parts = ",".join(cells[1:])
    return f"AND(COUNT({','.join(cells)})>0,ABS(N({cells[0]})-SUM({parts}))>{tolerance})"


def check_formulas(layout: FormLayout, catalog: Catalog) -> list[tuple[str, str]]:
    """(title, formula) for each line of the check area, in display order."""
    settings = catalog.settings
    tol = float(settings.get("fund_tolerance", 0.005))
    cells = [_abs(c) for c in layout.fund_cells()]
    funds = (
        f"=IF(COUNT({','.join(cells)})=0,{_q(BAD + ' 未填写项目资金')},"
        f"IF({funds_unbalanced(layout, tol)},{_q(BAD + ' 年度资金总额≠财政拨款+其他资金')},{_q(OK + ' 资金合计平衡')}))"
    )
    req = ",".join(f"LEN(TRIM({_abs(c)}))>0" for c in required_cells(layout))
    required = f"=IF(AND({req}),{_q(OK + ' 必填项已填写')},{_q(BAD + ' 有必填项未填写(黄色单元格)')})"

    def presence(column: str, names: list[str], ok: str, missing: str) -> str:
        rng = layout.grid_range(column)
        if not names:
            return f"={_q(OK + ' ' + ok)}"
        conds = ",".join(f"COUNTIF({rng},{_q(n)})>0" for n in names)
        lst = "&".join(f"IF(COUNTIF({rng},{_q(n)})=0,{_q(n + ' ')},\"\")" for n in names)
        return f"=IF(AND({conds}),{_q(OK + ' ' + ok)},{_q(BAD + ' ' + missing)}&{lst})"

    level1 = presence("level1", catalog.level1_names(), "一级指标齐全", "缺少:")
    level2 = presence("level2", list(settings.get("required_level2", [])), "必需二级指标齐全", "缺少:")
    l2, l3, val = (layout.grid_range(k) for k in ("level2", "level3", "value"))
    no_l3 = f"COUNTIFS({l2},\"<>\",{l3},\"\")"
    level3 = f"=IF({no_l3}=0,{_q(OK + ' 三级指标已填写')},{_q(BAD + ' 有')}&{no_l3}&{_q('行缺三级指标')})"
    no_val = f"COUNTIFS({l3},\"<>\",{val},\"\")"
    values = f"=IF({no_val}=0,{_q(OK + ' 指标值已填写')},{_q(BAD + ' 有')}&{no_val}&{_q('个三级指标未填指标值')})"
    col = get_column_letter(layout.check_value_col)
    first = layout.department_row + 1
    span = f"${col}${first}:${col}${first + 5}"
    total = (
        f"=IF(SUMPRODUCT(--(LEFT({span},1)={_q(BAD)}))=0,{_q(OK + ' 全部通过')},"
        f"{_q(BAD + ' 有')}&SUMPRODUCT(--(LEFT({span},1)={_q(BAD)}))&{_q('项未通过')})"
    )
    forms = (funds, required, level1, level2, level3, values, total)
    return list(zip(CHECK_TITLES, forms, strict=True))


def add_checks(ws: Worksheet, layout: FormLayout, catalog: Catalog) -> None:
    """Fund validations, the check area (right of the print area) and conditional formatting."""
    from openpyxl.styles import Border

    tol = float(catalog.settings.get("fund_tolerance", 0.005))
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = "金额无效"
    dv.error = "请输入不小于 0 的数字(单位:万元)。"
    dv.showInputMessage = True
    dv.promptTitle = "项目资金"
    dv.prompt = "单位:万元,填数字。年度资金总额应等于财政拨款与其他资金之和。"
    for cell in layout.fund_cells():
        dv.add(cell)
    ws.add_data_validation(dv)

    lc, vc = layout.check_label_col, layout.check_value_col
    head_row = layout.department_row
    border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    head = ws.cell(head_row, lc, CHECK_AREA_LABEL)
    head.font, head.fill, head.alignment, head.border = FONT_BOLD, FILL_CHECK_HEADER, CENTER, border
    note = ws.cell(head_row, vc, "自动检查结果(不打印;✘ 表示需要修改)")
    note.font, note.fill, note.alignment, note.border = FONT, FILL_CHECK_HEADER, LEFT, border
    for offset, (title, formula) in enumerate(check_formulas(layout, catalog), start=1):
        t = ws.cell(head_row + offset, lc, title)
        t.font, t.alignment, t.border = FONT_BOLD, CENTER, border
        v = ws.cell(head_row + offset, vc, formula)
        v.font, v.alignment, v.border = FONT, LEFT, border
    ws.column_dimensions[get_column_letter(lc - 1)].width = 3
    ws.column_dimensions[get_column_letter(lc)].width = 13
    ws.column_dimensions[get_column_letter(vc)].width = 42
    col = get_column_letter(vc)
    rng = f"{col}{head_row + 1}:{col}{head_row + len(CHECK_TITLES)}"
    top = f"{col}{head_row + 1}"
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f'LEFT({top},1)="{BAD}"'], font=FONT_WRONG, fill=FILL_WRONG))
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f'LEFT({top},1)="{OK}"'], font=FONT_OK))

    # Wrong cells: unbalanced total red; empty required fields yellow; grid gaps yellow; bad pairs red.
    ws.conditional_formatting.add(
        layout.value_cell("funds.total"), FormulaRule(formula=[funds_unbalanced(layout, tol)], fill=FILL_WRONG, font=FONT_WRONG)
    )
    for cell in required_cells(layout):
        ws.conditional_formatting.add(cell, FormulaRule(formula=[f"LEN(TRIM({cell}))=0"], fill=FILL_MISSING))
    first = layout.grid_first
    l1, l2, l3, val = (layout.grid_letter(k) for k in ("level1", "level2", "level3", "value"))
    ws.conditional_formatting.add(
        layout.grid_range("value", absolute=False),
        FormulaRule(formula=[f'AND(${l3}{first}<>"",${val}{first}="")'], fill=FILL_MISSING),
    )
    ws.conditional_formatting.add(
        layout.grid_range("level3", absolute=False),
        FormulaRule(formula=[f'AND(${l2}{first}<>"",${l3}{first}="")'], fill=FILL_MISSING),
    )
    bad_pair = f'AND(${l2}{first}<>"",ISERROR(MATCH(${l2}{first},{level2_formula(f"${l1}{first}")},0)))'
    ws.conditional_formatting.add(
        layout.grid_range("level2", absolute=False), FormulaRule(formula=[bad_pair], fill=FILL_WRONG, font=FONT_WRONG)
    )
    bad_l1 = f'AND(${l1}{first}<>"",ISERROR(MATCH(${l1}{first},{L1_NAME},0)))'
    ws.conditional_formatting.add(
        layout.grid_range("level1", absolute=False), FormulaRule(formula=[bad_l1], fill=FILL_WRONG, font=FONT_WRONG)
    )
