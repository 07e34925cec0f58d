"""Finding the form on a sheet by its labels, never by fixed coordinates.

One pass over the sheet's cells builds a `SheetIndex` (labels, grid header rows, titles, the
check area); `blocks` then cuts the sheet into one block per project table. Users insert rows,
shift columns and copy sheets; all of that moves labels, and labels are what we follow.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from lubudget_xl.catalog.vocabulary import bare, vocabulary
from lubudget_xl.reader.cells import label_key

# Label keys (see cells.label_key) → field, from the form vocabulary (catalog.vocabulary). Fund
# sub-labels count as labels anywhere only when they cannot be mistaken for a value or a level name
# ("合计", "其他", "市级" are read inside the 项目资金 block only, by reader.funds).
_AMBIGUOUS_FUND_LABELS = 4  # characters: shorter fund variants are read inside the block only


def _build_labels() -> dict[str, str]:
    vocab = vocabulary()
    labels: dict[str, str] = {}
    for name, variants in vocab.variants("header").items():
        for variant in variants:
            labels.setdefault(bare(variant), name)
    for name in ("total", "fiscal", "other"):
        for variant in vocab.variants("funds")[name]:
            key = bare(variant)
            if len(key) >= _AMBIGUOUS_FUND_LABELS and key not in labels:
                labels[key] = f"funds.{name}"
            for prefixed in (f"其中:{key}", f"其中{key}"):  # 其中:财政拨款, and any other fund row so written
                labels.setdefault(prefixed, f"funds.{name}")
    for variant in vocab.variants("header_other")["grid"]:
        labels.setdefault(bare(variant), "other_grid")
    for variant in vocab.data["forms"]["end_labels"]:  # the signature block under the grid ends the table
        labels.setdefault(bare(variant), "end")
    labels["校验区"] = "check"
    return labels


LABELS: dict[str, str] = _build_labels()

# Labels that may carry their value in the same cell ("项目名称:某某项目").
INLINE_FIELDS = ("name", "unit", "competent_department", "attribute", "period", "department")
# A target table's title: the department before the year; between the year and 绩效目标…表 forms
# print the project's name, 市直部门预算项目支出, 项目支出 … (部门整体 and 自评 titles are told apart
# first, by the vocabulary).
_TITLE = re.compile(
    r"^(?P<dept>.*?)(?P<year>(?:19|20)\d{2})年度?.{0,60}?绩效目标(?:申报|审核|批复|审批)?表$"
)
_YEAR_ROW = re.compile(r"^\(?(?P<year>(?:19|20)\d{2})年度?\)?$")
_MAX_LABEL_LEN = 80
_COLON = re.compile(r"[:：]")
_BRACKETED = re.compile(r"\([^)]*\)")  # a heading's note: 本年度指标值(包含数字及文字描述)
_BLANKS = " \t\r\n\u3000\u00a0"
# First characters a label, header or year line can start with (full-width forms included).
_FIRST_CHARS = frozenset(
    {bare(v)[0] for group in ("header", "header_other", "funds", "grid_columns") for vs in vocabulary().variants(group).values() for v in vs}
    | {k[0] for k in LABELS}
    | {"(", "（", "★", "☆", "*", "※", "1", "2"}  # digits: year lines such as "2020年度)"
)


class Label(NamedTuple):  # a tuple: a sheet has many, and tuples are the cheapest to make
    row: int
    col: int
    field: str
    inline: str | None = None  # the value when written in the label's own cell


class Title(NamedTuple):
    row: int
    col: int
    department: str
    year: int | None


@dataclass
class SheetIndex:
    """Everything the form's labels tell about one sheet, found in a single pass."""

    labels: list[Label] = field(default_factory=list)
    grid_headers: dict[int, dict[str, int]] = field(default_factory=dict)  # row → field → col
    titles: list[Title] = field(default_factory=list)
    check_col: int | None = None
    list_rows: set[int] = field(default_factory=set)  # 项目名称 heading a list's column, not a form
    label_at: dict[tuple[int, int], str] = field(default_factory=dict)
    # Titles or labels of forms that are not target tables (部门整体支出绩效目标表, 绩效自评表):
    # kind → the first (row, col) where one stands.
    other_forms: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Block:
    """The rows [start, end) of one project table, and the labels inside it."""

    start: int
    end: int
    labels: list[Label]
    grid_row: int | None
    grid_cols: dict[str, int]
    titles: list[Title]

    @cached_property
    def first(self) -> dict[str, Label]:
        """The first label of each field, in reading order (a block's labels never change)."""
        found: dict[str, Label] = {}
        for label in self.labels:
            found.setdefault(label.field, label)
        return found


def _inline_label(key: str) -> tuple[str, str] | None:
    head, sep, rest = key.partition(":")
    if not sep or not rest:
        return None
    name = LABELS.get(head)
    if name is None and head.startswith("填报单位"):
        name = "department"
    if name in INLINE_FIELDS:
        return name, rest
    return None


# Cell text → what it is on a form (a label, grid header, title, year line, inline label), or
# () for nothing. It depends on the text alone, and a batch repeats the same texts in every file
# (labels, level names, values): working a text out once per batch keeps `index_sheet` at a dict
# lookup a cell.
_KINDS: dict[str, tuple[Any, ...]] = {}
_MAX_KINDS = 20_000


def _kind(value: str) -> tuple[Any, ...]:
    """What a non-empty cell text of at most _MAX_LABEL_LEN characters is on the form."""
    if value.lstrip(_BLANKS)[:1] not in _FIRST_CHARS and "绩效" not in value and bare(value)[:1] not in _FIRST_CHARS:
        return ()  # cannot be a label: most cells of a big sheet stop here
    key = label_key(value)
    if not key:
        return ()
    name = LABELS.get(key)
    if name is None:
        name = LABELS.get(bare(key))
    if name is not None:
        return ("label", name)
    header = vocabulary().grid_column(key)
    if header is not None:
        return ("header", header)
    if "绩效" in key or "自评" in key:
        kind = vocabulary().form_kind(key)
        if kind in ("department_overall", "self_evaluation"):
            return ("other_form", kind)
        m = _TITLE.match(key)
        if m:
            return ("title", m["dept"], int(m["year"]))
    if vocabulary().is_self_evaluation_label(key):
        return ("other_form", "self_evaluation")
    if "年" in key and len(key) <= 10 and (key[0] == "(" or key[0].isdigit()):
        m = _YEAR_ROW.match(key)
        if m:
            return ("title", "", int(m["year"]))
    if ":" in key:
        inline = _inline_label(key)
        if inline:
            return ("inline", inline[0], _COLON.split(value, maxsplit=1)[-1].strip())
    return ()


def index_sheet(grid: Sequence[Sequence[Any]]) -> SheetIndex:
    """Find labels, grid headers, titles and the check area: one pass, linear in the cells."""
    index = SheetIndex()
    header_cells: dict[int, dict[str, int]] = {}
    header_texts: dict[int, dict[str, str]] = {}
    kinds = _KINDS
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value or len(value) > _MAX_LABEL_LEN:
                continue
            kind = kinds.get(value)
            if kind is None:
                if len(kinds) >= _MAX_KINDS:
                    kinds.clear()
                kind = kinds[value] = _kind(value)
            if not kind:
                continue
            what = kind[0]
            if what == "label":
                name = kind[1]
                if name == "check":
                    index.check_col = c if index.check_col is None else min(index.check_col, c)
                index.labels.append(Label(r, c, name))
                index.label_at[(r, c)] = name
            elif what == "header":
                _add_heading(header_cells.setdefault(r, {}), header_texts.setdefault(r, {}), kind[1], c, value)
            elif what == "title":
                index.titles.append(Title(r, c, kind[1], kind[2]))
            elif what == "other_form":
                index.other_forms.setdefault(kind[1], (r, c))
            else:
                index.labels.append(Label(r, c, kind[1], kind[2]))
                index.label_at[(r, c)] = kind[1]
    for r, cols in header_cells.items():
        if is_grid_header(cols):
            index.grid_headers[r] = cols
    if index.check_col is not None:
        _drop_check_area(index)
    index.list_rows = _list_header_rows(index, grid)
    return index


def _drop_check_area(index: SheetIndex) -> None:
    """The template's 校验区 sits right of the form: nothing from its columns is part of the form."""
    cut = index.check_col
    assert cut is not None
    index.labels = [lb for lb in index.labels if lb.col < cut]
    index.label_at = {k: v for k, v in index.label_at.items() if k[1] < cut}
    index.titles = [t for t in index.titles if t.col < cut]
    index.grid_headers = {
        r: {f: c for f, c in cols.items() if c < cut} for r, cols in index.grid_headers.items()
    }
    index.grid_headers = {r: cols for r, cols in index.grid_headers.items() if is_grid_header(cols)}


def is_grid_header(cols: dict[str, int]) -> bool:
    """一级指标 with 二级指标 and 三级指标, or with one of them and a value column: two-level grids
    (二级指标 | 当年预期实现值, 指标类型 | 指标名称 | 指标值) hold level two and indicator in one column."""
    levels = ("level2" in cols) + ("level3" in cols)
    return "level1" in cols and (levels == 2 or (levels == 1 and "value" in cols))


_LONG_TERM = ("长期", "中期", "实施期", "总体")
_ANNUAL = ("年度", "本年", "当年")


def _add_heading(cols: dict[str, int], texts: dict[str, str], field: str, col: int, text: str) -> None:
    """Long-term and annual columns side by side (二级指标(长期) … 二级指标(年度)): the annual one is
    the field; the other is kept as a column of its own (`extra:<heading>`), read into each row's
    extra. A heading seen twice otherwise keeps its first column."""
    if field not in cols:
        cols[field], texts[field] = col, text
        return
    if any(w in text for w in _ANNUAL) and any(w in texts[field] for w in _LONG_TERM):
        cols[f"extra:{label_key(texts[field])}"] = cols[field]
        cols[field], texts[field] = col, text
    elif any(w in text for w in _LONG_TERM):
        cols[f"extra:{label_key(text)}"] = col


_HEADER_FIELDS = {"unit", "competent_department", "attribute", "period", "funds", "funds.total", "goal"}


def _list_header_rows(index: SheetIndex, grid: Sequence[Sequence[Any]]) -> set[int]:
    """Rows where 项目名称 heads a column of a list (one project per row: a master workbook's
    项目清单, 绩效指标 or 校验问题 sheet, a budget's spending table), not a field of the form: the row
    also holds grid headers, two more form labels, two column titles left of it, or a list's
    column heading (金额, 功能科目, 序号 … from the vocabulary). The form's 项目名称 is the row's first cell
    and the row holds only the name."""
    per_row: dict[int, int] = {}
    for lb in index.labels:
        if lb.field not in ("name", "grid", "check"):
            per_row[lb.row] = per_row.get(lb.row, 0) + 1
    found = set()
    for lb in index.labels:
        if lb.field != "name" or lb.inline is not None:
            continue
        row = grid[lb.row]
        left = sum(1 for v in row[: lb.col] if isinstance(v, str) and v.strip())
        headings = any(isinstance(v, str) and vocabulary().is_list_heading(v) for c, v in enumerate(row) if c != lb.col)
        # Side by side on a form, 项目名称 follows another label and its value (申报单位 | X | 项目名称);
        # titles left of it without a form label there head a list's columns.
        beside = per_row.get(lb.row, 0) == 1 and left == 2
        if lb.row in index.grid_headers or per_row.get(lb.row, 0) >= 2 or (left >= 2 and not beside) or headings:
            found.add(lb.row)
    return found


def _between(rows: list[int], lo: int, hi: int) -> tuple[int, int]:
    """Slice bounds of the sorted `rows` that lie in [lo, hi)."""
    return bisect_left(rows, lo), bisect_left(rows, hi)


OTHER_FORMS = {"department_overall": "部门整体支出绩效目标表", "self_evaluation": "绩效自评表"}
OTHER_FORM_HINTS = {
    "department_overall": "(部门整体绩效目标不按项目表读取)",
    "self_evaluation": "(自评表请用“lubudget selfeval”处理)",
}


def other_form(index: SheetIndex) -> str | None:
    """The kind of a sheet holding another form: a title naming it (部门整体支出绩效目标表,
    绩效自评表) or, for a 自评表 titled only by its project, its own columns (实际完成值, 全年执行数)."""
    for kind in OTHER_FORMS:
        if kind in index.other_forms:
            return kind
    return None


def _annual_grid_row(rows: list[int], labels: list[Label]) -> int | None:
    """The year's grid among a block's grid header rows: the first one whose nearest grid label
    above is not a long-term one (长期绩效指标, 中期绩效指标 …, kept in extra by the reader)."""
    marks = sorted((lb.row, lb.field) for lb in labels if lb.field in ("grid", "other_grid"))
    for row in rows:
        above = [f for r, f in marks if r <= row]
        if not above or above[-1] == "grid":
            return row
    return rows[0] if rows else None


def blocks(index: SheetIndex, n_rows: int) -> list[Block]:
    """One block per 项目名称 label. A block that repeats only the name (a continued printed page)
    joins the block before it. Sorted rows and bisection keep a sheet of many tables linear-ish."""
    labels = sorted(index.labels, key=lambda lb: (lb.row, lb.col))
    label_rows = [lb.row for lb in labels]
    name_rows = sorted({lb.row for lb in labels if lb.field == "name"} - index.list_rows)
    if not name_rows:
        return []
    titles = sorted(index.titles, key=lambda t: (t.row, t.col))
    title_rows = [t.row for t in titles]
    heads = sorted({*title_rows, *(lb.row for lb in labels if lb.field == "department")})
    # Rows where a new table begins: its title, year line or 填报单位 line, else its name row.
    starts: list[int] = [0]
    for prev, r in zip(name_rows, name_rows[1:], strict=False):
        i = bisect_right(heads, prev)
        starts.append(heads[i] if i < len(heads) and heads[i] < r else r)
    merged: list[list[int]] = []
    for start, end in zip(starts, [*starts[1:], n_rows], strict=True):
        lo, hi = _between(label_rows, start, end)
        if merged and not any(lb.field in _HEADER_FIELDS for lb in labels[lo:hi]):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    grid_rows = sorted(index.grid_headers)
    result = []
    for start, end in merged:
        lo, hi = _between(label_rows, start, end)
        g_lo, g_hi = _between(grid_rows, start, end)
        grid_row = _annual_grid_row(grid_rows[g_lo:g_hi], labels[lo:hi])
        t_lo, t_hi = _between(title_rows, start, end)
        result.append(
            Block(
                start=start,
                end=end,
                labels=labels[lo:hi],
                grid_row=grid_row,
                grid_cols=index.grid_headers[grid_row] if grid_row is not None else {},
                titles=titles[t_lo:t_hi],
            )
        )
    return result
