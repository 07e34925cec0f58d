"""Plan the marks findings leave in a workbook: a note and a fill per cell, and a `校验结果` sheet.

A pure planner (no openpyxl, no Excel): the annotated-copy writer (`annotate_copy`, openpyxl) and
the Excel bridge (xlwings, live workbook) apply the same plan, so a finding looks the same in a
reviewer's copy and in the filler's own Excel.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lubudget_xl.issues import Issue, Severity
from lubudget_xl.rules.names import rule_name

RESULT_SHEET = "校验结果"
# 规则: the rule's short Chinese name (rules/names.py); 代码, the permanent code, last and narrow.
RESULT_HEADER = ("级别", "规则", "项目", "位置", "问题", "修改建议", "代码")
# Light fills (Excel's "bad / neutral / note" palette), readable in print and by colour-blind users
# together with the 级别 text.
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}
NOTE_AUTHOR = "lubudget 校验"
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


@dataclass(frozen=True)
class Mark:
    """One annotated cell: every finding located there, combined into one note; fill by the worst."""

    sheet: str
    cell: str
    note: str
    fill: str
    severity: Severity
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ResultRow:
    """One line of the `校验结果` sheet; `target` is the in-workbook hyperlink (None without a cell)."""

    severity: str
    code: str
    project: str
    location: str
    message: str
    fix: str
    target: str | None

    def values(self) -> list[str]:
        """The row's cells, in `RESULT_HEADER` order."""
        return [self.severity, rule_name(self.code), self.project, self.location, self.message, self.fix, self.code]


@dataclass(frozen=True)
class ResultLayout:
    """How the `校验结果` sheet looks: data only, applied the same way by the annotated-copy writer
    and the Excel bridge, so the two never drift apart."""

    titles: tuple[str, ...] = RESULT_HEADER
    # characters; together within printing.LANDSCAPE_WIDTH_UNITS, so A4 landscape prints the text
    # at its size; every column but 级别 wraps (代码 breaks a long code over two lines)
    widths: tuple[int, ...] = (6, 14, 18, 22, 44, 22, 12)
    header_fill: str = "D9D9D9"  # bold titles on light grey
    first: bool = True  # the first sheet, so a reviewer sees it on opening
    link_column: int = 4  # 位置 (1-based): the in-workbook hyperlink
    severity_column: int = 1  # 级别: filled with the finding's colour
    code_column: int = 7  # 代码: smaller type
    wrap_columns: tuple[int, ...] = (2, 3, 4, 5, 6, 7)

    def filter_ref(self, rows: int, header_row: int = 1) -> str | None:
        """The auto-filter range over titles and `rows` findings (None without findings)."""
        return f"A{header_row}:{_column_letter(len(self.titles))}{header_row + rows}" if rows else None


RESULT_LAYOUT = ResultLayout()


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class AnnotationPlan:
    marks: list[Mark] = field(default_factory=list)
    rows: list[ResultRow] = field(default_factory=list)
    sheet_name: str = RESULT_SHEET
    layout: ResultLayout = RESULT_LAYOUT
    # Lines above the table (the annotated copy's title block: title, issuing unit and date, counts
    # and deadline); none in the Excel bridge, whose table starts at A1.
    heading: tuple[str, ...] = ()

    @property
    def header(self) -> tuple[str, ...]:
        return self.layout.titles

    @property
    def header_row(self) -> int:
        """1-based row of the titles: below the heading lines and one blank row."""
        return len(self.heading) + 2 if self.heading else 1

    @property
    def freeze(self) -> str:
        """The cell below the titles: the titles stay visible while scrolling."""
        return f"A{self.header_row + 1}"

    def filter_ref(self) -> str | None:
        return self.layout.filter_ref(len(self.rows), self.header_row)

    def table(self) -> list[list[str]]:
        """The table's values: titles, then one row per finding (columns as in `layout.titles`)."""
        return [list(self.header)] + [r.values() for r in self.rows]

    def cell(self, row: int, column: int) -> str:
        """A1 address in the result sheet of finding `row` (0-based; -1: the titles) and `column` (1-based)."""
        return f"{_column_letter(column)}{row + self.header_row + 1}"

    @property
    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for row in self.rows:
            out[_SEVERITY_BY_LABEL[row.severity].value] += 1
        return out


_SEVERITY_BY_LABEL = {s.label: s for s in Severity}


def top_left(cell: str) -> str | None:
    """`B5` for `B5` or `B5:E5` (a merged range shows its top-left cell's note and fill)."""
    first = cell.split(":", 1)[0].strip().upper()
    match = _CELL.match(first)
    return f"{match.group(1)}{match.group(2)}" if match else None


def link_target(sheet: str, cell: str) -> str:
    """An in-workbook hyperlink: `#'市长热线'!D12` (quotes doubled inside sheet names)."""
    return "#'" + sheet.replace("'", "''") + "'!" + cell


def note_line(issue: Issue) -> str:
    """`[错误] 资金不平衡(FUNDS_SUM)`: the Chinese message first, the permanent code after it."""
    line = f"[{issue.severity.label}] {issue.message}({issue.code})"
    return line + (f"\n建议: {issue.fix}" if issue.fix else "")


def _location_text(issue: Issue) -> str:
    loc = issue.location
    if loc.sheet and loc.cell:
        return f"'{loc.sheet}'!{loc.cell}"
    if loc.sheet:
        return f"'{loc.sheet}'"
    if loc.line:
        return f"第{loc.line}行"
    return ""


def _order(issue: Issue) -> tuple[int, str, tuple[int, int, str], int]:
    cell = top_left(issue.location.cell or "") or ""
    return (-issue.severity.rank, issue.location.sheet or "", cell_order(cell), issue.location.line or 0)


def plan_annotations(issues: Iterable[Issue], sheets: Iterable[str] | None = None) -> AnnotationPlan:
    """Marks for located findings and one result row per finding (worst first, then by place).

    `sheets`, when given, are the workbook's sheet names: findings pointing elsewhere get a row
    but no mark (and no link), so a plan never writes into a sheet that does not exist.
    """
    known = None if sheets is None else set(sheets)
    issues = list(issues)
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    plan = AnnotationPlan()
    for issue in sorted(issues, key=_order):
        sheet, cell = issue.location.sheet, top_left(issue.location.cell or "")
        linkable = bool(sheet and cell and (known is None or sheet in known))
        if linkable:
            by_cell.setdefault((sheet, cell), []).append(issue)
        plan.rows.append(
            ResultRow(
                severity=issue.severity.label,
                code=issue.code,
                project=issue.project or "",
                location=_location_text(issue),
                message=issue.message,
                fix=issue.fix or "",
                target=link_target(sheet, cell) if linkable else None,
            )
        )
    for (sheet, cell), found in by_cell.items():
        worst = max(found, key=lambda i: i.severity.rank).severity
        plan.marks.append(
            Mark(
                sheet=sheet,
                cell=cell,
                note="\n".join(note_line(i) for i in found),
                fill=FILLS[worst],
                severity=worst,
                codes=tuple(dict.fromkeys(i.code for i in found)),
            )
        )
    plan.marks.sort(key=lambda m: (m.sheet, cell_order(m.cell)))
    return plan


def cell_order(cell: str) -> tuple[int, int, str]:
    """Sort key for A1 cells in reading order: row, then column (B before AA)."""
    match = _CELL.match(top_left(cell) or "")
    return (int(match.group(2)), len(match.group(1)), match.group(1)) if match else (0, 0, cell)
