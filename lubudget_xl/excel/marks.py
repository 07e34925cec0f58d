"""Apply an annotation plan to a workbook through the port, and take it away again.

The plan (`lubudget_xl.annotations`) is the same one the annotated-copy writer applies, so a finding
looks the same in the filler's Excel and in a reviewer's copy. To clear exactly what we wrote, and
give back the fills and notes cells had before, each marked cell is recorded in a hidden sheet.
"""

from __future__ import annotations

from lubudget_xl.annotations import FILLS, RESULT_SHEET, AnnotationPlan
from lubudget_xl.excel.port import WorkbookPort
from lubudget_xl.issues import Severity
from lubudget_xl.printing import FOOTER_CENTRE

MARKS_SHEET = "_lubudget_marks"  # hidden: sheet, cell, fill and note before we marked it
OUR_SHEETS = (RESULT_SHEET, MARKS_SHEET)
_RECORD_HEADER = ["sheet", "cell", "fill_before", "note_before"]


def clear_marks(port: WorkbookPort) -> int:
    """Remove our notes, fills, 校验结果 and the record; returns how many cells were restored."""
    names = port.sheet_names()
    restored = 0
    if MARKS_SHEET in names:
        for row in port.values(MARKS_SHEET)[1:]:
            sheet, cell, fill, note = (list(row) + [None] * 4)[:4]
            if sheet in names and cell:
                port.set_fill(sheet, str(cell), str(fill) if fill else None)
                port.set_note(sheet, str(cell), str(note) if note else None)
                restored += 1
        port.delete_sheet(MARKS_SHEET)
    if RESULT_SHEET in names:
        port.delete_sheet(RESULT_SHEET)
    return restored


def _write_result_sheet(port: WorkbookPort, plan: AnnotationPlan) -> None:
    """The same 校验结果 sheet as the annotated copy: layout from `plan.layout`."""
    layout, name = plan.layout, plan.sheet_name
    port.add_sheet(name, first=layout.first)
    port.write_values(name, plan.cell(-1, 1), plan.table())
    for column, width in enumerate(layout.widths, start=1):
        port.set_column_width(name, column, width, wrap=column in layout.wrap_columns)
    for column in range(1, len(layout.titles) + 1):
        port.set_fill(name, f"{plan.cell(-1, column)}", layout.header_fill)
        port.set_bold(name, plan.cell(-1, column))
    fills = {s.label: FILLS[s] for s in Severity}
    for number, row in enumerate(plan.rows):
        port.set_fill(name, plan.cell(number, layout.severity_column), fills.get(row.severity))
        if row.target:
            port.set_link(name, plan.cell(number, layout.link_column), row.target.removeprefix("#"))
    port.freeze(name, plan.freeze)
    port.set_print(name, plan.header_row, FOOTER_CENTRE)
    ref = plan.filter_ref()
    if ref:
        port.set_filter(name, ref)


def apply_plan(port: WorkbookPort, plan: AnnotationPlan) -> None:
    """Notes and fills on the marked cells, then a 校验结果 sheet with one linked row per finding."""
    record = [_RECORD_HEADER]
    for mark in plan.marks:
        record.append([mark.sheet, mark.cell, port.fill(mark.sheet, mark.cell) or "", port.note(mark.sheet, mark.cell) or ""])
        port.set_note(mark.sheet, mark.cell, mark.note)
        port.set_fill(mark.sheet, mark.cell, mark.fill)
    if plan.rows:
        _write_result_sheet(port, plan)
    if len(record) > 1:
        port.add_sheet(MARKS_SHEET, hidden=True)
        port.write_values(MARKS_SHEET, "A1", record)
