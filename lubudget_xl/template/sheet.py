"""One project sheet of the official form: labels, merges, fonts, borders, widths, print setup,
protection. Dropdowns and checks are attached by their own modules.

The printed sheet is signed and stamped, so it must look like the published form (the seed) on A4.
"""

from __future__ import annotations

from openpyxl.styles import Protection
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from lubudget_xl.template.layout import (
    BORDER,
    CENTER,
    DEPARTMENT_LABEL,
    FONT,
    FONT_BOLD,
    FONT_TITLE,
    FUNDS_LABEL,
    GRID_COLUMNS,
    INDICATORS_LABEL,
    LABEL_COLUMN_WIDTH,
    LEFT,
    LEFT_TOP,
    NUMBER_FORMAT_FUNDS,
    TITLE_SUFFIX,
    UNDERLINE,
    FormLayout,
    field_label,
)

UNLOCKED = Protection(locked=False)
ROW_HEIGHT = 22  # points; header and fund rows
GOAL_HEIGHT = 75


def title_formula(layout: FormLayout) -> str:
    """Blank template: the title follows the department typed into 填报单位(盖章)."""
    return f'=IF(LEN(TRIM(B{layout.department_row}))=0,"",TRIM(B{layout.department_row}))&"{layout.year}{TITLE_SUFFIX}"'


def title_text(department: str, year: int) -> str:
    return f"{department}{year}{TITLE_SUFFIX}"


def _box(ws: Worksheet, row: int, c1: int, c2: int, value=None, *, font=FONT, align=CENTER, unlocked=False):
    """Write `value` into a (possibly merged) box row/c1..c2 with borders on every covered cell."""
    for col in range(c1, c2 + 1):
        cell = ws.cell(row, col)
        cell.border = BORDER
        cell.font = font
        cell.alignment = align
        if unlocked:
            cell.protection = UNLOCKED
    if c2 > c1:
        ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)
    anchor = ws.cell(row, c1)
    if value is not None:
        anchor.value = value
    return anchor


def write_form(ws: Worksheet, layout: FormLayout) -> None:
    """Labels, boxes and styles of an empty project form with `layout.grid_rows` indicator rows."""
    last = layout.last_col
    ws.sheet_format.defaultRowHeight = 18
    ws.column_dimensions["A"].width = LABEL_COLUMN_WIDTH
    for key in layout.grid_keys:
        ws.column_dimensions[layout.grid_letter(key)].width = GRID_COLUMNS[key][1]

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    title = ws.cell(1, 1, title_formula(layout))
    title.font, title.alignment = FONT_TITLE, CENTER
    ws.row_dimensions[1].height = 36
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    year = ws.cell(2, 1, f"({layout.year}年度)")
    year.font, year.alignment = FONT, CENTER
    ws.row_dimensions[2].height = 20

    r = layout.department_row
    label = ws.cell(r, 1, DEPARTMENT_LABEL)
    label.font, label.alignment = FONT, LEFT
    for col in range(2, last - 1):
        cell = ws.cell(r, col)
        cell.border, cell.font, cell.alignment, cell.protection = UNDERLINE, FONT, LEFT, UNLOCKED
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=last - 2)
    ws.row_dimensions[r].height = 24

    for key in layout.header_fields:
        row = layout.rows[key]
        _box(ws, row, 1, 1, field_label(key), font=FONT_BOLD)
        if key == "goal":
            _box(ws, row, 2, last, font=FONT, align=LEFT_TOP, unlocked=True)
            ws.row_dimensions[row].height = GOAL_HEIGHT
        else:
            _box(ws, row, 2, last, font=FONT, align=LEFT, unlocked=True)
            ws.row_dimensions[row].height = ROW_HEIGHT

    first_fund = layout.rows[layout.fund_rows[0]]
    last_fund = layout.rows[layout.fund_rows[-1]]
    for fund in layout.fund_rows:
        row = layout.rows[fund]
        _box(ws, row, 1, 1, font=FONT_BOLD)
        _box(ws, row, 2, layout.fund_col - 1, field_label(fund), font=FONT, align=LEFT)
        value = _box(ws, row, layout.fund_col, last, font=FONT, align=CENTER, unlocked=True)
        value.number_format = NUMBER_FORMAT_FUNDS
        ws.row_dimensions[row].height = ROW_HEIGHT
    ws.merge_cells(start_row=first_fund, start_column=1, end_row=last_fund, end_column=1)
    ws.cell(first_fund, 1).value = FUNDS_LABEL

    write_grid(ws, layout)
    setup_print(ws, layout)
    protect(ws)


def write_grid(ws: Worksheet, layout: FormLayout) -> None:
    """The 绩效指标 grid: header row, then `grid_rows` bordered, unlocked input rows."""
    head = layout.grid_header_row
    _box(ws, head, 1, 1, INDICATORS_LABEL, font=FONT_BOLD)
    for key in layout.grid_keys:
        _box(ws, head, layout.grid_col(key), layout.grid_col(key), GRID_COLUMNS[key][0], font=FONT_BOLD)
    ws.row_dimensions[head].height = ROW_HEIGHT
    for row in range(layout.grid_first, layout.grid_last + 1):
        # Excel refuses to delete a row holding any locked cell, even with deleteRows allowed: unlock
        # the whole row (row style), not only the form's cells.
        ws.row_dimensions[row].protection = UNLOCKED
        _box(ws, row, 1, 1, font=FONT_BOLD, unlocked=True)
        for key in layout.grid_keys:
            align = LEFT if key in ("level3", "value") else CENTER
            _box(ws, row, layout.grid_col(key), layout.grid_col(key), font=FONT, align=align, unlocked=True)
    # The label spans the whole grid (unlocked too, for the same reason).
    ws.merge_cells(start_row=head, start_column=1, end_row=layout.grid_last, end_column=1)


def setup_print(ws: Worksheet, layout: FormLayout) -> None:
    """A4 portrait, one page wide, centred; later pages repeat the 项目名称 row (as the seed does)."""
    ws.print_area = f"A1:{layout.last_letter}{layout.grid_last}"
    name_row = layout.rows.get("name")
    if name_row:
        ws.print_title_rows = f"{name_row}:{name_row}"
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = ws.ORIENTATION_PORTRAIT
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页,共 &N 页"
    ws.oddFooter.center.font = "宋体"
    # The check area right of the form never prints: a column break after the form's last column.
    ws.col_breaks.append(Break(id=layout.last_col))
    ws.sheet_view.zoomScale = 100
    ws.sheet_view.showGridLines = False


def protect(ws: Worksheet) -> None:
    """Lock the layout, leave the input cells (unlocked above) editable; rows may be inserted/deleted.

    In openpyxl a protection flag set to False means the action is NOT protected, i.e. allowed.
    """
    p = ws.protection
    p.sheet = True
    p.insertRows = False
    p.deleteRows = False
    p.formatRows = False
    p.formatColumns = False
    p.formatCells = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False

