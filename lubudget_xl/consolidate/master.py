"""The master workbook (DESIGN.md §7).

Written with `xlsxfast` (about 10× faster than XlsxWriter on tens of thousands of rows, see its
docstring). Everything a department typed is a shared string: a 三级指标 such as `=1+1` or
`@SUM(A1)` stays inert text, there is no formula anywhere in the book. The book is written to a
temporary file and renamed (`atomic_path`), so an interrupted run keeps the previous master book.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from typing import Any

import pandas as pd

from lubudget_xl.consolidate.across import Consolidation
from lubudget_xl.consolidate.frames import Frames, issue_rows, project_rows
from lubudget_xl.consolidate.selfeval_sheet import add_selfeval_sheets
from lubudget_xl.consolidate.xlsxfast import INT, LINK, MAX_ROWS, MONEY, NUMBER, TEXT, FastBook
from lubudget_xl.fsutil import atomic_path

SHEET_DEPARTMENTS, SHEET_PROJECTS, SHEET_INDICATORS = "部门汇总", "项目清单", "绩效指标"
SHEET_ISSUES, SHEET_FILES, SHEET_SUMMARY = "校验问题", "文件清单", "汇总说明"
WIDTH_SAMPLE = 2000  # rows looked at to size columns
LinkOf = Callable[[Sequence[Any]], "str | None"]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT
    max_width: int = 40


COLUMNS: dict[str, list[Column]] = {
    SHEET_DEPARTMENTS: [
        Column("department", "部门"), Column("files", "文件数", INT), Column("projects", "项目数", INT),
        Column("indicator_rows", "指标行数", INT), Column("funds_total", "年度资金总额(万元)", MONEY),
        Column("funds_fiscal", "财政拨款(万元)", MONEY), Column("funds_other", "其他资金(万元)", MONEY),
        Column("errors", "错误", INT), Column("warnings", "警告", INT), Column("infos", "提示", INT),
    ],
    SHEET_PROJECTS: [
        Column("department", "部门"), Column("name", "项目名称", LINK), Column("unit", "实施单位"),
        Column("competent_department", "主管部门"), Column("attribute", "项目属性"), Column("year", "年度", INT),
        Column("funds_total", "年度资金总额(万元)", MONEY), Column("funds_fiscal", "财政拨款(万元)", MONEY),
        Column("funds_other", "其他资金(万元)", MONEY), Column("goal", "年度目标", max_width=60),
        Column("indicator_rows", "指标行数", INT), Column("errors", "错误", INT), Column("warnings", "警告", INT),
        Column("infos", "提示", INT), Column("file", "来源文件", max_width=60), Column("sheet", "工作表"),
        Column("cell", "单元格"),
    ],
    SHEET_INDICATORS: [
        Column("department", "部门"), Column("project", "项目名称"), Column("level1", "一级指标"),
        Column("level2", "二级指标"), Column("level3", "三级指标"), Column("value", "本年度指标值"),
        Column("kind", "值类型"), Column("parsed_sign", "符号"), Column("parsed_number", "数值", NUMBER),
        Column("parsed_unit", "单位"), Column("sign_column", "指标值符号(表中)"),
        Column("unit_column", "计量单位(表中)"), Column("file", "来源文件", max_width=60),
        Column("sheet", "工作表"), Column("cell", "单元格"), Column("line", "行号", INT),
    ],
    SHEET_ISSUES: [
        Column("severity", "严重程度"), Column("code", "问题代码"), Column("department", "部门"),
        Column("project", "项目名称"), Column("message", "问题说明", LINK, max_width=80),
        Column("fix", "建议修改"), Column("file", "来源文件", max_width=60), Column("sheet", "工作表"),
        Column("cell", "单元格"), Column("line", "行号", INT),
    ],
    SHEET_FILES: [
        Column("path", "文件", LINK, max_width=70), Column("status", "状态"), Column("reason", "原因", max_width=60),
        Column("department", "部门"), Column("year", "年度", INT), Column("template_id", "模板标识"),
        Column("template_version", "模板版本"), Column("catalog_version", "指标目录版本"),
        Column("projects", "项目数", INT), Column("rows", "读取指标行数", INT),
        Column("counted_projects", "计入项目数", INT), Column("counted_rows", "计入指标行数", INT),
        Column("size", "大小(字节)", INT), Column("sha256", "SHA-256", max_width=20),
        Column("seconds", "读取用时(秒)", NUMBER),
    ],
}  # fmt: skip
TABLE_NAMES = {
    SHEET_DEPARTMENTS: "Departments", SHEET_PROJECTS: "Projects", SHEET_INDICATORS: "Indicators",
    SHEET_ISSUES: "Issues", SHEET_FILES: "Files",
}  # fmt: skip


@lru_cache(maxsize=16384)
def _width(text: str) -> int:
    """Display width in Excel's character units: CJK characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def file_url(path: str, sheet: str | None = None, cell: str | None = None, base: str | None = None) -> str | None:
    """`../报送/book.xlsx#'sheet'!C5`: opens the department's file at the cell in Excel.

    With `base` (the master book's folder) the target is relative to it, as Excel resolves a
    relative hyperlink against the workbook's own folder: moving the whole folder (master book and
    submissions) to a share keeps every link working. Across drives (Windows) it stays absolute,
    `file:///C:/dir/book.xlsx`."""
    if not path or "#" in path:
        return None
    url = _file_part(path, base)
    if sheet:
        url += "#'" + sheet.replace("'", "''") + "'" + (f"!{cell}" if cell else "")
    return url if len(url) <= 2079 else None


@lru_cache(maxsize=4096)
def _file_part(path: str, base: str | None = None) -> str:
    absolute = os.path.abspath(path)
    relative = relative_target(absolute, base) if base else None
    return relative or "file:///" + absolute.replace("\\", "/").lstrip("/")


def relative_target(path: str, base: str, pathmod: Any = os.path) -> str | None:
    """`path` relative to the folder `base`, with `/` (`部门/甲.xlsx`, `../报送/甲.xlsx`); None when
    no relative path exists (another drive or share on Windows: `pathmod` is `ntpath` there)."""
    try:
        relative = pathmod.relpath(path, base)
    except ValueError:  # "path is on mount 'D:', start on mount 'C:'"
        return None
    relative = relative.replace("\\", "/")
    # `a:b.xlsx` would read as a URL with the scheme `a`: `./` keeps it a path
    return "./" + relative if ":" in relative.split("/", 1)[0] else relative


def _widths(columns: list[Column], rows: list[Sequence[Any]]) -> list[float]:
    """Column widths from the header and the first rows (WIDTH_SAMPLE of them)."""
    widths = []
    for n, column in enumerate(columns):
        best = _width(column.header) + 2
        for row in rows:
            value = row[n]
            if value is None or value != value:
                continue
            text = f"{value:,.2f}" if column.kind == MONEY else str(value)
            best = max(best, _width(text) + 2)
        widths.append(min(best, column.max_width))
    return widths


def _frame_rows(sheet: str, frame: pd.DataFrame) -> Iterator[tuple]:
    """A DataFrame's rows in the sheet's column order, as Python scalars (a missing Int64 is None)."""
    data = []
    for column in COLUMNS[sheet]:
        values = frame[column.key].tolist()
        if isinstance(frame[column.key].dtype, pd.Int64Dtype):
            values = [None if v is pd.NA else v for v in values]
        data.append(values)
    return zip(*data, strict=True)


def _totals(frame: pd.DataFrame) -> list[object]:
    """The 合计 row of 部门汇总: every number column summed (amounts to 4 decimals)."""
    row: list[object] = []
    for n, column in enumerate(COLUMNS[SHEET_DEPARTMENTS]):
        if n == 0:
            row.append("合计")
        elif column.kind == MONEY:
            row.append(round(float(frame[column.key].sum()), 4))
        elif column.kind == INT:
            row.append(int(frame[column.key].sum()))
        else:
            row.append(None)
    return row


_END = object()


def _add(
    book: FastBook, sheet: str, rows: Iterable[Sequence[Any]], link_of: LinkOf | None = None, totals: list | None = None
) -> int:
    """One table, streamed; past Excel's 1 048 575 data rows it continues on 绩效指标(2), 绩效指标(3) …
    Returns the number of data rows written. `totals` (a 合计 row) is for tables that fit one
    sheet (部门汇总)."""
    columns = COLUMNS[sheet]
    stream = iter(rows)
    head = list(islice(stream, WIDTH_SAMPLE))
    widths = _widths(columns, head)
    link_column = next((i for i, c in enumerate(columns) if c.kind == LINK), None)
    kinds = [TEXT if c.kind == LINK else c.kind for c in columns]
    headers = [c.header for c in columns]
    per_sheet = MAX_ROWS - 1
    remaining: Iterator[Sequence[Any]] = chain(head, stream)
    part, total = 1, 0
    while True:
        name = sheet if part == 1 else f"{sheet}({part})"
        written = book.add_table(
            name, TABLE_NAMES[sheet] + ("" if part == 1 else str(part)), headers, kinds, widths,
            islice(remaining, per_sheet), link_of, link_column, totals=totals,
        )  # fmt: skip
        total += written
        if written < per_sheet:
            return total
        following = next(remaining, _END)
        if following is _END:
            return total
        remaining = chain([following], remaining)
        part += 1


def _summary(c: Consolidation, f: Frames, written: dict[str, int]) -> list[tuple[str, object]]:
    """The reconciliation in words: every file and every row read is accounted for."""
    return [
        ("汇总年度", c.expected_year),
        ("模板版本(多数文件)", c.expected_template_version),
        ("输入文件数", len(c.outcomes)),
        ("计入汇总的文件数", sum(1 for o in c.outcomes if o.counted_projects)),
        ("部门数", int((f.departments["projects"] > 0).sum()) if len(f.departments) else 0),
        ("计入项目数", written[SHEET_PROJECTS]),
        ("读取指标行数", c.rows_read),
        ("计入“绩效指标”的行数", written[SHEET_INDICATORS]),
        ("未计入的行数(原因见“校验问题”中 BATCH_ 开头的问题)", c.rows_excluded),
        ("校验问题数", written[SHEET_ISSUES]),
    ]


def write_master(c: Consolidation, frames: Frames, target: str | os.PathLike[str]) -> dict[str, int]:
    """Write the master book atomically; `target` is replaced only once the book is complete.
    Returns the data rows written per table (what 汇总说明 reconciles)."""
    written: dict[str, int] = {}
    base = os.path.dirname(os.path.abspath(target))  # links are relative to the master book's folder
    with atomic_path(target) as tmp, FastBook(tmp, title="项目支出预算绩效目标汇总表") as book:
        written[SHEET_DEPARTMENTS] = _add(book, SHEET_DEPARTMENTS, _frame_rows(SHEET_DEPARTMENTS, frames.departments),
                                          totals=_totals(frames.departments))  # fmt: skip
        written[SHEET_PROJECTS] = _add(book, SHEET_PROJECTS, project_rows(c), _located_link(SHEET_PROJECTS, base))
        written[SHEET_INDICATORS] = _add(book, SHEET_INDICATORS, c.iter_indicators())
        written[SHEET_ISSUES] = _add(book, SHEET_ISSUES, issue_rows(c), _located_link(SHEET_ISSUES, base))
        written[SHEET_FILES] = _add(
            book, SHEET_FILES, _frame_rows(SHEET_FILES, frames.files), lambda r: file_url(r[0], base=base)
        )
        selfeval = add_selfeval_sheets(book, c, written)  # 自评汇总 + 自评部门汇总, when the batch holds 自评表
        book.add_pairs(SHEET_SUMMARY, _summary(c, frames, written) + selfeval, [52, 24])
        book.close()
    return written


def _located_link(sheet: str, base: str | None = None) -> LinkOf:
    """The link of a row to its source: the file, sheet and cell columns of `sheet`."""
    keys = [c.key for c in COLUMNS[sheet]]
    f, s, k = keys.index("file"), keys.index("sheet"), keys.index("cell")

    def link_of(row: Sequence[Any]) -> str | None:
        sheet_name, cell = row[s], row[k]
        return file_url(
            row[f], sheet_name if isinstance(sheet_name, str) else None, cell if isinstance(cell, str) else None, base
        )

    return link_of
