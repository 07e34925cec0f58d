"""The master workbook (DESIGN.md §7), written with XlsxWriter.

XlsxWriter rather than openpyxl: it streams cells straight to XML and writes about twice as fast as
openpyxl's write-only mode, and it can set each cell's type explicitly. Everything a department
typed is written with `write_string` and the workbook refuses to turn strings into formulas, URLs
or numbers: a 三级指标 such as `=1+1` or `@SUM(A1)` stays inert text. The book is written to a
temporary file and renamed (`atomic_path`), so an interrupted run keeps the previous master book.
"""

from __future__ import annotations

import math
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.url import Url

from lubudget_xl.consolidate.across import Consolidation
from lubudget_xl.consolidate.frames import Frames
from lubudget_xl.fsutil import atomic_path

SHEET_DEPARTMENTS, SHEET_PROJECTS, SHEET_INDICATORS = "部门汇总", "项目清单", "绩效指标"
SHEET_ISSUES, SHEET_FILES, SHEET_SUMMARY = "校验问题", "文件清单", "汇总说明"
MAX_LINKS = 65530  # Excel's limit of hyperlinks per worksheet; later rows keep the text only

TEXT, INT, MONEY, NUMBER, LINK = "text", "int", "money", "number", "link"


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
        Column("level2", "二级指标"), Column("level3", "三级指标"), Column("value", "本年度指标值", LINK),
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


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def file_url(path: str, sheet: str | None = None, cell: str | None = None) -> str | None:
    """`file:///C:/dir/book.xlsx#'sheet'!C5`: opens the department's file at the cell in Excel."""
    if not path or "#" in path:
        return None
    url = "file:///" + os.path.abspath(path).replace("\\", "/").lstrip("/")
    if sheet:
        url += "#'" + sheet.replace("'", "''") + "'" + (f"!{cell}" if cell else "")
    return url if len(url) <= 2079 else None


def _url(link: str, text: str) -> Url:
    """XlsxWriter reads every file:// link as a Windows path (C:\\…); on POSIX keep a real URI."""
    url = Url(link)
    url.text = text
    if os.name != "nt":
        path = "/" + link[len("file:///") :].split("#", 1)[0]
        url._relationship_link = Path(path).as_uri()  # private, but the only way to a POSIX target
    return url


class _Writer:
    def __init__(self, path: Path) -> None:
        self.book = xlsxwriter.Workbook(
            str(path),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
             "use_zip64": True},
        )  # fmt: skip
        self.header = self.book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
        self.formats = {
            INT: self.book.add_format({"num_format": "0"}),
            MONEY: self.book.add_format({"num_format": "#,##0.00"}),
            NUMBER: self.book.add_format({"num_format": "General"}),
            LINK: self.book.add_format({"font_color": "#0563C1", "underline": 1}),
        }

    def table(self, sheet: str, frame: pd.DataFrame, links: list[str | None] | None = None) -> None:
        """One sheet = one Excel table (filters, banded rows) with a frozen header row."""
        ws = self.book.add_worksheet(sheet)
        columns = COLUMNS[sheet]
        widths = [_width(c.header) + 2 for c in columns]
        write_string, write_number = ws.write_string, ws.write_number
        link_count = 0
        data = frame[[c.key for c in columns]]
        for r, values in enumerate(data.itertuples(index=False, name=None), start=1):
            for col, (value, column) in enumerate(zip(values, columns, strict=True)):
                if _blank(value):
                    continue
                if column.kind in (INT, MONEY, NUMBER):
                    write_number(r, col, value, self.formats[column.kind])
                    text_width = len(f"{value:,.2f}") if column.kind == MONEY else len(str(value))
                else:
                    text = str(value)
                    url = links[r - 1] if column.kind == LINK and links is not None else None
                    if url and link_count < MAX_LINKS:
                        link_count += 1
                        ws.write_url(r, col, _url(url, text), self.formats[LINK])
                    else:
                        write_string(r, col, text)
                    text_width = _width(text) if r <= 2000 else 0
                if text_width + 2 > widths[col]:
                    widths[col] = min(text_width + 2, column.max_width)
        last_row = max(len(frame), 1)
        ws.add_table(
            0, 0, last_row, len(columns) - 1,
            {"name": TABLE_NAMES[sheet], "style": "Table Style Medium 2",
             "columns": [{"header": c.header, "header_format": self.header} for c in columns]},
        )  # fmt: skip
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.freeze_panes(1, 0)

    def summary(self, c: Consolidation, f: Frames) -> None:
        """The reconciliation in words: every file and every row read is accounted for."""
        ws = self.book.add_worksheet(SHEET_SUMMARY)
        counted = sum(1 for o in c.outcomes if o.counted_projects)
        lines = [
            ("汇总年度", c.expected_year),
            ("模板版本(多数文件)", c.expected_template_version),
            ("输入文件数", len(c.outcomes)),
            ("计入汇总的文件数", counted),
            ("部门数", int((f.departments["projects"] > 0).sum()) if len(f.departments) else 0),
            ("计入项目数", len(f.projects)),
            ("读取指标行数", c.rows_read),
            ("计入“绩效指标”的行数", len(f.indicators)),
            ("未计入的行数(原因见“校验问题”中 BATCH_ 开头的问题)", c.rows_excluded),
            ("校验问题数", len(f.issues)),
        ]
        ws.set_column(0, 0, 52)
        ws.set_column(1, 1, 24)
        for r, (label, value) in enumerate(lines):
            ws.write_string(r, 0, label, self.header)
            if isinstance(value, int):
                ws.write_number(r, 1, value)
            elif value is not None:
                ws.write_string(r, 1, str(value))

    def close(self) -> None:
        self.book.close()


def write_master(c: Consolidation, frames: Frames, target: str | os.PathLike[str]) -> None:
    """Write the master book atomically; `target` is replaced only once the book is complete."""
    with atomic_path(target) as tmp:
        w = _Writer(tmp)
        w.table(SHEET_DEPARTMENTS, frames.departments)
        w.table(SHEET_PROJECTS, frames.projects, _links(frames.projects))
        w.table(SHEET_INDICATORS, frames.indicators, _links(frames.indicators))
        w.table(SHEET_ISSUES, frames.issues, _links(frames.issues))
        w.table(SHEET_FILES, frames.files, [file_url(p) for p in frames.files["path"]])
        w.summary(c, frames)
        w.close()


def _links(frame: pd.DataFrame) -> list[str | None]:
    return [
        file_url(file, sheet if isinstance(sheet, str) else None, cell if isinstance(cell, str) else None)
        for file, sheet, cell in zip(frame["file"], frame["sheet"], frame["cell"], strict=True)
    ]
