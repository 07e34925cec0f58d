"""The XML we parse ourselves from a workbook zip: custom properties, sheet parts, bare formulas.

Files arrive from hundreds of departments, so every XML part goes through defusedxml (no entity
expansion, no external entities) and has a size cap. calamine reads the cell values; this module
only adds what calamine does not expose: custom document properties and formulas without results.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

_MAX_PART = 4 * 1024 * 1024  # properties, workbook and relationship parts are a few kB
_MAX_SHEET = 512 * 1024 * 1024  # an uncompressed sheet part we are willing to scan for formulas
_NS_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"

# A cell whose formula is followed by no value, or an empty one, and is not a string result
# (Excel stores an empty string result as t="str" with an empty <v>).
_BARE_FORMULA = re.compile(
    rb'<c\b(?P<attrs>[^>]*)>\s*<f\b[^>]*?(?:/>|>(?P<f>[^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)
# A cell with a stored value, formula or not (its attributes say whether it is a number).
_NUMBER_CELL = re.compile(rb'<c\b(?P<attrs>[^>]*)>\s*(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?<v>[^<]*</v>')
_STYLE = re.compile(rb'\bs="\d+"')
_MAX_COLS = 16384  # column XFD, the last one a sheet has
_MAX_ROWS = 1_048_576
_REF = re.compile(rb'\br="(?P<col>[A-Z]{1,3})(?P<row>\d+)"')
# Cell start tags as Excel, LibreOffice, WPS and openpyxl write them (`<c r="A1" …`): counted with
# bytes.count, so the common sheet is measured without a regex pass over every cell.
_PLAIN_CELL = b'<c r="'
_ODD_CELLS = (re.compile(rb"<c[\t\n\r>/]"), re.compile(rb":c[\s/>]"))  # other spacing, no attributes, a prefix
# Any cell start tag, any prefix, its attributes in any order and either quote (calamine reads them all).
_ANY_CELL = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c(?=[\s/>])([^>]*)>")
_ANY_R = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])\s*([A-Za-z]*)([0-9]*)\s*\1""")
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row(?=[\s/>])")
_FORMULA_TAG = re.compile(rb"<f\b")
_XML_SPACE = frozenset(b" \t\n\r\f\v")  # what \s matches in a bytes pattern


class UnsafeWorkbook(Exception):
    """An XML part that is too large or uses constructs defusedxml forbids."""


def _read_part(zf: zipfile.ZipFile, name: str, cap: int = _MAX_PART) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > cap:
        raise UnsafeWorkbook(f"{name} 过大({info.file_size} 字节)")
    return zf.read(info)


def _parse(data: bytes, name: str) -> Any:
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException:
        raise UnsafeWorkbook(f"{name} 含有不安全的 XML 结构(实体定义或外部引用)") from None
    except SafeET.ParseError as exc:  # its text is English; the position is what helps
        line, column = getattr(exc, "position", (0, 0))
        raise UnsafeWorkbook(f"{name} 不是有效的 XML(第 {line} 行第 {column} 列)") from None


def _typed(elem: Any) -> Any:
    tag = elem.tag.replace(_NS_VT, "")
    text = (elem.text or "").strip()
    if tag in ("i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint"):
        return _in_range(int(text) if len(text) <= 20 else _too_long())
    if tag in ("r4", "r8", "decimal"):
        number = _in_range(float(text))
        return int(number) if number.is_integer() else number
    if tag == "bool":
        return text.lower() in ("true", "1")
    return elem.text or ""


# A property number beyond this (or inf, nan) is kept as its text: no year or version is that large,
# and int(inf) would raise where the value is used.
_MAX_NUMBER = 2**53


def _in_range(number: float) -> float:
    if not math.isfinite(number) or abs(number) > _MAX_NUMBER:
        raise ValueError("out of range")
    return number


def _too_long() -> int:
    raise ValueError("too many digits")


def custom_properties(zf: zipfile.ZipFile) -> dict[str, Any]:
    """Custom document properties of an OOXML package (docProps/custom.xml), by name."""
    data = _read_part(zf, "docProps/custom.xml")
    return {} if data is None else dict(_custom_xml(data))


# Parts a batch repeats byte for byte (one template's properties and relationships): parsed once.
@lru_cache(maxsize=32)
def _custom_xml(data: bytes) -> dict[str, Any]:
    root = _parse(data, "docProps/custom.xml")
    props: dict[str, Any] = {}
    for prop in root:
        name = prop.get("name")
        if not name or not len(prop):
            continue
        try:
            props[name] = _typed(prop[0])
        except ValueError:
            props[name] = prop[0].text or ""
    return props


def ods_properties(zf: zipfile.ZipFile) -> dict[str, Any]:
    """User-defined properties of an OpenDocument spreadsheet (meta.xml)."""
    data = _read_part(zf, "meta.xml")
    if data is None:
        return {}
    root = _parse(data, "meta.xml")
    props: dict[str, Any] = {}
    for elem in root.iter(f"{_NS_META}user-defined"):
        name = elem.get(f"{_NS_META}name")
        text = (elem.text or "").strip()
        if not name:
            continue
        if elem.get(f"{_NS_META}value-type") == "float":
            try:
                number = _in_range(float(text))
                props[name] = int(number) if number.is_integer() else number
                continue
            except ValueError:
                pass
        props[name] = text
    return props


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → part name inside the zip (xl/worksheets/sheetN.xml), from workbook.xml."""
    rels_data = _read_part(zf, "xl/_rels/workbook.xml.rels")
    book_data = _read_part(zf, "xl/workbook.xml")
    if rels_data is None or book_data is None:
        return {}
    targets = _relationship_targets(rels_data)
    parts = {}
    for sheet in _parse(book_data, "xl/workbook.xml").iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id")
        if rid in targets:
            parts[sheet.get("name", "")] = targets[rid]
    return parts


@lru_cache(maxsize=32)
def _relationship_targets(data: bytes) -> dict[str | None, str]:
    """Relationship id → part name, from xl/_rels/workbook.xml.rels (read only: it is shared)."""
    targets = {}
    for rel in _parse(data, "xl/_rels/workbook.xml.rels").iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    return targets


def percent_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats (cellXfs) that show numbers as percentages (0%, 0.00%, custom)."""
    data = _read_part(zf, "xl/styles.xml")
    if data is None or b"cellXfs" not in data:
        return set()
    if b"%" not in data and b'numFmtId="9"' not in data and b'numFmtId="10"' not in data:
        return set()  # no percentage format at all: skip parsing (most workbooks)
    root = _parse(data, "xl/styles.xml")
    codes = {9: "0%", 10: "0.00%"}
    for fmt in root.iter(f"{_NS_MAIN}numFmt"):
        try:
            codes[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    found: set[int] = set()
    xfs = root.find(f"{_NS_MAIN}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else ()):
        try:
            code = codes.get(int(xf.get("numFmtId", "0")), "")
        except ValueError:
            continue
        if "%" in code.replace('\\%', "").split(";")[0]:
            found.add(i)
    return found


def _position(attrs: bytes) -> tuple[int, int] | None:
    ref = _REF.search(attrs)
    if not ref:
        return None
    return int(ref["row"]) - 1, _col_number(ref["col"]) - 1


@dataclass
class SheetScan:
    """What calamine does not tell about a sheet: formula cells stored without a computed value
    ((row, col) 0-based → formula text), number cells shown as percentages (95% is 0.95), and the
    extent of its cells (calamine builds a dense grid of that size: a stray value in XFD1048576
    would ask for 17 billion cells and abort the process). `cols` is 16384 when the rows alone
    keep rows × columns within the limit (then the columns are not counted)."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    percents: set[tuple[int, int]] = field(default_factory=set)
    rows: int = 0
    cols: int = 0
    last_cell: str = ""
    beyond: bool = False  # a reference beyond XFD1048576: no spreadsheet program wrote it


def _col_number(letters: bytes) -> int:
    col = 0
    for ch in letters.upper()[:8]:  # eight letters are already far beyond XFD
        col = col * 26 + ch - 64
    return col


def _col_letters(col: int) -> str:
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _extent(data: bytes, scan: SheetScan, limit: int) -> None:
    """Rows and columns the sheet's cells span, exact enough to compare rows × columns with
    `limit`, from every cell reference however it is written: wherever the far cell stands, in
    either quotes, among other attributes, with a prefix or lower-case or over-long letters."""
    tags = data.count(b"<c ")
    odd = any(pattern.search(data) for pattern in _ODD_CELLS)
    if tags and not odd and tags == data.count(_PLAIN_CELL):
        _plain_extent(data, scan, limit)
    elif tags or odd:
        _any_extent(data, scan)
    if scan.rows > _MAX_ROWS or scan.cols > _MAX_COLS:
        scan.beyond = True
    if scan.rows * scan.cols > limit and not scan.last_cell:
        scan.last_cell = f"{_col_letters(min(scan.cols, _MAX_COLS * 26))}{scan.rows}"


def _plain_extent(data: bytes, scan: SheetScan, limit: int) -> None:
    """Every cell tag starts `<c r="`: a few searches bound the columns, and only references whose
    row could matter are parsed."""
    bound: int | None = 26
    wide = re.search(rb'<c r="[A-Za-z]{2}', data)  # most sheets: none, one pass
    if wide is not None:
        bound = next((most for letters, most in ((4, None), (3, 18278))
                      if re.compile(rb'<c r="[A-Za-z]{%d}' % letters).search(data, wide.start())), 702)
    if bound is None:  # four letters or more: beyond column XFD
        refs = re.findall(rb'<c r="([A-Za-z]{4,})([0-9]*)"', data)
        col = max((_col_number(c) for c, _ in refs), default=_MAX_COLS + 1)
        scan.rows, scan.cols = max((int(r) for _, r in refs if r), default=1), col
        return
    threshold = max(1, limit // bound)
    digits = len(str(threshold))
    # rows from 10^(digits-1) up: every row that could exceed the threshold, seldom many
    refs = re.findall(rb'<c r="([A-Za-z]+)0*([1-9][0-9]{%d,})"' % (digits - 1), data)
    scan.rows = max((int(r) for _, r in refs), default=10 ** (digits - 1) - 1)  # an upper bound
    scan.cols = bound
    if scan.rows * bound > limit:  # too big with the bound: count the columns exactly
        scan.cols = max(_col_number(c) for c in re.findall(rb'<c r="([A-Za-z]+)', data))
    elif scan.rows * _MAX_COLS <= limit:
        scan.cols = _MAX_COLS  # no column could make it too big (as before)


def _any_extent(data: bytes, scan: SheetScan) -> None:
    """The exact extent from every cell tag (unusual writers or crafted files only). A cell without
    a reference follows the one before it in its row, so such cells widen the row by one each."""
    rows = cols = missing = 0
    for cell in _ANY_CELL.finditer(data):
        ref = _ANY_R.search(cell[1])
        if ref is None or not ref[2] and not ref[3]:
            missing += 1
            continue
        rows = max(rows, int(ref[3]) if ref[3] else 0)
        cols = max(cols, _col_number(ref[2]))
    if missing:
        starts = [m.start() for m in _ROW_TAG.finditer(data)] + [len(data)]
        widest = max((len(_ANY_CELL.findall(data, a, b)) for a, b in zip(starts, starts[1:], strict=False)),
                     default=missing)
        rows, cols = max(rows, len(starts)), cols + max(widest, 1)
    scan.rows, scan.cols = rows, cols


def _bare_formulas(data: bytes) -> Iterator[re.Match[bytes]]:
    """The matches `_BARE_FORMULA.finditer(data)` gives, found from the few `<f` tags instead of
    trying the pattern at every cell: a match starts at a `<c` between the last `>` before the
    formula's cell tag end and that end, so only those starts are tried (in order, not overlapping)."""
    end = 0
    for tag in _FORMULA_TAG.finditer(data):
        close = tag.start() - 1
        while close >= 0 and data[close] in _XML_SPACE:
            close -= 1
        if close < end or data[close] != 0x3E:  # ">"
            continue
        start = data.find(b"<c", data.rfind(b">", 0, close) + 1, close)
        while start >= 0:
            if start >= end and (m := _BARE_FORMULA.match(data, start)):
                end = m.end()
                yield m
                break
            start = data.find(b"<c", start + 1, close)


def scan_sheet(zf: zipfile.ZipFile, part: str, percent_xfs: set[int], cell_limit: int) -> SheetScan:
    data = _read_part(zf, part, _MAX_SHEET)
    scan = SheetScan()
    if data is None:
        return scan
    _extent(data, scan, cell_limit)
    if scan.beyond or scan.rows * scan.cols > cell_limit:
        return scan
    formulas, percents = scan.formulas, scan.percents
    if b"<f" in data:
        for m in _bare_formulas(data):
            attrs = m["attrs"]
            if b't="str"' in attrs or b"t='str'" in attrs:
                continue
            pos = _position(attrs)
            if pos is not None:
                formulas[pos] = (m["f"] or b"").decode("utf-8", "replace")
    styles = {b's="%d"' % i for i in percent_xfs}
    if styles and any(style in data for style in styles):
        for m in _NUMBER_CELL.finditer(data):
            attrs = m["attrs"]
            style = _STYLE.search(attrs)
            if style is None or style.group(0) not in styles:
                continue
            if b" t=" in attrs and b't="n"' not in attrs:
                continue
            pos = _position(attrs)
            if pos is not None:
                percents.add(pos)
    return scan
