"""`WorkbookPort` over an .xlsx/.xlsm file through openpyxl: what tests and `make demo` drive the bridge with.

It behaves like the Excel port where the bridge can observe it (values, notes, fills, links, sheets,
copied and inserted rows) and records what Excel would show instead of writing to a screen: every
status-bar text in `status_log` (None = given back to Excel) and every message box in `messages`.
`save()` writes atomically; the source file is only replaced when the caller saves onto it.

Known differences from Excel, which does more on a row insert: formulas elsewhere are not
re-pointed and conditional-formatting ranges do not move (validations and merged cells do).
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string, range_boundaries
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.hyperlink import Hyperlink

from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import atomic_path

NOTE_AUTHOR = "lubudget"


class FileWorkbookPort:
    def __init__(self, path: str | os.PathLike[str], *, active_sheet: str | None = None, active_cell: str = "A1"):
        self.path = Path(path)
        keep_vba = self.path.suffix.lower() == ".xlsm"
        try:
            self.book = load_workbook(self.path, keep_vba=keep_vba)
            self._cached_values = self._computed_values()
        except (OSError, ValueError, KeyError):  # openpyxl's English text and class names stay out
            raise UserError(f"{self.path}: 无法打开工作簿(文件不存在、已损坏或不是 .xlsx/.xlsm 格式)") from None
        self._active_sheet = active_sheet or self.book.active.title
        self._active_cell = active_cell
        self.status_log: list[str | None] = []
        self.messages: list[str] = []

    # --- test and demo helpers (not part of WorkbookPort) ---
    def select(self, sheet: str, cell: str = "A1") -> None:
        self._active_sheet, self._active_cell = sheet, cell

    def save(self, target: str | os.PathLike[str] | None = None) -> Path:
        target = Path(target) if target else self.path
        with atomic_path(target) as tmp:
            self.book.save(tmp)
        return target

    # --- WorkbookPort ---
    def workbook_path(self) -> str:
        return str(self.path.resolve())

    def custom_properties(self) -> dict[str, Any]:
        return {prop.name: prop.value for prop in self.book.custom_doc_props.props}

    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def active_sheet(self) -> str:
        return self._active_sheet

    def active_cell(self) -> str:
        return self._active_cell

    def _computed_values(self) -> dict[str, dict[tuple[int, int], Any]]:
        """The last computed value of every formula cell, read once; the file is closed afterwards
        (on Windows an open handle would block saving onto the same file)."""
        formulas = {
            ws.title: {(c.row, c.column) for row in ws.iter_rows() for c in row if c.data_type == "f"} for ws in self.book
        }
        out: dict[str, dict[tuple[int, int], Any]] = {name: {} for name in formulas}
        cached = load_workbook(self.path, data_only=True, read_only=True)
        try:
            for name, cells in formulas.items():
                if not cells or name not in cached.sheetnames:
                    continue
                for r, line in enumerate(cached[name].iter_rows(values_only=True), start=1):
                    for c, value in enumerate(line, start=1):
                        if (r, c) in cells:
                            out[name][(r, c)] = value
        finally:
            cached.close()
        return out

    def _cached_value(self, sheet: str, row: int, col: int) -> Any:
        return self._cached_values.setdefault(sheet, {}).get((row, col))

    def values(self, sheet: str) -> list[list[Any]]:
        ws = self.book[sheet]
        grid: list[list[Any]] = []
        for r, line in enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column), start=1):
            row = []
            for c, cell in enumerate(line, start=1):
                value = cell.value
                if cell.data_type == "f":  # a formula: what Excel would show is its last computed value
                    value = self._cached_value(sheet, r, c)
                row.append(value)
            grid.append(row)
        return grid

    def merged_ranges(self, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        return [
            ((m.min_row - 1, m.min_col - 1), (m.max_row - 1, m.max_col - 1))
            for m in self.book[sheet].merged_cells.ranges
        ]

    def write_values(self, sheet: str, cell: str, rows: list[list[Any]]) -> None:
        ws = self.book[sheet]
        col_letter, row0 = coordinate_from_string(cell)
        col0 = range_boundaries(f"{col_letter}1")[0]
        for r, line in enumerate(rows):
            for c, value in enumerate(line):
                ws.cell(row=row0 + r, column=col0 + c).value = value  # cell(value=None) would not clear

    def fill(self, sheet: str, cell: str) -> str | None:
        f = self.book[sheet][cell].fill
        rgb = f.fgColor.rgb if f is not None and f.fill_type == "solid" else None
        return rgb[-6:].upper() if isinstance(rgb, str) else None

    def set_fill(self, sheet: str, cell: str, rgb: str | None) -> None:
        target = self.book[sheet][cell]
        target.fill = PatternFill(fill_type="solid", fgColor="FF" + rgb) if rgb else PatternFill(fill_type=None)

    def note(self, sheet: str, cell: str) -> str | None:
        comment = self.book[sheet][cell].comment
        return comment.text if comment is not None else None

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        target = self.book[sheet][cell]
        if text is None:
            target.comment = None
            return
        comment = Comment(text, NOTE_AUTHOR)
        comment.width, comment.height = 320, min(60 + 18 * text.count("\n") + len(text) // 2, 400)
        target.comment = comment

    def set_link(self, sheet: str, cell: str, location: str) -> None:
        target = self.book[sheet][cell]
        target.hyperlink = Hyperlink(ref=cell, location=location)
        target.font = Font(color="0563C1", underline="single")

    def add_sheet(self, name: str, *, hidden: bool = False, first: bool = False) -> None:
        ws = self.book.create_sheet(name, 0 if first else None)
        if hidden:
            ws.sheet_state = "hidden"

    def set_column_width(self, sheet: str, column: int, width: float, *, wrap: bool = False) -> None:
        ws = self.book[sheet]
        ws.column_dimensions[get_column_letter(column)].width = width
        if wrap:
            for row in range(2, ws.max_row + 1):
                ws.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")

    def set_bold(self, sheet: str, cell: str) -> None:
        target = self.book[sheet][cell]
        target.font = Font(bold=True)

    def freeze(self, sheet: str, cell: str) -> None:
        self.book[sheet].freeze_panes = cell

    def set_filter(self, sheet: str, ref: str) -> None:
        self.book[sheet].auto_filter.ref = ref

    def set_print(self, sheet: str, title_row: int, footer: str, *, landscape: bool = True) -> None:
        ws = self.book[sheet]
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # both settings are needed (EXCEL.md)
        ws.print_title_rows = f"{title_row}:{title_row}"
        ws.oddFooter.center.text = footer
        ws.print_options.gridLines = True

    def delete_sheet(self, name: str) -> None:
        self.book.remove(self.book[name])
        self._cached_values.pop(name, None)

    def copy_sheet(self, source: str, name: str) -> None:
        src = self.book[source]
        new = self.book.copy_worksheet(src)
        new.title = name
        for dv in src.data_validations.dataValidation:
            new.data_validations.append(copy.copy(dv))
        for formatting in src.conditional_formatting:
            for rule in formatting.rules:
                new.conditional_formatting.add(str(formatting.sqref), copy.copy(rule))
        new.protection = copy.copy(src.protection)
        new.print_options = copy.copy(src.print_options)
        new.page_setup = copy.copy(src.page_setup)
        new.sheet_properties = copy.copy(src.sheet_properties)
        self._cached_values[name] = dict(self._cached_values.get(source, {}))

    def insert_row(self, sheet: str, row: int) -> None:
        ws = self.book[sheet]
        merged = [CellRange(m.coord) for m in ws.merged_cells.ranges]
        for m in list(ws.merged_cells.ranges):
            ws.unmerge_cells(m.coord)
        ws.insert_rows(row)
        for m in merged:
            ws.merge_cells(_shifted(m, row).coord)
        for dv in ws.data_validations.dataValidation:
            dv.sqref = " ".join(_shifted(CellRange(r.coord), row).coord for r in dv.sqref.ranges)
        if row > 1:
            for col in range(1, ws.max_column + 1):
                above = ws.cell(row=row - 1, column=col)
                if above.has_style:
                    ws.cell(row=row, column=col)._style = copy.copy(above._style)
            height = ws.row_dimensions[row - 1].height
            if height:
                ws.row_dimensions[row].height = height
        self._cached_values[sheet] = {  # computed values move with their cells
            (r + 1 if r >= row else r, c): v for (r, c), v in self._cached_values.get(sheet, {}).items()
        }

    def status(self, text: str | None) -> None:
        self.status_log.append(text)

    def message(self, text: str) -> None:
        self.messages.append(text)


def _shifted(rng: CellRange, row: int) -> CellRange:
    """A range after inserting a row at `row`: below it moves down, across it grows by one."""
    out = CellRange(rng.coord)
    if out.min_row >= row:
        out.shift(row_shift=1)
    elif out.max_row >= row:
        out.expand(down=1)
    return out
