"""项目资金(万元): the fund rows under the label, known (年度资金总额, 其中:财政拨款, 其他资金) or not
(上年结转, 中央, 市级 … go to `Funds.extra`).

Forms with 项目期 put 中期资金 and 年度资金 side by side: the column of 年度资金总额 is the year's money;
the other column's rows are kept as extras named like the text importer names them
(`中期资金总额`, `中期资金.财政拨款`, `中期资金.其他资金`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lubudget_xl.catalog.vocabulary import vocabulary
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Funds, Location
from lubudget_xl.reader.cells import UncalculatedFormula, cell_text, is_blank, label_key, to_number
from lubudget_xl.reader.context import SheetContext
from lubudget_xl.reader.layout import Block

FUND_FIELDS = {"funds.total": "total", "funds.fiscal": "fiscal", "funds.other": "other"}
_NAMES = {"funds.total": "年度资金总额", "funds.fiscal": "其中:财政拨款", "funds.other": "其他资金"}
_SHORT = {"funds.total": "资金总额", "funds.fiscal": "财政拨款", "funds.other": "其他资金"}


def _is_amount(text: str) -> bool:
    try:
        return to_number(text) is not None
    except ValueError:
        return False


def fund_cells(ctx: SheetContext, block: Block) -> dict[tuple[int, int], str]:
    """(row, col) of every fund sub-label in the block → fund field or the label's own text."""
    grid = block.grid_row if block.grid_row is not None else block.end
    cells = {(lb.row, lb.col): lb.field for lb in block.labels if lb.field in FUND_FIELDS and lb.row < grid}
    head = block.first.get("funds")
    if head is None:
        return cells
    label_cols = {c for _, c in cells}
    # Rows holding a label other than a fund sub-label: the sheet's labels in these rows are the block's.
    other_rows = {lb.row for lb in block.labels if lb.field not in FUND_FIELDS}
    stop = min(block.grid_row if block.grid_row is not None else block.end, block.end, len(ctx.grid))
    for r in range(head.row, stop):
        row = ctx.grid[r]
        if r > head.row and (not is_blank(ctx.cell(r, head.col)) or r in other_rows):
            break  # the next header row: the fund group ends
        first = True
        for c in range(ctx.span_end(r, head.col) + 1, min(len(row), ctx.right_limit)):
            value = row[c]
            if (r, c) in cells:
                first = False
                continue
            if not isinstance(value, str) or is_blank(value) or _is_amount(value):
                continue
            if first or c in label_cols or value.rstrip().endswith((":", "：")):
                cells[(r, c)] = _fund_key(value)
            first = False
    return cells


def _fund_key(text: str) -> str:
    """A fund row label found inside the 项目资金 block: a known field through the vocabulary
    (合计, 当年财政拨款, 本级财政 …), else the label itself (an extra fund row: 上级资金, 中央资金)."""
    found = vocabulary().fund_field(text)
    if found in ("total", "fiscal", "other"):
        return f"funds.{found}"
    return label_key(text)


def read_funds(ctx: SheetContext, cells: dict[tuple[int, int], str], locations: dict[str, Location]) -> Funds:
    """The block's fund amounts, from its `fund_cells`."""
    funds = Funds()
    if not cells:
        return funds
    annual = next((c for (_, c), f in sorted(cells.items()) if f == "funds.total"), min(c for _, c in cells))
    heads: dict[int, str] = {}
    for (_, c), name in sorted(cells.items()):
        heads.setdefault(c, _NAMES.get(name, name))
    found: list[tuple[str, int, int, Any, int]] = []  # (key, row, label col, value, value col or -1)
    for (r, c), name in sorted(cells.items()):
        if c == annual:
            key = name
        elif _NAMES.get(name, name) == heads[c]:
            key = heads[c]
        else:
            prefix = heads[c].removesuffix("总额")
            key = f"{prefix}.{_SHORT.get(name, name.removeprefix('其中:'))}"
        value, _, vc = ctx.right_of(r, c)
        found.append((key, r, c, value, vc if value is not None else -1))
    for key, r, c, value, vc in found:
        if vc < 0:
            same = Counter(f[4] for f in found if f[4] > c and f[2] == c).most_common(1)
            vc = same[0][0] if same else ctx.span_end(r, c) + 1
        what = _NAMES.get(key, key)
        ctx.check_formula(value, r, vc, what)
        amount = _amount(ctx, value, r, vc, what)
        if key in FUND_FIELDS:
            if key not in locations:
                setattr(funds, FUND_FIELDS[key], amount)
                locations[key] = ctx.loc(r, vc)
        elif key and key not in funds.extra:
            funds.extra[key] = amount
            locations[f"funds.{key}"] = ctx.loc(r, vc)
    vocabulary().complete_funds(funds, locations)
    return funds


def _amount(ctx: SheetContext, value: Any, r: int, c: int, what: str) -> float | None:
    if isinstance(value, UncalculatedFormula):
        return None
    try:
        return to_number(value)
    except ValueError:
        ctx.issues.append(
            Issue(
                "READ_FUNDS_NOT_NUMBER",
                Severity.ERROR,
                f"{what}应为金额(万元),实际为“{cell_text(value)}”",
                ctx.loc(r, c),
                project=ctx.project,
                params={"field": what, "found": cell_text(value)},
            )
        )
        return None
