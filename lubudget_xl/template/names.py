"""Excel's rules for defined names and sheet names, checked here because openpyxl and LibreOffice
accept names Excel refuses (EXCEL.md): a template that opens in LibreOffice may still be broken in Excel.
"""

from __future__ import annotations

import re

_NAME_CHARS = re.compile(r"^[A-Za-z_\\][A-Za-z0-9_.\\]*$")
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")
_R1C1 = re.compile(r"^[Rr]([0-9]*)[Cc]?([0-9]*)$|^[Cc]([0-9]*)$")
MAX_COLUMN = 16384  # XFD
MAX_ROW = 1048576
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # not representable in the workbook XML
RESERVED_SHEET_NAMES = ("history",)  # Excel reserves 'History' for change tracking


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def name_problem(name: str) -> str | None:
    """Why Excel would refuse `name` as a defined name (Chinese), or None when it is legal.

    Rules: 1-255 characters; starts with a letter, `_` or `\\`; then letters, digits, `_`, `.`, `\\`;
    no spaces; not a cell reference in A1 (up to XFD1048576) or R1C1 style; not TRUE/FALSE.
    (Excel also allows non-ASCII letters; our generated names stay ASCII on purpose.)
    """
    if not name:
        return "名称为空"
    if len(name) > 255:
        return "名称超过 255 个字符"
    if not _NAME_CHARS.match(name):
        return "名称须以字母、下划线或反斜杠开头,只含字母、数字、下划线、句点"
    if name.upper() in ("TRUE", "FALSE"):
        return "名称不能是逻辑值"
    a1 = _A1.match(name)
    if a1 and _column_number(a1.group(1)) <= MAX_COLUMN and 1 <= int(a1.group(2)) <= MAX_ROW:
        return "名称与单元格引用相同"
    if _R1C1.match(name):
        return "名称与 R1C1 引用相同"
    return None


def is_legal_name(name: str) -> bool:
    return name_problem(name) is None


def sheet_name_problem(name: str) -> str | None:
    """Why Excel would refuse `name` as a sheet name (Chinese), or None."""
    if not name or not name.strip():
        return "工作表名为空"
    if len(name) > 31:
        return "工作表名超过 31 个字符"
    if _SHEET_FORBIDDEN.search(name):
        return "工作表名不能含 [ ] : * ? / \\"
    if _CONTROL.search(name):
        return "工作表名不能含控制字符"
    if name.startswith("'") or name.endswith("'"):
        return "工作表名不能以单引号开头或结尾"
    if name.lower() in RESERVED_SHEET_NAMES:
        return "History 是 Excel 保留的工作表名"
    return None


def safe_sheet_name(wanted: str, taken: set[str] | list[str], fallback: str = "项目") -> str:
    """An Excel-legal sheet name close to `wanted`, unique (case-insensitively) among `taken`."""
    base = _CONTROL.sub(" ", wanted or "")
    base = _SHEET_FORBIDDEN.sub("", base).strip().strip("'").strip()
    if not base or base.lower() in RESERVED_SHEET_NAMES:
        base = fallback
    lowered = {t.lower() for t in taken}
    candidate = base[:31].rstrip().rstrip("'") or fallback
    number = 2
    while candidate.lower() in lowered:
        suffix = f"({number})"
        candidate = base[: 31 - len(suffix)].rstrip().rstrip("'") + suffix
        number += 1
    return candidate
