"""Builds `lubudget.xlam` (or a `.xlsm` twin) from the text sources in `macros/` and the installed xlwings.

The add-in is never committed as a binary: it is rebuilt from
- our VBA (`macros/*.bas`, `macros/*.cls`) and ribbon (`macros/customUI14.xml`);
- xlwings' own VBA, read from the installed xlwings package: `xlwings_custom_addin.bas` (the module
  `xlwings quickstart --addin` and `xlwings copy vba --addin` use) and `addin/Dictionary.cls`. Only its
  `PROJECT_NAME` constant is set, to "lubudget" (xlwings' documented way to name a custom add-in's
  config: `%USERPROFILE%\\.lubudget\\lubudget.conf`); every other byte is xlwings', so the VBA always
  matches the Python package it calls.

The package is written with zipfile (fixed timestamps, fixed part order), so the same sources give the
same bytes. Parts follow what XlsxWriter writes for `.xlsm`, plus the ribbon in two parts, each with
its relationship from `_rels/.rels`: `customUI/customUI14.xml` (2009/07 namespace, read by Excel 2010
and later) and `customUI/customUI.xml` (2006/01 namespace, read by Excel 2007 and WPS), the second
made from the first by changing the namespace, so there is one ribbon source.
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from lubudget_xl.addin.vbaproject import Module, build_vba_project, module_from_source
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import atomic_path

PROJECT_NAME = "lubudget"


def macros_dir() -> Path:
    """The VBA and ribbon sources: the copy an installed wheel carries (setup.py copies `macros/` into
    the package at build time), else the source checkout's `macros/` (running from the tree, editable
    installs). There is never a copy inside the source tree, so people's edits in `macros/` count."""
    here = Path(__file__).resolve().parent
    packaged = here / "macros"
    return packaged if packaged.is_dir() else here.parents[1] / "macros"


MACROS_DIR = macros_dir()
CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_2006_PART = "customUI/customUI.xml"
REL_CUSTOMUI14 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_CUSTOMUI = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
NS_CUSTOMUI14 = "http://schemas.microsoft.com/office/2009/07/customui"
NS_CUSTOMUI = "http://schemas.microsoft.com/office/2006/01/customui"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
CONTENT_TYPE_MAIN = {
    ".xlam": "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}
CONFIG_SHEET = f"_{PROJECT_NAME}.conf"  # xlwings reads "<PROJECT_NAME>.conf"; the "_" keeps it inactive
_PROJECT_NAME_LINE = re.compile(r'^Public Const PROJECT_NAME As String = "[^"]*"\r?$', re.MULTILINE)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class XlwingsVba:
    version: str
    module: str  # text of xlwings_custom_addin.bas as shipped
    dictionary: str  # text of addin/Dictionary.cls as shipped


def xlwings_dir() -> Path:
    """The installed xlwings package folder, found without importing xlwings."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise UserError("未安装 xlwings,无法生成加载项。请先安装:pip install 'lubudget_xl[excel]'")
    return Path(spec.origin).parent


def read_xlwings_vba(folder: Path | None = None) -> XlwingsVba:
    folder = folder or xlwings_dir()
    module = (folder / "xlwings_custom_addin.bas").read_text(encoding="ascii")
    dictionary = (folder / "addin" / "Dictionary.cls").read_text(encoding="ascii")
    found = re.search(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', module, re.MULTILINE)
    if not found:
        raise UserError(f"{folder / 'xlwings_custom_addin.bas'}:找不到 XLWINGS_VERSION,无法确认 xlwings 版本")
    return XlwingsVba(found.group(1), module, dictionary)


def customize_xlwings_module(text: str) -> str:
    """xlwings' add-in module with PROJECT_NAME set to ours (the one line a custom add-in changes)."""
    new, count = _PROJECT_NAME_LINE.subn(
        lambda m: f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"' + ("\r" if m.group(0).endswith("\r") else ""),
        text,
    )
    if count != 1:
        raise UserError("xlwings_custom_addin.bas 中 PROJECT_NAME 常量不是恰好一处,无法定制加载项")
    return new


def collect_modules(macros: Path = MACROS_DIR, xlwings_vba: XlwingsVba | None = None) -> list[Module]:
    """All modules in a fixed order: documents, xlwings' modules, then ours (sorted by file name)."""
    if not macros.is_dir():
        raise UserError(f"{macros}:找不到 VBA 源文件夹,安装不完整;请重新安装 lubudget_xl,或用 --file 安装已生成的加载项")
    xlwings_vba = xlwings_vba or read_xlwings_vba()
    ours = [
        module_from_source(path.read_text(encoding="ascii"), path.name)
        for path in sorted(macros.iterdir())
        if path.suffix in (".bas", ".cls")
    ]
    documents = sorted((m for m in ours if m.kind == "document"), key=lambda m: m.name != "ThisWorkbook")
    if [m.name for m in documents][:1] != ["ThisWorkbook"]:
        raise UserError(f"{macros}:必须有 ThisWorkbook.cls 文档模块")
    theirs = [
        module_from_source(customize_xlwings_module(xlwings_vba.module), "xlwings.bas"),
        module_from_source(xlwings_vba.dictionary, "Dictionary.cls"),
    ]
    return documents + theirs + [m for m in ours if m.kind != "document"]


def customui_2006(customui14: bytes) -> bytes:
    """The 2006/01 twin of the ribbon: same tab, groups and buttons (all of which the 2006 schema has)."""
    declaration = f'xmlns="{NS_CUSTOMUI14}"'.encode()
    if customui14.count(declaration) != 1:
        raise UserError(f"功能区定义必须恰好声明一次命名空间 {NS_CUSTOMUI14}")
    return customui14.replace(declaration, f'xmlns="{NS_CUSTOMUI}"'.encode())


def _xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode("utf-8")


def _parts(kind: str, vba_bin: bytes, customui: bytes, sheet_code_name: str, description: str) -> list[tuple[str, bytes]]:
    ns_main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ns_r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ns_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct_sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    ct_styles = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
    content_types = _xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT_TYPE_MAIN[kind]}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct_sheet}"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct_styles}"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )
    root_rels = _xml(
        f'<Relationships xmlns="{ns_rel}">'
        f'<Relationship Id="rId1" Type="{ns_r}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{ns_r}/extended-properties" Target="docProps/app.xml"/>'
        f'<Relationship Id="rId4" Type="{REL_CUSTOMUI14}" Target="{CUSTOMUI_PART}"/>'
        f'<Relationship Id="rId5" Type="{REL_CUSTOMUI}" Target="{CUSTOMUI_2006_PART}"/>'
        "</Relationships>"
    )
    workbook = _xml(
        f'<workbook xmlns="{ns_main}" xmlns:r="{ns_r}">'
        '<workbookPr codeName="ThisWorkbook"/>'
        '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="16000" windowHeight="9000"/></bookViews>'
        f'<sheets><sheet name="{escape(CONFIG_SHEET)}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )
    workbook_rels = _xml(
        f'<Relationships xmlns="{ns_rel}">'
        f'<Relationship Id="rId1" Type="{ns_r}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{ns_r}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{REL_VBA}" Target="vbaProject.bin"/>'
        "</Relationships>"
    )
    rows = [("Interpreter_Win", ""), ("PYTHONPATH", ""), ("Show Console", "False")]
    cells = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{escape(k)}</t></is></c>'
        + (f'<c r="B{n}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' if v else "")
        + "</row>"
        for n, (k, v) in enumerate(rows, start=1)
    )
    sheet = _xml(
        f'<worksheet xmlns="{ns_main}" xmlns:r="{ns_r}"><sheetPr codeName="{sheet_code_name}"/>'
        '<dimension ref="A1:B3"/><cols><col min="1" max="1" width="18" customWidth="1"/></cols>'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )
    styles = _xml(
        f'<styleSheet xmlns="{ns_main}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    core = _xml(
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>绩效目标表工具(lubudget)</dc:title><dc:creator>lubudget_xl</dc:creator>"
        f"<dc:description>{escape(description)}</dc:description>"
        "</cp:coreProperties>"
    )
    app = _xml(
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Excel</Application></Properties>"
    )
    return [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("docProps/app.xml", app),
        ("docProps/core.xml", core),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/styles.xml", styles),
        ("xl/vbaProject.bin", vba_bin),
        (CUSTOMUI_PART, customui),
        (CUSTOMUI_2006_PART, customui_2006(customui)),
    ]


def build_addin(out: Path, macros: Path = MACROS_DIR, xlwings_vba: XlwingsVba | None = None) -> Path:
    """Write the add-in to `out` (`.xlam`, or `.xlsm` for a workbook twin); atomic and reproducible."""
    if macros.is_dir() and not (macros / "customUI14.xml").is_file():
        raise UserError(f"{macros}:找不到功能区定义 customUI14.xml")
    xlwings_vba = xlwings_vba or read_xlwings_vba()
    modules = collect_modules(macros, xlwings_vba)
    return write_package(out, modules, (macros / "customUI14.xml").read_bytes(), f"xlwings {xlwings_vba.version}")


def write_package(out: Path, modules: list[Module], customui: bytes, description: str = "") -> Path:
    """The workbook package around a VBA project of `modules` (ThisWorkbook and one sheet document)."""
    out = Path(out)
    if out.suffix not in CONTENT_TYPE_MAIN:
        raise UserError(f"{out}:加载项文件名必须以 .xlam 或 .xlsm 结尾")
    sheet_docs = [m.name for m in modules if m.kind == "document" and m.name != "ThisWorkbook"]
    if len(sheet_docs) != 1:
        raise UserError(f"需要恰好一个工作表文档模块(如 Sheet1.cls),找到 {sheet_docs}")
    vba_bin = build_vba_project(PROJECT_NAME, modules)
    parts = _parts(out.suffix, vba_bin, customui, sheet_docs[0], description)
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w") as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
        tmp.chmod(0o644)  # mkstemp makes 0600; an add-in is an ordinary readable file
    return out
