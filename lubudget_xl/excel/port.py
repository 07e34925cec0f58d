"""The one narrow interface between the bridge and a workbook (STYLE.md: mock only Excel itself).

`XlwingsWorkbookPort` implements it over a live Excel workbook (thin, untestable without Excel);
`FileWorkbookPort` over an .xlsx file through openpyxl, which is what tests and `make demo` use, so
everything on our side of this interface runs for real on Linux.

Conventions: sheets by name; cells as A1 text ("B12"); rows 1-based; grids are lists of rows with
row 0 / column 0 = cell A1 (the reader's `read_sheets` convention); colours as "RRGGBB" text or None
(no fill).
"""

from __future__ import annotations

from typing import Any, Protocol


class WorkbookPort(Protocol):
    def workbook_path(self) -> str:
        """Full path of the workbook file; "" when it was never saved."""

    def custom_properties(self) -> dict[str, Any]:
        """Custom document properties (the template identity lives here)."""

    def sheet_names(self) -> list[str]: ...

    def active_sheet(self) -> str: ...

    def active_cell(self) -> str:
        """A1 address of the active cell on the active sheet."""

    def values(self, sheet: str) -> list[list[Any]]:
        """Cell values from A1 to the last used cell (formulas give their computed value)."""

    def merged_ranges(self, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged areas as ((first_row, first_col), (last_row, last_col)), 0-based, inclusive."""

    def write_values(self, sheet: str, cell: str, rows: list[list[Any]]) -> None:
        """Write a block of values with its top-left corner at `cell`."""

    def fill(self, sheet: str, cell: str) -> str | None: ...

    def set_fill(self, sheet: str, cell: str, rgb: str | None) -> None: ...

    def note(self, sheet: str, cell: str) -> str | None:
        """The cell's note (comment) text, or None."""

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        """Replace the cell's note; None removes it."""

    def set_link(self, sheet: str, cell: str, location: str) -> None:
        """Make `cell` a hyperlink to an in-workbook location such as `'项目1'!B5`."""

    def add_sheet(self, name: str, *, hidden: bool = False, first: bool = False) -> None:
        """Add an empty sheet after the last one (before the first one with `first`)."""

    def set_column_width(self, sheet: str, column: int, width: float, *, wrap: bool = False) -> None:
        """Column width (1-based column) in characters; `wrap` wraps the text of its written cells."""

    def set_bold(self, sheet: str, cell: str) -> None: ...

    def freeze(self, sheet: str, cell: str) -> None:
        """Freeze the rows above and the columns left of `cell` ("A2": the title row)."""

    def set_filter(self, sheet: str, ref: str) -> None:
        """An auto-filter over `ref` ("A1:F20")."""

    def set_print(self, sheet: str, title_row: int, footer: str, *, landscape: bool = True) -> None:
        """Print `sheet` on A4, one page wide and as many pages tall as needed, row `title_row`
        repeated on every page, `footer` (Excel codes: &P page, &N pages) centred, gridlines printed."""

    def delete_sheet(self, name: str) -> None: ...

    def copy_sheet(self, source: str, name: str) -> None:
        """Copy a sheet (values, formats, merges, validations) to a new sheet after the last one."""

    def insert_row(self, sheet: str, row: int) -> None:
        """Insert an empty row at `row`, formatted like the row above it; later rows move down."""

    def status(self, text: str | None) -> None:
        """Show `text` in the status bar; None gives the status bar back to Excel."""

    def message(self, text: str) -> None:
        """Show a message box to the user."""
