"""Header and fund rows of a project table, for the text importer (a mixin of `TextImporter`).

Label/value pairs fill the record's fields or `extra`; a lone cell under a header row continues it;
a name left empty takes the next row's first cell; goal texts gather under their label (side by side
labels take one text each); a long-term grid is kept as text; fund rows fill `Funds`, with 中期资金
beside 年度资金 told apart by column, and a horizontal fund grid takes its amounts from the row below. The importer's state (project, section, last header, fund columns) lives in
`TextImporter`; these methods only read and update it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lubudget_xl.catalog.vocabulary import vocabulary
from lubudget_xl.textimport.cells import Cell, Row, glue
from lubudget_xl.textimport.header import FundEntry, Segment, fund_entries
from lubudget_xl.textimport.labels import clean_label, fund_label, parse_amount, strip_html

if TYPE_CHECKING:
    from lubudget_xl.model import ProjectTarget

USED = "used"


class HeaderRows:
    # State and helpers (loc, mark, warn, reopen_if_new) come from TextImporter.
    project: ProjectTarget | None
    section: str
    last_header: str | None
    other_grid: str
    fund_cols: dict[str, int]
    fund_heads: list[list[FundEntry]]  # heading rows of a horizontal fund grid, waiting for amounts
    goal_columns: list[str | None]
    goal_key: str
    goal_parts: list[str]
    goal_waiting: bool

    def header_field(self, key: str, seg: Segment, line: int) -> None:
        self.reopen_if_new(key.split(":")[0])
        assert self.project is not None
        self.section = "header"
        value = seg.text()
        if key.startswith("extra:"):
            self.set_extra(key[len("extra:"):], value, line)
        else:
            setattr(self.project, key, value)
            self.project.locations[key] = self.loc(line)
            self.last_header = key

    def wrapped_name(self, row: Row) -> bool:
        """The row after a 项目名称 label left empty (`项目 名称 |` / `镇际联网路… | 中期市财政预算 | …`):
        its first cell is the name, fund labels and amounts may follow on the same row."""
        project = self.project
        if project is None or project.name or self.last_header != "name" or self.section != "header":
            return False
        first, *rest = row.filled
        if fund_label(first.text) or not rest and len(first.text) < 2:
            return False
        project.name = first.text
        self.mark(row, USED)
        if rest and fund_label(rest[0].text):
            self.funds_row(row, rest)
        elif rest:
            self.set_extra(clean_label(rest[0].text), " ".join(c.text for c in rest[1:]), row.number)
        return True

    def mark_goal(self, row: Row, label_line: bool = False) -> None:
        """The goal's location is its first line of text (the label's line while none has come)."""
        assert self.project is not None
        self.mark(row, USED)
        key = "goal" if self.goal_key == "goal" else f"extra.{self.goal_key[len('extra:'):]}"
        if label_line or len(self.goal_parts) == 1 and self.goal_waiting:
            self.project.locations[key] = self.loc(row.number)
        self.goal_waiting = label_line and not self.goal_parts

    def close_goal(self) -> None:
        if self.section != "goal" or self.project is None:
            return
        text = strip_html("".join(self.goal_parts))
        if self.goal_key == "goal":
            self.project.goal = text
        else:
            self.project.extra[self.goal_key[len("extra:"):]] = text
        self.goal_parts = []

    def unit_from_department(self) -> None:
        """Forms without an 实施单位 row (预算单位, 预算部门 or 申报单位 only): the submitting unit carries
        the project out, as the workbook reader reads them."""
        project = self.project
        if project is not None and not project.unit and project.department:
            project.unit = project.department
            if "department" in project.locations:
                project.locations["unit"] = project.locations["department"]

    def goal_from_overall(self) -> None:
        """A form that prints one goal, an overall one (总体目标, 总体绩效目标) and no year's goal: that is
        the project's goal (a one-year project's 总体目标 is its year's); it stays in extra too."""
        project = self.project
        if project is None or project.goal:
            return
        overall = [k for k, v in project.extra.items() if v and vocabulary().header_field(k) == "other_goal"]
        if len(overall) == 1:
            project.goal = project.extra[overall[0]]
            if f"extra.{overall[0]}" in project.locations:
                project.locations["goal"] = project.locations[f"extra.{overall[0]}"]

    def goal_texts_side_by_side(self, row: Row) -> bool:
        """The row under goal labels side by side (总体目标 | 中期滚动目标 | 年度目标): one text per label,
        the last labels taking them (a group label before them has none). False when it does not fit."""
        columns, cells = self.goal_columns, row.filled
        self.goal_columns = []
        if not 2 <= len(cells) <= len(columns) or self.project is None:
            return False
        for key, cell in zip(columns[-len(cells):], cells, strict=True):
            if key == self.goal_key:
                self.goal_parts.append(cell.text)
            elif key and key.startswith("extra:"):
                self.set_extra(key[len("extra:"):], cell.text, row.number)
        self.mark_goal(row)
        return True

    def keep_other_grid(self, row: Row) -> None:
        """Rows of a long-term grid go to extra under its printed label, one line per row."""
        assert self.project is not None
        label = clean_label(self.other_grid)
        text = row.joined(" ")
        self.project.extra[label] = f"{self.project.extra[label]}\n{text}" if label in self.project.extra else text
        self.project.locations.setdefault(f"extra.{label}", self.loc(row.number))
        self.mark(row, USED)

    def continue_header(self, row: Row) -> None:
        """A lone cell under a header row: the wrapped end of a long name or unit."""
        assert self.project is not None and self.last_header is not None
        self.mark(row, USED)
        text = row.filled[0].text
        if self.last_header.startswith("extra:"):
            label = self.last_header[len("extra:"):]
            self.project.extra[label] = glue(self.project.extra.get(label, ""), text)
        else:
            setattr(self.project, self.last_header, glue(getattr(self.project, self.last_header) or "", text))

    def set_extra(self, label: str, value: str, line: int) -> None:
        assert self.project is not None
        self.project.extra[label] = value
        self.project.locations[f"extra.{label}"] = self.loc(line)
        self.last_header = f"extra:{label}"

    def funds_row(self, row: Row, cells: list[Cell]) -> None:
        self.reopen_if_new("funds")
        assert self.project is not None
        self.mark(row, USED)
        entries, stray = fund_entries(cells)
        if len(entries) >= 2 and not stray and all(e.amount_cell is None for e in entries):
            self.fund_heads.append(entries)  # the headings of a horizontal fund grid: amounts come below
            return
        self.fund_heads = []
        self.fund_amounts(row, entries)
        if stray:
            self.warn(row.number, "IMPORT_STRAY_CELLS",
                      f"第{row.number}行资金栏有无法归属的内容:{' '.join(c.text for c in stray)}",
                      found=[c.text for c in stray])

    def fund_grid_row(self, row: Row) -> bool:
        """The amounts row under a horizontal fund grid's headings (本年度预计投入 | 财政资金 | 其他, and
        under 财政资金 its sources 中央 | 省级 | 市级资金 | 本级): amounts in the headings' leaf order.
        False (nothing done) when the count fits no reading of the headings."""
        heads, numbers = self.fund_heads, row.filled
        leaves: list[FundEntry] | None = None
        if len(heads) == 1 and len(numbers) == len(heads[0]):
            leaves = heads[0]
        elif len(heads) == 2 and len(numbers) == len(heads[0]) - 1 + len(heads[1]):
            top, sub = heads
            parent = next((n for n, e in enumerate(top) if e.key == "fiscal"), None)
            if parent is not None:  # the sources stand under 财政资金
                leaves = [*top[:parent], *sub, *top[parent + 1 :]]
        if leaves is None:
            return False
        for entry, cell in zip(leaves, numbers, strict=True):
            entry.amount, entry.understood = parse_amount(cell.text)
            entry.amount_cell = cell
        assert self.project is not None
        self.mark(row, USED)
        self.fund_heads = []
        self.fund_amounts(row, leaves)
        return True

    def fund_amounts(self, row: Row, entries: list[FundEntry]) -> None:
        assert self.project is not None
        funds = self.project.funds
        for entry in entries:
            self.group_fund(entry)
            if entry.key in ("total", "fiscal", "other"):
                setattr(funds, entry.key, entry.amount)
                self.project.locations[f"funds.{entry.key}"] = self.loc(row.number)
            else:
                funds.extra[entry.key] = entry.amount
                self.project.locations[f"funds.{entry.key}"] = self.loc(row.number)
            if not entry.understood and entry.amount_cell is not None:
                self.warn(row.number, "IMPORT_BAD_AMOUNT",
                          f"第{row.number}行“{entry.label.text}”的金额“{entry.amount_cell.text}”不是数字",
                          label=entry.label.text, found=entry.amount_cell.text)

    def group_fund(self, entry: FundEntry) -> None:
        """Forms with 项目期 show 中期资金 and 年度资金 side by side: a sub-row label nearer the
        中期资金 column belongs to it (kept in Funds.extra as 中期资金.财政拨款 …)."""
        if entry.key.startswith("中期资金"):
            self.fund_cols["mid"] = entry.label.col
            return
        if entry.key == "total":
            self.fund_cols["annual"] = entry.label.col
        mid, annual = self.fund_cols.get("mid"), self.fund_cols.get("annual")
        if mid is None or annual is None or mid == annual:
            return
        if abs(entry.label.col - mid) < abs(entry.label.col - annual):
            name = {"total": "资金总额", "fiscal": "财政拨款", "other": "其他资金"}.get(entry.key, entry.key)
            entry.key = f"中期资金.{name}"
