"""`WorkbookPort` over a live Excel workbook through xlwings: thin, one xlwings call per method.

This is the only module that touches xlwings, and it imports it lazily, so importing the bridge
(and every test on Linux) works without Excel. It cannot run here: xlwings' `Book.caller()` needs
Excel; docs/windows-acceptance.md lists the manual steps that exercise it.
"""

from __future__ import annotations

import contextlib
from typing import Any

TITLE = "绩效目标"
_TYPED_AS_FORMULA_OR_PREFIX = ("'", "=", "+", "-", "@")


def as_excel_value(value: Any) -> Any:
    """What to assign to Range.Value so the cell holds `value` as written: Excel reads a leading
    apostrophe as its text prefix (the location '项目1'!B5 would lose its first quote) and a leading
    = + - @ as a formula; an apostrophe in front keeps such text literal (the no-COM macros do the same)."""
    if isinstance(value, str) and value.startswith(_TYPED_AS_FORMULA_OR_PREFIX):
        return "'" + value
    return value


class XlwingsWorkbookPort:
    def __init__(self, book: Any):
        self.book = book
        self.app = book.app

    @classmethod
    def caller(cls) -> XlwingsWorkbookPort:
        """The workbook that called RunPython (the active workbook, for an add-in)."""
        import xlwings

        return cls(xlwings.Book.caller())

    def _range(self, sheet: str, cell: str) -> Any:
        return self.book.sheets[sheet].range(cell)

    def workbook_path(self) -> str:
        return self.book.fullname if self.book.api.Path else ""

    def custom_properties(self) -> dict[str, Any]:
        props = self.book.api.CustomDocumentProperties
        return {props.Item(i).Name: props.Item(i).Value for i in range(1, props.Count + 1)}

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def active_sheet(self) -> str:
        return self.book.sheets.active.name

    def active_cell(self) -> str:
        selection = self.app.selection  # None when a shape or chart is selected
        return selection[0].get_address(False, False) if selection is not None else "A1"

    def values(self, sheet: str) -> list[list[Any]]:
        sht = self.book.sheets[sheet]
        last = sht.used_range.last_cell
        grid = sht.range((1, 1), (last.row, last.column)).options(ndim=2, empty=None).value
        return [list(row) for row in grid or []]

    def merged_ranges(self, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        sht = self.book.sheets[sheet]
        last = sht.used_range.last_cell
        found: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
        for r in range(1, last.row + 1):
            row = sht.range((r, 1), (r, last.column))
            if row.api.MergeCells is False:  # True: all merged; None: some merged
                continue
            for c in range(1, last.column + 1):
                area = sht.range((r, c)).api.MergeArea
                if area.Count > 1:
                    first_r, first_c = area.Row, area.Column
                    last_r, last_c = first_r + area.Rows.Count - 1, first_c + area.Columns.Count - 1
                    found[area.Address] = ((first_r - 1, first_c - 1), (last_r - 1, last_c - 1))
        return list(found.values())

    def write_values(self, sheet: str, cell: str, rows: list[list[Any]]) -> None:
        self._range(sheet, cell).value = [[as_excel_value(v) for v in row] for row in rows]

    def fill(self, sheet: str, cell: str) -> str | None:
        color = self._range(sheet, cell).color
        return "{:02X}{:02X}{:02X}".format(*color) if color else None

    def set_fill(self, sheet: str, cell: str, rgb: str | None) -> None:
        self._range(sheet, cell).color = tuple(int(rgb[i : i + 2], 16) for i in (0, 2, 4)) if rgb else None

    def note(self, sheet: str, cell: str) -> str | None:
        note = self._range(sheet, cell).note
        return note.text if note is not None else None

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        rng = self._range(sheet, cell)
        if rng.note is not None:
            rng.note.delete()
        if text is not None:
            rng.api.AddComment(text)

    def set_link(self, sheet: str, cell: str, location: str) -> None:
        rng = self._range(sheet, cell)
        self.book.sheets[sheet].api.Hyperlinks.Add(
            Anchor=rng.api, Address="", SubAddress=location, TextToDisplay=str(rng.value or location)
        )

    def add_sheet(self, name: str, *, hidden: bool = False, first: bool = False) -> None:
        if first:
            sheet = self.book.sheets.add(name, before=self.book.sheets[0])
        else:
            sheet = self.book.sheets.add(name, after=self.book.sheets[-1])
        if hidden:
            sheet.visible = False

    def set_column_width(self, sheet: str, column: int, width: float, *, wrap: bool = False) -> None:
        rng = self.book.sheets[sheet].range((1, column)).entire_column
        rng.column_width = width
        if wrap:
            rng.api.WrapText = True

    def set_bold(self, sheet: str, cell: str) -> None:
        self._range(sheet, cell).font.bold = True

    def freeze(self, sheet: str, cell: str) -> None:
        # Excel freezes through the window: activate the sheet, select the cell, freeze
        self.book.sheets[sheet].activate()
        window = self.app.api.ActiveWindow
        window.FreezePanes = False
        self._range(sheet, cell).select()
        window.FreezePanes = True

    def set_filter(self, sheet: str, ref: str) -> None:
        self._range(sheet, ref).api.AutoFilter(1)

    def set_print(self, sheet: str, title_row: int, footer: str, *, landscape: bool = True) -> None:
        setup = self.book.sheets[sheet].api.PageSetup
        settings = (
            ("PaperSize", 9),  # xlPaperA4
            ("Orientation", 2 if landscape else 1),  # xlLandscape / xlPortrait
            ("Zoom", False), ("FitToPagesWide", 1), ("FitToPagesTall", False),  # False: as tall as needed
            ("PrintTitleRows", f"${title_row}:${title_row}"), ("CenterFooter", footer), ("PrintGridlines", True),
        )  # fmt: skip
        for name, value in settings:
            # Excel refuses some page settings when no printer is installed: printing must never stop the marks
            with contextlib.suppress(Exception):
                setattr(setup, name, value)

    def delete_sheet(self, name: str) -> None:
        self.book.sheets[name].delete()

    def copy_sheet(self, source: str, name: str) -> None:
        self.book.sheets[source].copy(after=self.book.sheets[-1], name=name)

    def insert_row(self, sheet: str, row: int) -> None:
        self.book.sheets[sheet].range(f"{row}:{row}").insert("down", copy_origin="format_from_left_or_above")

    def status(self, text: str | None) -> None:
        self.app.api.StatusBar = text if text is not None else False  # False gives it back to Excel

    def message(self, text: str) -> None:
        self.app.alert(text, title=TITLE)
