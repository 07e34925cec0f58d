"""Rows that extraction broke apart, put back together before the importer reads them.

- a level name broken across lines (`项目效益` / `指标`);
- a grid heading row spread over several lines, a few headings per line (`绩效指标 | 一级 指标 |` /
  `二级 指标 |` / `三级 指标 |` …, one cell per line where the cells wrap).
The joined row keeps every line it came from (`Row.span`), so every line stays accounted for.
"""

from __future__ import annotations

from lubudget_xl.catalog import Catalog
from lubudget_xl.catalog.vocabulary import vocabulary
from lubudget_xl.textimport.cells import Cell, Row
from lubudget_xl.textimport.grid import _is_level, parse_grid_header
from lubudget_xl.textimport.labels import clean_label


def join_broken_level_names(rows: list[Row], catalog: Catalog) -> list[Row]:
    """A level name broken across lines (`项目效益` / `指标`): the line holding only 指标 (or 目标) joins
    the previous line's last cell when together they make a level name the catalogue or the form
    vocabulary knows; the joined row keeps both lines."""
    out: list[Row] = []
    for row in rows:
        prev = next((r for r in reversed(out) if not r.blank), None)
        tail = clean_label(row.joined("")) if len(row.filled) == 1 else ""
        if prev is not None and tail in ("指标", "目标"):
            last = prev.filled[-1]
            joined = last.text + tail
            if _is_level(catalog, joined):
                cells = [Cell(c.col, joined) if c is last else c for c in prev.cells]
                out[out.index(prev)] = Row(prev.number, prev.raw, cells, (*prev.span, row.number), prev.exact)
                continue
        out.append(row)
    return out



def join_broken_heading(rows: list[Row]) -> list[Row]:
    """Consecutive rows holding only grid headings (and the 绩效指标 label), none a heading row alone,
    that together are one: joined into one row, the headings in order from column 0 (the label, a
    merged cell the data rows do not repeat, is left out)."""
    out: list[Row] = []
    heads = [not row.blank and all(_heading_cell(c.text) for c in row.filled) for row in rows]
    n = 0
    while n < len(rows):
        run = _heading_run(rows, heads, n) if heads[n] else []
        if len(run) >= 2:
            texts = [c.text for r in run for c in r.filled if vocabulary().header_field(c.text) != "grid"]
            joined = Row(run[0].number, " | ".join(r.raw for r in run), [Cell(k, t) for k, t in enumerate(texts)],
                         tuple(x for r in run[1:] for x in (r.number, *r.span)) + run[0].span)
            if parse_grid_header(joined) is not None:
                out.append(joined)
                n += len(run)
                continue
        out.append(rows[n])
        n += 1
    return out


def _heading_run(rows: list[Row], heads: list[bool], n: int) -> list[Row]:
    """The rows from `n` on that hold only headings (`heads`), when the first alone is no heading row."""
    run: list[Row] = []
    for k in range(n, len(rows)):
        if not heads[k]:
            break
        row = rows[k]
        run.append(row)
        if len(run) == 1 and parse_grid_header(row) is not None:
            return []
    return run if run and any(vocabulary().grid_column(c.text) for c in run[0].filled) else []


def _heading_cell(text: str) -> bool:
    return bool(vocabulary().grid_column(text)) or vocabulary().header_field(text) == "grid"
