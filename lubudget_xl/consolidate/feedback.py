"""Per-department return lists (退回修改), read back from the master book.

The reviewer may sort, filter or delete rows of 校验问题 before sending lists out (a finding they
accept is simply deleted), so the lists are built from the master book as it is now, not from the
run that wrote it.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import Counter, defaultdict
from pathlib import Path, PureWindowsPath
from typing import Any

import xlsxwriter

from lubudget_xl.consolidate.master import SHEET_ISSUES
from lubudget_xl.errors import UserError, os_error_reason
from lubudget_xl.fsutil import atomic_path, fit_name
from lubudget_xl.printing import A4, FOOTER, MARGINS, Heading, lines_needed, row_height
from lubudget_xl.rules.names import rule_name

UNKNOWN_DEPARTMENT = "(未识别部门)"
# Findings of files whose department could not be read go to the reviewer, not to a department.
UNKNOWN_BOOK = "退回修改_无法识别的文件"
PREFIX = "退回修改_"
SHEET = "退回修改"
SEVERITY_ORDER = {"错误": 0, "警告": 1, "提示": 2}
# (header, width in Excel column units): together within printing.LANDSCAPE_WIDTH_UNITS, so an A4
# landscape page holds every column at the text's own size; the permanent code is last and narrow.
COLUMNS = [
    ("序号", 5), ("严重程度", 6), ("项目名称", 18), ("问题说明", 38), ("建议修改", 20),
    ("文件", 14), ("工作表", 9), ("单元格", 7), ("问题类型", 12), ("问题代码", 10),
]  # fmt: skip
HEADER_ROW = 3  # 0-based: title, issuing unit and date, counts and deadline above it
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def read_issue_rows(master: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The 校验问题 rows of a master book as dicts keyed by the Chinese headers."""
    from python_calamine import CalamineWorkbook

    path = Path(master)
    if not path.exists():
        raise UserError(f"{master}: 汇总表文件不存在")
    if path.is_dir():
        raise UserError(f"{master}: 这是文件夹,请给出 lubudget consolidate 生成的汇总表文件(.xlsx)")
    if path.stat().st_size == 0:
        raise UserError(f"{master}: 文件是空的(0 字节),不是汇总表")
    try:
        book = CalamineWorkbook.from_path(str(master))
    except Exception:  # the library's text is English ("invalid Zip archive"); say it in Chinese
        raise UserError(f"{master}: 无法打开汇总表:不是有效的 Excel 工作簿(可能已损坏、未保存完整或不是 .xlsx 文件)") from None
    if SHEET_ISSUES not in book.sheet_names:
        raise UserError(f"{master}: 不是汇总表(没有“{SHEET_ISSUES}”工作表)")
    rows = book.get_sheet_by_name(SHEET_ISSUES).to_python()
    if not rows:
        return []
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(v not in ("", None) for v in row)]


def _safe_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip(" .") or "未命名"


def list_name(department: str, taken: set[str] | None = None) -> str:
    """`退回修改_<部门>.xlsx`, within the file-name limit however long the department's name (cut
    with a short hash, see `fsutil.fit_name`), and not one of `taken` (compared case-insensitively)."""
    if department == UNKNOWN_DEPARTMENT:
        stem, prefix = UNKNOWN_BOOK, ""
    else:
        stem, prefix = _safe_name(department), PREFIX
    name, n = fit_name(stem, ".xlsx", prefix), 1
    while taken is not None and name.lower() in taken:
        n += 1
        name = fit_name(f"{stem}_{n}", ".xlsx", prefix)
    if taken is not None:
        taken.add(name.lower())
    return name


def is_our_list(path: Path) -> bool:
    """A workbook this command wrote: named 退回修改_*.xlsx with one sheet 退回修改 (nothing else
    in a folder is ever deleted)."""
    if not (path.is_file() and path.name.startswith(PREFIX) and path.suffix.lower() == ".xlsx"):
        return False
    try:
        with zipfile.ZipFile(path) as z:
            sheets = re.findall(r'<sheet [^>]*name="([^"]*)"', z.read("xl/workbook.xml").decode("utf-8"))
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        return False
    return sheets == [SHEET]


def stale_lists(folder: str | os.PathLike[str], keep: list[Path]) -> list[Path]:
    """Earlier 退回修改 lists in `folder` that this run did not write (departments now clean)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    kept = {p.resolve() for p in keep}
    return sorted(p for p in folder.iterdir() if p.resolve() not in kept and is_our_list(p))


def write_feedback(
    master: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    min_severity: str = "提示",
    removed: list[Path] | None = None,
    heading: Heading | None = None,
) -> list[Path]:
    """One workbook per department with its findings; returns the paths written.

    `heading` carries the issuing unit, the date issued and the deadline printed above each list.
    Lists this command wrote into `folder` on an earlier run for departments without findings now
    are removed (and appended to `removed`), so the folder holds exactly this round's lists; any
    other file there is left alone. A list that cannot be written does not stop the others: the
    error, raised after the rest are written, names it and counts what was written.
    """
    heading = heading or Heading()
    limit = SEVERITY_ORDER.get(min_severity, 2)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in read_issue_rows(master):
        if SEVERITY_ORDER.get(str(row.get("严重程度")), 2) > limit:
            continue
        groups[str(row.get("部门") or "") or UNKNOWN_DEPARTMENT].append(row)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: 已存在同名文件,退回修改清单需要写入一个文件夹")
    written: list[Path] = []
    failed: list[str] = []
    taken: set[str] = set()
    for department in sorted(groups):
        target = folder / list_name(department, taken)
        try:
            _write_one(department, groups[department], target, heading)
        except (OSError, UserError) as err:
            reason = str(err) if isinstance(err, UserError) else os_error_reason(err)
            failed.append(f"{target.name}({reason})")
            continue
        written.append(target)
    if failed:
        raise UserError(
            f"{folder}: {len(failed)} 份退回修改清单未能写出:{'; '.join(failed)};其余 {len(written)} 份已写出"
        )
    for old in stale_lists(folder, written):
        old.unlink()
        if removed is not None:
            removed.append(old)
    return written


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _write_one(department: str, rows: list[dict[str, Any]], target: Path, heading: Heading) -> None:
    rows = sorted(
        rows,
        key=lambda r: (SEVERITY_ORDER.get(str(r.get("严重程度")), 3), _text(r.get("来源文件")),
                       _text(r.get("工作表")), _text(r.get("项目名称"))),
    )  # fmt: skip
    counts = Counter(str(r.get("严重程度")) for r in rows)
    title = (
        "无法识别填报部门的文件 问题清单(请核对文件后联系报送单位)" if department == UNKNOWN_DEPARTMENT
        else f"{department} 项目支出预算绩效目标表 退回修改清单"
    )  # fmt: skip
    summary = (
        f"错误 {counts['错误']} 个,警告 {counts['警告']} 个,提示 {counts['提示']} 个。"
        f"请按下表逐项修改(“错误”须修改),{heading.request('修改后重新提交。')}"
    )
    with atomic_path(target) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        book.set_properties({"title": title, "company": heading.issuer, "comments": "lubudget feedback"})
        f = _formats(book)
        ws = book.add_worksheet(SHEET)
        last = len(COLUMNS) - 1
        width = sum(w for _, w in COLUMNS)
        for r, (text, fmt, size) in enumerate(
            ((title, f["title"], 16), (heading.issued_line(), f["line"], 11), (summary, f["line"], 11))
        ):
            ws.merge_range(r, 0, r, last, "", fmt)
            ws.write_string(r, 0, text, fmt)  # strings only: department text never becomes a formula
            ws.set_row(r, 8 + size * 1.4 * lines_needed(text, width, size))
        for c, (header, _) in enumerate(COLUMNS):
            ws.write_string(HEADER_ROW, c, header, f["header"])
        for r, row in enumerate(rows, start=HEADER_ROW + 1):
            code = _text(row.get("问题代码"))
            values = [
                row.get("严重程度"), row.get("项目名称"), row.get("问题说明"), row.get("建议修改"),
                PureWindowsPath(_text(row.get("来源文件"))).name, row.get("工作表"),
                row.get("单元格") or (f"第{_text(row.get('行号'))}行" if row.get("行号") else ""),
                rule_name(code), code,
            ]  # fmt: skip
            ws.write_number(r, 0, r - HEADER_ROW, f["number"])
            for c, value in enumerate(values, start=1):  # strings only (shared strings, never formulas)
                ws.write_string(r, c, _text(value), f["code"] if c == last else f["body"])
            sizes = [(_text(v), COLUMNS[c][1], 9 if c == last else 11) for c, v in enumerate(values, start=1)]
            ws.set_row(r, row_height(sizes))
        for c, (_, col_width) in enumerate(COLUMNS):
            ws.set_column(c, c, col_width)
        end = HEADER_ROW + max(len(rows), 1)
        ws.autofilter(HEADER_ROW, 0, end, last)
        ws.freeze_panes(HEADER_ROW + 1, 0)
        _page_setup(ws)
        book.close()


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": "宋体", "font_size": 11, "valign": "top", "text_wrap": True}
    cell = {**base, "border": 1}
    return {
        "title": book.add_format(
            {**base, "bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}
        ),
        "line": book.add_format({**base, "valign": "vcenter"}),
        "header": book.add_format(
            {**cell, "bold": True, "bg_color": "#D9D9D9", "align": "center", "valign": "vcenter"}
        ),
        "body": book.add_format(cell),
        "number": book.add_format({**cell, "align": "center"}),
        "code": book.add_format({**cell, "font_size": 9, "font_color": "#404040"}),
    }


def _page_setup(ws: Any) -> None:
    """A4 landscape, one page wide and as tall as needed (no shrinking of the text), the header row
    on every page, page numbers in the footer, the cell borders printed."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW)
    ws.set_margins(**{k: v for k, v in MARGINS.items() if k in ("left", "right", "top", "bottom")})
    ws.set_footer(FOOTER, {"margin": MARGINS["footer"]})
    ws.center_horizontally()
