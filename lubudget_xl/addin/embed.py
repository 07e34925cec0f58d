"""A macro-enabled copy of a workbook that carries our VBA itself: for LibreOffice, which runs VBA from
the document but cannot load an Excel add-in.

`embed_macros("填报.xlsx", "填报.xlsm")` adds `xl/vbaProject.bin` (our modules from `macros/`, without
xlwings' module, which LibreOffice cannot compile and which the no-COM bridge does not need), links
it from the workbook, switches the main part to the macro-enabled content type and sets the code
names the VBA project's document modules are bound by (`ThisWorkbook`, and `Sheet1` on the first
sheet; the other sheets get `Sheet2`, `Sheet3`, … as Excel would name them). Every other part is copied byte for byte. In Excel and WPS use the add-in instead: this
project has no xlwings module, so the Excel path (RunPython) is not in it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

from lubudget_xl.addin.package import CONTENT_TYPE_MAIN, MACROS_DIR, PROJECT_NAME, REL_VBA
from lubudget_xl.addin.vbaproject import Module, build_vba_project, module_from_source
from lubudget_xl.errors import UserError, os_error_reason
from lubudget_xl.fsutil import atomic_path

VBA_PART = "xl/vbaProject.bin"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
_REL_ID = "rIdLubudgetVba"


def our_modules(macros: Path = MACROS_DIR) -> list[Module]:
    """Our modules only, documents first (ThisWorkbook, then the sheet document)."""
    modules = [
        module_from_source(path.read_text(encoding="ascii"), path.name)
        for path in sorted(macros.iterdir())
        if path.suffix in (".bas", ".cls")
    ]
    return sorted(modules, key=lambda m: (m.kind != "document", m.name != "ThisWorkbook"))


def _set_attribute(xml: str, tag: str, name: str, value: str) -> tuple[str, bool]:
    """Set `name="value"` on the first <tag> element; False when there is no such element."""
    found = re.search(rf"<{tag}(?=[\s/>])([^>]*?)(/?)>", xml)
    if not found:
        return xml, False
    attrs = re.sub(rf'\s{name}="[^"]*"', "", found.group(1))
    element = f'<{tag}{attrs} {name}="{value}"{found.group(2)}>'
    return xml[: found.start()] + element + xml[found.end() :], True


def _workbook_xml(xml: str) -> str:
    xml, done = _set_attribute(xml, "workbookPr", "codeName", "ThisWorkbook")
    if not done:  # CT_Workbook order: fileVersion, fileSharing, workbookPr, workbookProtection, bookViews, sheets
        at = min(xml.find(t) for t in ("<workbookProtection", "<bookViews", "<sheets") if xml.find(t) >= 0)
        xml = xml[:at] + '<workbookPr codeName="ThisWorkbook"/>' + xml[at:]
    return xml


def _sheet_xml(xml: str, code_name: str) -> str:
    xml, done = _set_attribute(xml, "sheetPr", "codeName", code_name)
    if not done:  # sheetPr is the worksheet's first child
        start = re.search(r"<worksheet\b[^>]*>", xml)
        xml = xml[: start.end()] + f'<sheetPr codeName="{code_name}"/>' + xml[start.end() :]
    return xml


def _renamed(code: str, name: str) -> str:
    return re.sub(r'^Attribute VB_Name = "[^"]*"', f'Attribute VB_Name = "{name}"', code, count=1, flags=re.M)


def _sheet_parts(workbook: str, rels: str) -> list[str]:
    """The worksheet parts in the workbook's sheet order."""
    parts = []
    for rid in re.findall(r'<sheet\b[^>]*\br:id="([^"]+)"', workbook):
        target = re.search(rf'<Relationship\b(?=[^>]*\bId="{re.escape(rid)}")[^>]*\bTarget="([^"]+)"', rels)
        path = target.group(1)
        parts.append(path.lstrip("/") if path.startswith("/") else str(PurePosixPath("xl") / path))
    return parts


def embed_macros(source: str | Path, out: str | Path, modules: list[Module] | None = None) -> Path:
    """Write `out` (.xlsm): `source` (.xlsx/.xlsm) with our VBA project; `source` is not changed."""
    source, out = Path(source), Path(out)
    if out.suffix.lower() != ".xlsm":
        raise UserError(f"{out}:带宏的工作簿文件名必须以 .xlsm 结尾")
    modules = modules or our_modules()
    sheet_docs = [m.name for m in modules if m.kind == "document" and m.name != "ThisWorkbook"]
    if [m.name for m in modules if m.kind == "document"][:1] != ["ThisWorkbook"] or len(sheet_docs) != 1:
        raise UserError("VBA 工程需要 ThisWorkbook 和恰好一个工作表文档模块")
    try:
        with zipfile.ZipFile(source) as zin:
            infos = [i for i in zin.infolist() if i.filename != VBA_PART]
            parts = {i.filename: zin.read(i) for i in infos}
    except OSError as err:
        raise UserError(f"{source}:无法打开工作簿({os_error_reason(err)})") from None
    except zipfile.BadZipFile:
        raise UserError(f"{source}:无法打开工作簿(不是 .xlsx 格式,或文件已损坏)") from None
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    parts["xl/workbook.xml"] = _workbook_xml(workbook).encode("utf-8")
    # every sheet gets a code name and a document module (Excel expects both in a VBA workbook): the
    # first sheet is bound to our sheet module, the others to copies of it named as Excel names them
    sheet_module = next(m for m in modules if m.name == sheet_docs[0])
    others = (f"Sheet{n}" for n in range(1, 10_000) if f"Sheet{n}" != sheet_docs[0])
    for number, part in enumerate(_sheet_parts(workbook, rels)):
        if part not in parts or b"<worksheet" not in parts[part][:2000]:
            continue  # a chartsheet or a missing part: left as it is
        name = sheet_docs[0] if number == 0 else next(others)
        if number:  # after the other document modules, before the code modules
            at = max(i for i, m in enumerate(modules) if m.kind == "document") + 1
            modules = [*modules[:at], replace(sheet_module, name=name, code=_renamed(sheet_module.code, name)),
                       *modules[at:]]  # fmt: skip
        parts[part] = _sheet_xml(parts[part].decode("utf-8"), name).encode("utf-8")
    if REL_VBA not in rels:
        rels = rels.replace("</Relationships>", f'<Relationship Id="{_REL_ID}" Type="{REL_VBA}" Target="vbaProject.bin"/>'
                            "</Relationships>")  # fmt: skip
    parts["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    types = re.sub(r'(<Override\b(?=[^>]*PartName="/xl/workbook.xml")[^>]*ContentType=")[^"]*"',
                   rf'\g<1>{CONTENT_TYPE_MAIN[".xlsm"]}"', types)  # fmt: skip
    if 'PartName="/xl/vbaProject.bin"' not in types:
        types = types.replace("</Types>", f'<Override PartName="/{VBA_PART}" ContentType="{VBA_CONTENT_TYPE}"/></Types>')
    parts["[Content_Types].xml"] = types.encode("utf-8")
    parts[VBA_PART] = build_vba_project(PROJECT_NAME, modules)
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in infos:
            zout.writestr(info, parts[info.filename], compress_type=zipfile.ZIP_DEFLATED)
        zout.writestr(zipfile.ZipInfo(VBA_PART, date_time=(1980, 1, 1, 0, 0, 0)), parts[VBA_PART],
                      compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return out
