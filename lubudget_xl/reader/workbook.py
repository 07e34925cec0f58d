"""Workbook file → grids (python-calamine, ~50x faster than openpyxl) → `read_sheets`.

Files come from hundreds of departments: before calamine sees one, we look at its first bytes so
that an encrypted, truncated, renamed or web-page "workbook" gets a specific Chinese message
naming the file instead of a library's traceback. The source file is only ever opened for reading.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from lubudget_xl.catalog import Catalog
from lubudget_xl.errors import UserError, os_error_reason
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location
from lubudget_xl.read_result import ReadResult
from lubudget_xl.reader.cells import UncalculatedFormula
from lubudget_xl.reader.package import Package
from lubudget_xl.reader.properties import (
    SheetScan,
    UnsafeWorkbook,
    custom_properties,
    ods_properties,
    percent_styles,
    scan_sheet,
    sheet_parts,
)
from lubudget_xl.reader.sheets import gc_paused, read_sheets
from lubudget_xl.reader.zipguard import ZipRefused, check_entries, check_inflation, check_shared_strings

_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RESAVE = "请在 Excel 中打开并另存为 .xlsx 后再提交"
# Suffixes calamine opens as .xlsx by the path (others it opens as another format or by content).
_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xlam")


def _sniff(path: Path) -> str:
    """'zip', 'ole' or raise UserError with what the file really is."""
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise UserError(f"{path}: 无法打开文件({os_error_reason(exc)})") from None
    if not head:
        raise UserError(f"{path}: 文件是空的(0 字节),可能复制或下载未完成")
    if head.startswith(_ZIP) or head.startswith(_EMPTY_ZIP):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in lowered[:200]:
        raise UserError(f"{path}: 这是网页(HTML)文件,只是扩展名为 {path.suffix};{_RESAVE}")
    if lowered.startswith(b"<?xml"):
        raise UserError(f"{path}: 这是 XML 文件(可能是 Excel 2003 XML 表格),不是工作簿;{_RESAVE}")
    raise UserError(f"{path}: 不是 Excel 工作簿(文件内容不是 xlsx/xls/ods 格式),可能只是改了扩展名")


def _ole_is_encrypted(path: Path) -> bool:
    """An OOXML workbook with an open password is an OLE file holding EncryptionInfo/EncryptedPackage."""
    try:
        import olefile

        with olefile.OleFileIO(str(path)) as ole:
            return ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
    except Exception:  # noqa: BLE001 - a broken OLE file is reported by the caller
        return False


def _encrypted(path: Path) -> UserError:
    return UserError(f"{path}: 文件设置了打开密码(已加密),无法读取;请在 Excel 中取消密码(文件→信息→保护工作簿)后再提交")


# calamine builds a dense grid per sheet (~60 bytes a cell): refuse sheets spanning more cells.
MAX_CELLS = 10_000_000
# A workbook's parts unpacked (a zip bomb packs gigabytes of repeated XML into a few kB).
MAX_UNPACKED = 1024 * 2**20


def _zip_extras(path: Path) -> tuple[dict[str, Any], dict[str, SheetScan], bytes | None]:
    """Custom properties, per sheet the bare formulas and percent cells, read from the zip; and the
    package with those parts stored unpacked for calamine (None: calamine reads the file).
    Before anything is parsed, the zip's flags, methods, real inflated size and shared-string
    count are checked (zipguard.py)."""
    try:
        with Package(path) as zf:
            check_entries(zf)
            check_inflation(zf, MAX_UNPACKED)
            check_shared_strings(zf)
            names = set(zf.namelist())
            if "xl/workbook.xml" not in names:
                if "content.xml" in names:
                    return ods_properties(zf), {}, None
                raise UserError(f"{path}: 是 zip 压缩包,但不是 Excel 工作簿(没有 xl/workbook.xml)")
            percent_xfs = percent_styles(zf)
            scans = {}
            for sheet, part in sheet_parts(zf).items():
                scan = scans[sheet] = scan_sheet(zf, part, percent_xfs, MAX_CELLS)
                if scan.beyond:
                    raise UserError(
                        f"{path}: 工作表“{sheet}”含有超出 Excel 工作表范围的单元格地址(超过 XFD1048576),"
                        "文件已损坏或是恶意构造的;请在 Excel 中另存为 .xlsx 后再提交"
                    )
                if scan.rows * scan.cols > MAX_CELLS:
                    raise UserError(
                        f"{path}: 工作表“{sheet}”的数据区域过大(内容一直延伸到 {scan.last_cell or '很远处'},"
                        f"{scan.rows} 行 × {scan.cols} 列),请删除表格以外多余的行列内容后再提交"
                    )
            return custom_properties(zf), scans, zf.stored_copy()
    # zipfile's own words ("File is not a zip file", "Bad magic number …") tell a department nothing.
    except ZipRefused as exc:
        raise UserError(f"{path}: {exc}") from None
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, ValueError, NotImplementedError,
            RuntimeError):  # RuntimeError: zipfile on a part it cannot decrypt
        raise UserError(f"{path}: 文件不完整或已损坏(zip 结构无法读取),可能下载或复制未完成,请重新发送") from None
    except UnsafeWorkbook as exc:
        raise UserError(f"{path}: 工作簿含有不安全或异常的内容:{exc}") from None
    except zlib.error:  # a part whose compressed bytes are damaged (the zip directory is intact)
        raise UserError(f"{path}: 文件已损坏(其中的压缩数据无法解压),可能下载或复制未完成,请重新发送") from None


def _load_grids(
    path: Path, by_content: bool, stored: bytes | None = None
) -> tuple[dict[str, list[list[Any]]], dict[str, list]]:
    """Every sheet's values and merged ranges. `by_content`: the suffix lies, let calamine sniff.
    `stored`: the same package in a form calamine reads faster (package.py). calamine opens the
    file itself first, so its verdict on the file's zip structure stands; on any trouble with the
    copy the file itself is read, and errors are exactly calamine's on the file."""
    if stored is not None and (by_content or path.suffix in _XLSX_SUFFIXES):
        try:
            _open(path, by_content).close()
            return _grids(path, CalamineWorkbook.from_filelike(io.BytesIO(stored)))
        except BaseException as exc:  # read the file itself, which reports the fault
            if not isinstance(exc, Exception) and not _is_panic(exc):
                raise
    try:
        book = _open(path, by_content)
    except PasswordError:
        raise _encrypted(path) from None
    except BaseException as exc:
        if isinstance(exc, CalamineError | OSError | ValueError) or _is_panic(exc):
            # calamine's own words are English and name Rust internals: the department needs these
            raise UserError(f"{path}: 文件不完整或已损坏,无法读取;可能下载或复制未完成,请重新发送") from None
        raise
    return _grids(path, book)


def _is_panic(exc: BaseException) -> bool:
    """The calamine binding turns a Rust panic into pyo3's PanicException, a BaseException that
    `except Exception` does not catch (a damaged .xls raises one)."""
    return type(exc).__name__ == "PanicException"


def _open(path: Path, by_content: bool) -> CalamineWorkbook:
    if by_content or not str(path).isascii() and not _utf8(str(path)):  # a GBK name calamine cannot take
        with path.open("rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    return CalamineWorkbook.from_path(str(path))


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _grids(path: Path, book: CalamineWorkbook) -> tuple[dict[str, list[list[Any]]], dict[str, list]]:
    grids: dict[str, list[list[Any]]] = {}
    merged: dict[str, list] = {}
    name = ""
    try:
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows, cols = sheet.end if sheet.end else (-1, -1)
            if (rows + 1) * (cols + 1) > MAX_CELLS:  # .xls/.ods, whose extent we did not scan
                raise UserError(f"{path}: 工作表“{name}”的数据区域过大({rows + 1} 行 × {cols + 1} 列),"
                                "请删除表格以外多余的行列内容后再提交")
            grids[name] = sheet.to_python(skip_empty_area=False)
            merged[name] = sheet.merged_cell_ranges or []
    except PasswordError:
        raise _encrypted(path) from None
    except BaseException as exc:
        if isinstance(exc, CalamineError | OSError | ValueError | OverflowError) or _is_panic(exc):
            raise UserError(f"{path}: 工作表“{name}”已损坏,无法读取;请在 Excel 中打开并另存后再提交") from None
        raise
    finally:
        book.close()
    return grids, merged


def _place_formulas(grid: list[list[Any]], formulas: dict[tuple[int, int], str]) -> None:
    """Put an UncalculatedFormula where calamine saw an empty cell (it drops formulas without values)."""
    if not formulas:
        return
    width = max((c for _, c in formulas), default=0) + 1
    for (r, c), text in formulas.items():
        while len(grid) <= r:
            grid.append([])
        row = grid[r]
        if len(row) <= c:
            row.extend([""] * (max(width, c + 1) - len(row)))
        if row[c] in ("", None):
            row[c] = UncalculatedFormula(text)


def _show_percents(grid: list[list[Any]], cells: set[tuple[int, int]]) -> None:
    """A number formatted as a percentage is what the person typed and sees: 0.95 → "95%"."""
    for r, c in cells:
        if r < len(grid) and c < len(grid[r]):
            value = grid[r][c]
            if isinstance(value, int | float) and not isinstance(value, bool):
                grid[r][c] = f"{value * 100:.10g}%"


def read_workbook(path: str | Path, catalog: Catalog | None = None) -> ReadResult:
    """Read every project table of an .xlsx/.xlsm/.xls/.ods workbook. Never modifies the file."""
    with gc_paused():  # the grids, XML trees and records hold no reference cycles
        return _read_workbook(Path(path), catalog)


def _read_workbook(path: Path, catalog: Catalog | None) -> ReadResult:
    kind = _sniff(path)
    suffix = path.suffix.lower()
    properties: dict[str, Any] = {}
    scans: dict[str, SheetScan] = {}
    stored = None
    if kind == "ole":
        if _ole_is_encrypted(path):
            raise _encrypted(path)
    else:
        properties, scans, stored = _zip_extras(path)
    wps = suffix in (".et", ".ett")  # WPS 表格: an .xls or .xlsx inside, read by content, no warning
    lying = (kind == "ole") != (suffix == ".xls")
    grids, merged = _load_grids(path, lying or wps, stored)
    for sheet, scan in scans.items():
        if sheet in grids:
            _show_percents(grids[sheet], scan.percents)
            _place_formulas(grids[sheet], scan.formulas)
    result = read_sheets(str(path), grids, catalog, properties, merged=merged)
    if lying and not wps:
        real = ".xls(Excel 97-2003)" if kind == "ole" else ".xlsx/.ods"
        result.issues.append(
            Issue(
                "READ_WRONG_SUFFIX",
                Severity.WARNING,
                f"文件扩展名 {suffix or '(无)'} 与内容不符(实际是 {real} 格式),已按实际格式读取;{_RESAVE}",
                Location(str(path)),
                params={"suffix": suffix, "kind": kind},
            )
        )
    return result
