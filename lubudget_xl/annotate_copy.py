"""Write an annotated copy of a workbook: each finding as a cell note and fill, plus `校验结果`.

Applies an `annotations.AnnotationPlan` with openpyxl. The source is opened read-only from disk
and never written; the copy is written through `fsutil.atomic_path`, so an interrupted run leaves
no half-written file. Macros of .xlsm files are kept (`keep_vba`); openpyxl drops a ribbon
(customUI) part, which a reviewer's copy does not need.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from lubudget_xl.annotations import FILLS, RESULT_SHEET, AnnotationPlan, plan_annotations
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import atomic_path, fit_name
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.printing import A4, FOOTER_CENTRE, MARGINS, Heading, lines_needed, row_height
from lubudget_xl.xlsxtext import put, put_row

ANNOTATABLE = (".xlsx", ".xlsm")


def annotated_name(source: Path) -> str:
    """`市长热线.xlsx` → `市长热线_校验.xlsx` (never the source's own name; a long name is cut with
    a short hash so the copy's name stays within the file-name limit, see `fsutil.fit_name`)."""
    return fit_name(source.stem, f"_校验{source.suffix}")


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
            name = fit_name(f"{source.stem}_{parent}", f"_校验{source.suffix}")
        base, counter = name, 2
        while name.lower() in taken:
            name = f"{Path(base).stem}{counter}{source.suffix}"
            counter += 1
        taken.add(name.lower())
        out.append(name)
    return out


def write_annotated_copy(
    source: str | Path, issues: Iterable[Issue], out_dir: str | Path, name: str | None = None,
    heading: Heading | None = None,
) -> tuple[Path, AnnotationPlan]:
    """Copy `source` into `out_dir` with the findings marked; returns the copy's path and the plan.

    `name` overrides the copy's file name (a batch uses `distinct_names` so copies never clash);
    `heading` (issuing unit, date, deadline) goes into the title block of 校验结果.
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
    plan.heading = result_heading(source, plan, heading or Heading())
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


def result_heading(source: Path, plan: AnnotationPlan, heading: Heading) -> tuple[str, ...]:
    """The title block of a copy's 校验结果: what was checked, who issues it when, what to do by when."""
    counts = Counter(row.severity for row in plan.rows)
    summary = (
        f"错误 {counts['错误']} 个,警告 {counts['警告']} 个,提示 {counts['提示']} 个。"
        "单元格批注和底色标出了每个问题的位置,点击“位置”可跳转;" + heading.request("修改后请重新报送。")
        if plan.rows
        else "未发现问题。"
    )
    return (f"{source.name} 校验结果", heading.issued_line(), summary)


def _write_result_sheet(book: Workbook, plan: AnnotationPlan) -> None:
    """The plan's 校验结果 sheet (layout from `plan.layout`): the title block, then one row per
    finding, 位置 linking to the cell; printed as an A4 document (`printing`)."""
    layout = plan.layout
    sheet = book.create_sheet(plan.sheet_name, 0 if layout.first else None)
    columns = len(layout.titles)
    total_width = sum(layout.widths)
    for row, line in enumerate(plan.heading, start=1):
        size = 16 if row == 1 else 11
        put(sheet.cell(row, 1), line)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        sheet.cell(row, 1).font = Font(bold=row == 1, size=size)
        sheet.cell(row, 1).alignment = Alignment(
            horizontal="center" if row == 1 else "left", vertical="center", wrap_text=True
        )
        sheet.row_dimensions[row].height = 8 + size * 1.4 * lines_needed(line, total_width, size)
    top = plan.header_row
    for row, values in enumerate(plan.table(), start=top):
        put_row(sheet, row, values)  # department text (项目, 问题 …) starting with = stays text
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[top]:
        cell.font = Font(bold=True, size=11)
        cell.fill = PatternFill("solid", fgColor=layout.header_fill)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    fills = {s.label: FILLS[s] for s in Severity}
    for current, row in enumerate(plan.rows, start=top + 1):
        for column in range(1, columns + 1):
            cell = sheet.cell(current, column)
            cell.border = border
            cell.alignment = Alignment(wrap_text=column in layout.wrap_columns, vertical="top")
            cell.font = Font(size=9 if column == layout.code_column else 11)
        sheet.row_dimensions[current].height = row_height(
            [(text, layout.widths[c], 9 if c + 1 == layout.code_column else 11) for c, text in enumerate(row.values())]
        )
        sheet.cell(current, layout.severity_column).fill = PatternFill(
            "solid", fgColor=fills.get(row.severity, "FFFFFF")
        )
        if row.target:
            link = sheet.cell(current, layout.link_column)
            # `location` makes an in-workbook link (no external relationship): Excel, WPS and
            # LibreOffice all jump to the cell.
            link.hyperlink = Hyperlink(ref=link.coordinate, location=row.target.lstrip("#"))
            link.font = Font(color="0563C1", underline="single", size=11)
    for index, width in enumerate(layout.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = plan.freeze
    page_setup(sheet, top)
    if plan.filter_ref():
        sheet.auto_filter.ref = plan.filter_ref()
    book.active = book.sheetnames.index(plan.sheet_name)


def page_setup(sheet: Worksheet, title_row: int, landscape: bool = True) -> None:
    """A4, one page wide and as many pages tall as needed (both settings are needed, see EXCEL.md),
    row `title_row` on every page, page numbers in the footer."""
    sheet.page_setup.paperSize = A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{title_row}:{title_row}"
    sheet.page_margins = PageMargins(**MARGINS)
    sheet.oddFooter.center.text = FOOTER_CENTRE
    sheet.print_options.horizontalCentered = True
