"""Header rows of a project table: label/value pairs and the 项目资金 block.

A row may hold several label/value pairs (newer forms put 主管部门及代码 and 实施单位 side by side,
and some put 年度资金总额 / 财政拨款 / 其他资金 on one row), so rows are cut at every known label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lubudget_xl.textimport.cells import Cell, Row
from lubudget_xl.textimport.labels import clean_label, fund_label, header_field, parse_amount


@dataclass
class Segment:
    """A label (None for text before the first label) and the cells that follow it."""

    label: Cell | None
    key: str | None
    values: list[Cell] = field(default_factory=list)

    def text(self, sep: str = " ") -> str:
        return sep.join(c.text for c in self.values)


def segments(row: Row) -> list[Segment]:
    found: list[Segment] = []
    for cell in _rejoin_split_labels(row.filled):
        key = header_field(cell.text)
        glued = None if key else _glued_label(cell)
        if key:
            found.append(Segment(label=cell, key=key))
        elif glued:
            found.append(glued)
        elif found:
            found[-1].values.append(cell)
        else:
            found.append(Segment(label=None, key=None, values=[cell]))
    return found


def _glued_label(cell: Cell) -> Segment | None:
    """`预算单位:东莞市交通运输局` in one cell: the label and its value split at the colon."""
    label, colon, value = cell.text.replace("：", ":").partition(":")
    if not colon or not value.strip():
        return None
    key = header_field(label)
    return Segment(label=Cell(cell.col, label), key=key, values=[Cell(cell.col, value.strip())]) if key else None


def _rejoin_split_labels(cells: list[Cell]) -> list[Cell]:
    """Two cells that are one label split at a space (`年度主要目标     和成果`, `专项立项 依据`): joined
    where together they are a label of the form vocabulary."""
    out: list[Cell] = []
    n = 0
    while n < len(cells):
        cell = cells[n]
        if n + 1 < len(cells) and len(cells[n + 1].text) <= 6:
            joined = clean_label(cell.text + cells[n + 1].text)
            if header_field(joined):
                out.append(Cell(cell.col, joined))
                n += 2
                continue
        out.append(cell)
        n += 1
    return out


@dataclass
class FundEntry:
    """One fund label and its amount. `key` is total/fiscal/other or the label of an extra row."""

    key: str
    label: Cell
    amount: float | None
    amount_cell: Cell | None
    understood: bool = True


def fund_entries(cells: list[Cell]) -> tuple[list[FundEntry], list[Cell]]:
    """Pair fund labels with the amount after them; also return cells that were neither."""
    entries: list[FundEntry] = []
    stray: list[Cell] = []
    for cell in cells:
        key = fund_label(cell.text)
        if key:
            entries.append(FundEntry(key=key, label=cell, amount=None, amount_cell=None))
            continue
        if clean_label(cell.text) in ("项目资金", "项目资金(万元)", "资金情况(万元)"):
            continue
        if entries and entries[-1].amount_cell is None:
            amount, ok = parse_amount(cell.text)
            entries[-1].amount, entries[-1].amount_cell, entries[-1].understood = amount, cell, ok
        else:
            stray.append(cell)
    return entries, stray


def is_fund_row(row: Row, total: bool = False) -> bool:
    """A row starting with a fund label; with `total`, only the year's total (项目金额 | 164万元, a fund
    row among the header rows with no 项目资金 label before it)."""
    filled = row.filled
    found = fund_label(filled[0].text) if filled else None
    return found == "total" if total else found is not None
