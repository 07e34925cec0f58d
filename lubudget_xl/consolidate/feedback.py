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
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import atomic_path

UNKNOWN_DEPARTMENT = "(未识别部门)"
# Findings of files whose department could not be read go to the reviewer, not to a department.
UNKNOWN_BOOK = "退回修改_无法识别的文件"
PREFIX = "退回修改_"
SHEET = "退回修改"
SEVERITY_ORDER = {"错误": 0, "警告": 1, "提示": 2}
COLUMNS = [
    ("序号", 6), ("严重程度", 10), ("项目名称", 28), ("问题说明", 70), ("建议修改", 24),
    ("文件", 30), ("工作表", 16), ("单元格", 8), ("问题代码", 22),
]  # fmt: skip
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
    return _UNSAFE.sub("_", text).strip(" .")[:80] or "未命名"


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
    master: str | os.PathLike[str], folder: str | os.PathLike[str], min_severity: str = "提示",
    removed: list[Path] | None = None,
) -> list[Path]:
    """One workbook per department with its findings; returns the paths written.

    Lists this command wrote into `folder` on an earlier run for departments without findings now
    are removed (and appended to `removed`), so the folder holds exactly this round's lists; any
    other file there is left alone.
    """
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
    used: set[str] = set()
    for department in sorted(groups):
        name = UNKNOWN_BOOK if department == UNKNOWN_DEPARTMENT else f"{PREFIX}{_safe_name(department)}"
        stem, n = name, 1
        while name in used:
            n += 1
            name = f"{stem}_{n}"
        used.add(name)
        target = folder / f"{name}.xlsx"
        _write_one(department, groups[department], target)
        written.append(target)
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


def _write_one(department: str, rows: list[dict[str, Any]], target: Path) -> None:
    rows = sorted(
        rows,
        key=lambda r: (SEVERITY_ORDER.get(str(r.get("严重程度")), 3), _text(r.get("来源文件")),
                       _text(r.get("工作表")), _text(r.get("项目名称"))),
    )  # fmt: skip
    counts = Counter(str(r.get("严重程度")) for r in rows)
    with atomic_path(target) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        bold = book.add_format({"bold": True, "font_size": 14})
        ws = book.add_worksheet(SHEET)
        title = (
            "无法识别填报部门的文件 问题清单(请核对文件后联系报送单位)" if department == UNKNOWN_DEPARTMENT
            else f"{department} 项目支出预算绩效目标表 退回修改清单"
        )  # fmt: skip
        ws.write_string(0, 0, title, bold)
        ws.write_string(
            1, 0,
            f"错误 {counts['错误']} 个,警告 {counts['警告']} 个,提示 {counts['提示']} 个。"
            "请按下表逐项修改(“错误”须修改),修改后重新提交。",
        )  # fmt: skip
        first = 3
        for r, row in enumerate(rows, start=first + 1):
            ws.write_number(r, 0, r - first)
            values = [
                row.get("严重程度"), row.get("项目名称"), row.get("问题说明"), row.get("建议修改"),
                PureWindowsPath(_text(row.get("来源文件"))).name, row.get("工作表"),
                row.get("单元格") or (f"第{_text(row.get('行号'))}行" if row.get("行号") else ""), row.get("问题代码"),
            ]  # fmt: skip
            for c, value in enumerate(values, start=1):
                if _text(value):
                    ws.write_string(r, c, _text(value))
        ws.add_table(
            first, 0, first + max(len(rows), 1), len(COLUMNS) - 1,
            {"name": "Feedback", "style": "Table Style Medium 4", "columns": [{"header": h} for h, _ in COLUMNS]},
        )  # fmt: skip
        for c, (_, width) in enumerate(COLUMNS):
            ws.set_column(c, c, width)
        ws.freeze_panes(first + 1, 0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(first)
        book.close()
