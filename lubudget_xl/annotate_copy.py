"""Write an annotated copy of a workbook: each finding as a cell note and fill, plus `校验结果`.

Applies an `annotations.AnnotationPlan` with openpyxl. The source is opened read-only from disk
and never written; the copy is written through `fsutil.atomic_path`, so an interrupted run leaves
no half-written file. Macros of .xlsm files are kept (`keep_vba`); openpyxl drops a ribbon
(customUI) part, which a reviewer's copy does not need.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from lubudget_xl.annotations import FILLS, RESULT_SHEET, AnnotationPlan, plan_annotations
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import atomic_path
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.xlsxtext import put_row

ANNOTATABLE = (".xlsx", ".xlsm")


def annotated_name(source: Path) -> str:
    """`市长热线.xlsx` → `市长热线_校验.xlsx` (never the source's own name)."""
    return f"{source.stem}_校验{source.suffix}"


def distinct_names(sources: Iterable[str | Path]) -> list[str]:
    """Copy names for a batch written into one folder, none overwriting another.

    `a/x.xlsx` and `b/x.xlsx` would both become `x_校验.xlsx`: when names clash, the parent folder's
    name is added (`x_a_校验.xlsx`), and a counter when even that clashes (same folder names).
    One name per source, in order; names are compared case-insensitively (Windows, macOS).
    """
    sources = [Path(s) for s in sources]
    plain: dict[str, int] = {}
    for source in sources:
        plain[annotated_name(source).lower()] = plain.get(annotated_name(source).lower(), 0) + 1
    out: list[str] = []
    taken: set[str] = set()
    for source in sources:
        name = annotated_name(source)
        if plain[name.lower()] > 1:
            parent = source.resolve().parent.name or "根目录"
            name = f"{source.stem}_{parent}_校验{source.suffix}"
        base, counter = name, 2
        while name.lower() in taken:
            name = f"{Path(base).stem}{counter}{source.suffix}"
            counter += 1
        taken.add(name.lower())
        out.append(name)
    return out


def write_annotated_copy(
    source: str | Path, issues: Iterable[Issue], out_dir: str | Path, name: str | None = None
) -> tuple[Path, AnnotationPlan]:
    """Copy `source` into `out_dir` with the findings marked; returns the copy's path and the plan.

    `name` overrides the copy's file name (a batch uses `distinct_names` so copies never clash).
    """
    source = Path(source)
    if source.suffix.lower() not in ANNOTATABLE:
        raise UserError(f"{source}: 只能为 .xlsx/.xlsm 工作簿生成批注副本")
    target = Path(out_dir) / (name or annotated_name(source))
    if target.resolve() == source.resolve():
        raise UserError(f"{source}: 批注副本不能覆盖原文件")
    try:
        book = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError …) on a damaged file: no class name shown
        raise UserError(
            f"{source}: 无法打开工作簿以生成批注副本(文件结构异常或已损坏);请在 Excel 中打开并另存为 .xlsx 后重新校验"
        ) from None
    if RESULT_SHEET in book.sheetnames:  # a copy of a copy: replace the old results
        del book[RESULT_SHEET]
    plan = plan_annotations(issues, book.sheetnames)
    for mark in plan.marks:
        cell = book[mark.sheet][mark.cell]
        if isinstance(cell, MergedCell):  # inside a merge but not its top-left cell: not writable
            continue
        comment = Comment(mark.note, "lubudget")
        comment.width, comment.height = 360, min(60 + 40 * mark.note.count("\n"), 400)
        cell.comment = comment
        cell.fill = PatternFill("solid", fgColor=mark.fill)
    _write_result_sheet(book, plan)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target, plan


def _write_result_sheet(book: Workbook, plan: AnnotationPlan) -> None:
    """The plan's 校验结果 sheet (layout from `plan.layout`): one row per finding, 位置 linking to the cell."""
    layout = plan.layout
    sheet = book.create_sheet(plan.sheet_name, 0 if layout.first else None)
    for row, values in enumerate(plan.table(), start=1):
        put_row(sheet, row, values)  # department text (column C …) starting with = stays text
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=layout.header_fill)
    fills = {s.label: FILLS[s] for s in Severity}
    for current, row in enumerate(plan.rows, start=2):
        sheet.cell(current, layout.severity_column).fill = PatternFill("solid", fgColor=fills.get(row.severity, "FFFFFF"))
        if row.target:
            link = sheet.cell(current, layout.link_column)
            # `location` makes an in-workbook link (no external relationship): Excel, WPS and
            # LibreOffice all jump to the cell.
            link.hyperlink = Hyperlink(ref=link.coordinate, location=row.target.lstrip("#"))
            link.font = Font(color="0563C1", underline="single")
        for column in layout.wrap_columns:
            sheet.cell(current, column).alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(layout.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = layout.freeze
    # Printed for the file: A4 landscape, one page wide (both settings are needed, see EXCEL.md).
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    if layout.filter_ref(len(plan.rows)):
        sheet.auto_filter.ref = layout.filter_ref(len(plan.rows))
    book.active = book.sheetnames.index(plan.sheet_name)
