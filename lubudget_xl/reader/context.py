"""What reading one block of one sheet needs: the grid, merges, labels, and an issue sink."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location
from lubudget_xl.reader.cells import UncalculatedFormula, a1, is_blank
from lubudget_xl.reader.layout import Label, SheetIndex

FORMULA_MESSAGE = "公式没有计算结果,请在 Excel 中打开并保存后再提交"


@dataclass
class SheetContext:
    file: str
    sheet: str
    grid: Sequence[Sequence[Any]]
    index: SheetIndex
    merge_end: dict[tuple[int, int], tuple[int, int]]  # top-left → bottom-right, 0-based
    issues: list[Issue] = field(default_factory=list)
    project: str | None = None
    # (level one, level two) text → canonical names, shared by the blocks of one read (one catalogue)
    levels: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    @property
    def right_limit(self) -> int:
        return self.index.check_col if self.index.check_col is not None else 1 << 30

    def cell(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.grid):
            row = self.grid[r]
            if 0 <= c < len(row):
                return row[c]
        return None

    def loc(self, r: int, c: int) -> Location:
        return Location(file=self.file, sheet=self.sheet, cell=a1(r, c))

    def span_end(self, r: int, c: int) -> int:
        """Last column of the merged range whose top-left is (r, c), else c."""
        end = self.merge_end.get((r, c))
        return end[1] if end else c

    def right_of(self, r: int, c: int) -> tuple[Any, int, int]:
        """The value right of a label: the first non-blank cell before the next label or the
        check area; (None, r, first cell right of the label's merge) when there is none."""
        first = self.span_end(r, c) + 1
        row = self.grid[r] if r < len(self.grid) else ()
        limit = min(len(row), self.right_limit)
        for cc in range(first, limit):
            if (r, cc) in self.index.label_at:
                break
            value = row[cc]
            if not is_blank(value):
                return value, r, cc
        return None, r, first

    def value_of(self, label: Label) -> tuple[Any, int, int]:
        if label.inline is not None:
            return label.inline, label.row, label.col
        return self.right_of(label.row, label.col)

    def check_formula(self, value: Any, r: int, c: int, what: str) -> None:
        """Report a field we read whose cell is a formula without a computed result."""
        if isinstance(value, UncalculatedFormula):
            self.issues.append(
                Issue(
                    "READ_FORMULA_NO_VALUE",
                    Severity.ERROR,
                    f"{what}:{FORMULA_MESSAGE}",
                    self.loc(r, c),
                    project=self.project,
                    params={"field": what, "formula": value.formula},
                )
            )
