"""A minimal, fast .xlsx writer for the master book's large tables.

Measured on this project's 2-core machine: 60 000 indicator rows × 14 cells take ~14 s with
XlsxWriter (~18 s with openpyxl write-only) and ~1 s here — the master book was the largest
cost of a consolidation. It writes only what the master book needs, in the part layout XlsxWriter
and Excel use: typed cells (every string a shared string, never a formula), five cell styles,
column widths, a frozen header row, one Excel table (filters, banded rows) per sheet, and external
hyperlinks to department files (relative to the book's folder, or `file:///…` across drives, with a
`'sheet'!C5` location).
Text is cleaned for XML (control characters become Excel's `_xHHHH_` escapes) and cut at Excel's
32 767-character cell limit, so no department's text can make the book unreadable.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from lubudget_xl import __version__
from lubudget_xl.reader.cells import col_letters

TEXT, INT, MONEY, NUMBER, HEADER, LINK = "text", "int", "money", "number", "header", "link"
STYLE_IDS = {TEXT: 0, HEADER: 1, INT: 2, MONEY: 3, LINK: 4, NUMBER: 0}
MAX_LINKS = 65530  # Excel's limit of hyperlinks per worksheet; later rows keep the text only
MAX_TEXT = 32767
MAX_ROWS = 1_048_576  # rows in an Excel sheet, header included
_INFINITE = (math.inf, -math.inf)

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")

STYLES = (
    _HEAD + f"<styleSheet {_NS}>"
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><color rgb="FF000000"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><color rgb="FF000000"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
    '<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>"
)


# Print setup for every sheet: A4 landscape, all columns on one page wide (as many pages tall as
# needed); table sheets repeat their header row on every page (Print_Titles in workbook.xml).
_SHEET_PR = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
_PAGE = (
    '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    '<headerFooter><oddFooter>&amp;C第 &amp;P 页,共 &amp;N 页</oddFooter></headerFooter>'
)


def clean_text(text: str) -> str:
    """Text as Excel stores it: XML-illegal characters as `_xHHHH_`, at most 32 767 characters."""
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return _CONTROL.sub(lambda m: "_x005F_" if m.group() == "_" else f"_x{ord(m.group()):04X}_", text)


@lru_cache(maxsize=4096)
def _target_of(target: str) -> str:
    """A link's relationship target (the part before `#`: a relative path or `file:///…`), escaped
    the way Excel writes it; one per department file, cached."""
    for raw, quoted in (("%", "%25"), (" ", "%20"), ('"', "%22"), ("<", "%3c"), (">", "%3e"), ("[", "%5b"),
                        ("]", "%5d"), ("^", "%5e"), ("`", "%60"), ("{", "%7b"), ("}", "%7d")):  # fmt: skip
        target = target.replace(raw, quoted)
    return target


@dataclass
class _Sheet:
    name: str
    links: int = 0  # hyperlinks: rId1 … rId<links>
    table: bool = False


class _Links:
    """A sheet's hyperlinks, kept in temporary files while its rows stream: the <hyperlink>
    elements follow </sheetData>, their relationships go to another part, and a sheet may hold
    65 530 of them."""

    def __init__(self) -> None:
        self.refs = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.rels = tempfile.TemporaryFile()  # noqa: SIM115

    def add(self, ref: str, url: str, number: int) -> None:
        target, _, location = url.partition("#")
        loc_attr = f" location={quoteattr(clean_text(location))}" if location else ""
        self.refs.write(f'<hyperlink ref="{ref}" r:id="rId{number}"{loc_attr}/>'.encode())
        self.rels.write(f'<Relationship Id="rId{number}" Type="{_REL}/hyperlink" {_quoted_target(target)}/>'.encode())

    def copy_hyperlinks(self, handle: IO[bytes]) -> None:
        self.refs.seek(0)
        shutil.copyfileobj(self.refs, handle)

    def copy_relationships(self, handle: IO[bytes]) -> None:
        self.rels.seek(0)
        shutil.copyfileobj(self.rels, handle)

    def close(self) -> None:
        self.refs.close()
        self.rels.close()


class FastBook:
    """Sheets are streamed into the zip as they are added (a 500 000-row sheet never sits in memory
    as one string); shared strings, workbook and package parts are written by `close()`."""

    def __init__(self, path: str | os.PathLike[str], title: str = "") -> None:
        self.title = title
        self.zip = zipfile.ZipFile(Path(path), "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.sheets: list[_Sheet] = []
        self.strings: dict[str, int] = {}
        self._raw: dict[str, int] = {}  # texts stored as they are (no character needed escaping)
        self.string_count = 0

    def __enter__(self) -> FastBook:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        """On an error (a full disk …) the zip is closed at once, quietly: the temporary file can
        then be removed (Windows keeps open files) and no 'Exception ignored' trace follows."""
        if kind is not None:
            with contextlib.suppress(Exception):
                self.zip.close()

    def _s(self, text: str) -> int:
        self.string_count += 1
        index = self.strings.get(text)
        if index is None:
            index = self.strings[text] = len(self.strings)
        return index

    def add_table(
        self,
        name: str,
        table_name: str,
        headers: Sequence[str],
        kinds: Sequence[str],
        widths: Sequence[float],
        rows: Iterable[Sequence[object]],
        link_of: Callable[[Sequence[object]], str | None] | None = None,
        link_column: int | None = None,
        totals: Sequence[object] | None = None,
    ) -> int:
        """A sheet holding one Excel table with a frozen header; returns the number of data rows.

        `kinds` per column: text, int, money or number. `link_of(row)` (a `file:///…#'sheet'!A1`
        URL or None) makes the row's cell in `link_column` a hyperlink; hyperlinks wait in a
        temporary file until the rows are written. Every text is a shared string (a book of
        repeated texts stays small, and a part's XML stays far below zip's 2 GB limit); the
        shared-string table grows with the distinct texts only.
        At most MAX_ROWS - 1 rows: the caller splits larger tables over several sheets.
        `totals` (a 合计 row) is written right below the table, outside it, so sorting and
        filtering the table never move it.
        """
        letters = [col_letters(i) for i in range(len(headers))]
        styles = [STYLE_IDS[k] for k in kinds]
        numeric = [k in (INT, MONEY, NUMBER) for k in kinds]
        link_style = STYLE_IDS[LINK]
        s = self._s
        sheet = _Sheet(name, table=True)
        self.sheets.append(sheet)
        number = len(self.sheets)
        selected = 'tabSelected="1" ' if number == 1 else ""
        cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w:.2f}" customWidth="1"/>' for i, w in enumerate(widths))
        header = "".join(f'<c r="{letters[c]}1" s="1" t="s"><v>{s(clean_text(h))}</v></c>' for c, h in enumerate(headers))
        links = _Links()
        with self.zip.open(f"xl/worksheets/sheet{number}.xml", "w") as handle:
            handle.write((
                f"{_HEAD}<worksheet {_NS} {_NS_R}>{_SHEET_PR}<sheetViews><sheetView {selected}workbookViewId=\"0\">"
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData><row r="1">{header}</row>'
            ).encode())  # fmt: skip
            out: list[str] = []
            r = 1
            index_of = self._raw  # plain text → shared string index; other texts are cleaned first
            strings = self.strings
            # Per column, the cell markup around the row number and the value.
            opens = [f'<c r="{letter}' for letter in letters]
            mids = [f'" s="{st}"><v>' if numeric[c] else f'" s="{st}" t="s"><v>' if st else '" t="s"><v>'
                    for c, st in enumerate(styles)]  # fmt: skip
            link_mid = f'" s="{link_style}" t="s"><v>'
            counted = 0
            for r, values in enumerate(rows, start=2):
                if r > MAX_ROWS:
                    raise ValueError(f"{name}: more than {MAX_ROWS - 1} rows")
                row = str(r)
                linked = -1
                if link_of is not None and sheet.links < MAX_LINKS:
                    url = link_of(values)
                    if url:
                        sheet.links += 1
                        links.add(f"{letters[link_column]}{row}", url, sheet.links)
                        linked = link_column
                cells = []
                for c, value in enumerate(values):
                    if value is None:
                        continue
                    if numeric[c] and type(value) is not str:
                        if value != value or value in _INFINITE:  # NaN, ±inf: an empty cell
                            continue
                        cells.append(f"{opens[c]}{row}{mids[c]}{value!r}</v></c>")
                        continue
                    index = index_of.get(value) if type(value) is str else None
                    if index is None:
                        if value == "" or value != value:  # empty, NaN
                            continue
                        text = value if isinstance(value, str) else str(value)
                        if text.isprintable() and "_x" not in text and len(text) < 1000:
                            key = text
                            index = index_of[text] = strings.setdefault(key, len(strings))
                        else:
                            key = clean_text(text)
                            index = strings.setdefault(key, len(strings))
                    counted += 1
                    cells.append(f"{opens[c]}{row}{link_mid if c == linked else mids[c]}{index}</v></c>")
                out.append(f'<row r="{row}">{"".join(cells)}</row>')
                if len(out) >= 2000:
                    handle.write("".join(out).encode())
                    out.clear()
            self.string_count += counted
            last = max(r, 2)
            if totals is not None:
                cells = []
                for c, value in enumerate(totals):
                    if value is None or value == "":
                        continue
                    if numeric[c]:
                        cells.append(f'<c r="{letters[c]}{last + 1}" s="{styles[c]}"><v>{value!r}</v></c>')
                    else:
                        cells.append(f'<c r="{letters[c]}{last + 1}" s="1" t="s"><v>{s(clean_text(str(value)))}</v></c>')
                out.append(f'<row r="{last + 1}">{"".join(cells)}</row>')
            handle.write("".join(out).encode())
            handle.write(b"</sheetData>")
            if sheet.links:
                handle.write(b"<hyperlinks>")
                links.copy_hyperlinks(handle)
                handle.write(b"</hyperlinks>")
            handle.write(
                _PAGE.encode()
                + f'<tableParts count="1"><tablePart r:id="rId{sheet.links + 1}"/></tableParts></worksheet>'.encode()
            )
        ref = f"A1:{letters[-1]}{last}"
        columns = "".join(f'<tableColumn id="{i + 1}" name={quoteattr(clean_text(h))}/>' for i, h in enumerate(headers))
        self.zip.writestr(f"xl/tables/table{number}.xml", (
            f'{_HEAD}<table {_NS} id="{number}" name="{table_name}" displayName="{table_name}" ref="{ref}" '
            f'totalsRowShown="0"><autoFilter ref="{ref}"/><tableColumns count="{len(headers)}">{columns}'
            '</tableColumns><tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" '
            'showRowStripes="1" showColumnStripes="0"/></table>'
        ))  # fmt: skip
        table_rel = _rel(f"rId{sheet.links + 1}", f"{_REL}/table", f"../tables/table{number}.xml", False)
        with self.zip.open(f"xl/worksheets/_rels/sheet{number}.xml.rels", "w") as handle:
            handle.write(f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'.encode())
            links.copy_relationships(handle)
            handle.write(f"{table_rel}</Relationships>".encode())
        links.close()
        return r - 1

    def add_pairs(self, name: str, pairs: Sequence[tuple[str, object]], widths: Sequence[float]) -> None:
        """A small label/value sheet (no table): the reconciliation in words."""
        rows = []
        for r, (label, value) in enumerate(pairs, start=1):
            cell = f'<c r="A{r}" s="1" t="s"><v>{self._s(clean_text(label))}</v></c>'
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell += f'<c r="B{r}" s="2"><v>{value!r}</v></c>'
            elif value is not None:
                cell += f'<c r="B{r}" t="s"><v>{self._s(clean_text(str(value)))}</v></c>'
            rows.append(f'<row r="{r}">{cell}</row>')
        cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w:.2f}" customWidth="1"/>' for i, w in enumerate(widths))
        self.sheets.append(_Sheet(name))
        self.zip.writestr(f"xl/worksheets/sheet{len(self.sheets)}.xml", (
            f'{_HEAD}<worksheet {_NS} {_NS_R}>{_SHEET_PR}<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{"".join(rows)}</sheetData>'
            f"{_PAGE}</worksheet>"
        ))  # fmt: skip

    def close(self) -> None:
        """Write the shared strings and the package parts, and close the zip."""
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        n = len(self.sheets)
        overrides = [
            ("/xl/workbook.xml", f"{_CT}.spreadsheetml.sheet.main+xml"),
            ("/xl/styles.xml", f"{_CT}.spreadsheetml.styles+xml"),
            ("/xl/sharedStrings.xml", f"{_CT}.spreadsheetml.sharedStrings+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", f"{_CT}.extended-properties+xml"),
        ]
        overrides += [(f"/xl/worksheets/sheet{i}.xml", f"{_CT}.spreadsheetml.worksheet+xml") for i in range(1, n + 1)]
        overrides += [
            (f"/xl/tables/table{i}.xml", f"{_CT}.spreadsheetml.table+xml")
            for i, sh in enumerate(self.sheets, start=1) if sh.table
        ]  # fmt: skip
        types = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        z = self.zip
        z.writestr("[Content_Types].xml", (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>'
        ))  # fmt: skip
        z.writestr("_rels/.rels", _rels([
            ("rId1", f"{_REL}/officeDocument", "xl/workbook.xml", False),
            ("rId2", f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml", False),
            ("rId3", f"{_REL}/extended-properties", "docProps/app.xml", False),
        ]))  # fmt: skip
        sheets = "".join(
            f'<sheet name={quoteattr(sh.name)} sheetId="{i}" r:id="rId{i}"/>' for i, sh in enumerate(self.sheets, start=1)
        )
        titles = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{escape(chr(39) + sh.name.replace(chr(39), chr(39) * 2) + chr(39))}!$1:$1</definedName>"
            for i, sh in enumerate(self.sheets) if sh.table
        )  # fmt: skip
        names = f"<definedNames>{titles}</definedNames>" if titles else ""
        z.writestr("xl/workbook.xml", (
            f'{_HEAD}<workbook {_NS} {_NS_R}><bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets>{sheets}</sheets>{names}<calcPr calcId="191029"/></workbook>'
        ))  # fmt: skip
        z.writestr("xl/_rels/workbook.xml.rels", _rels(
            [(f"rId{i}", f"{_REL}/worksheet", f"worksheets/sheet{i}.xml", False) for i in range(1, n + 1)]
            + [(f"rId{n + 1}", f"{_REL}/styles", "styles.xml", False),
               (f"rId{n + 2}", f"{_REL}/sharedStrings", "sharedStrings.xml", False)]
        ))  # fmt: skip
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("docProps/core.xml", (
            f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(self.title)}</dc:title><dc:creator>lubudget_xl {__version__}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>'
        ))  # fmt: skip
        z.writestr("docProps/app.xml", (
            f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>lubudget_xl</Application></Properties>"
        ))  # fmt: skip
        with z.open("xl/sharedStrings.xml", "w", force_zip64=len(self.strings) > 1_000_000) as handle:
            handle.write(f'{_HEAD}<sst {_NS} count="{self.string_count}" uniqueCount="{len(self.strings)}">'.encode())
            chunk: list[str] = []
            for text in self.strings:
                spaced = text[:1].isspace() or text[-1:].isspace()
                chunk.append(f'<si><t xml:space="preserve">{escape(text)}</t></si>' if spaced
                             else f"<si><t>{escape(text)}</t></si>")  # fmt: skip
                if len(chunk) >= 5000:
                    handle.write("".join(chunk).encode())
                    chunk.clear()
            handle.write(("".join(chunk) + "</sst>").encode())
        z.close()


@lru_cache(maxsize=4096)
def _quoted_target(target: str) -> str:
    return f'Target={quoteattr(_target_of(target))} TargetMode="External"'


def _rel(rid: str, kind: str, target: str, external: bool) -> str:
    mode = ' TargetMode="External"/>' if external else "/>"
    return f'<Relationship Id="{rid}" Type="{kind}" Target={quoteattr(target)}{mode}'


def _rels(items: Sequence[tuple[str, str, str, bool]]) -> str:
    body = "".join(_rel(*item) for item in items)
    return f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'
