"""Template identity (DESIGN.md §6): custom document properties and the hidden sheet `模板信息`.

Both carry the same four keys, so a reader can tell the year and template of a returned file even
when one of the two was lost (a copy-paste into a new workbook keeps the sheet, not the properties).
"""

from __future__ import annotations

from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.workbook.workbook import Workbook

from lubudget_xl.catalog import Catalog
from lubudget_xl.model import TemplateInfo
from lubudget_xl.template.layout import FONT, FONT_BOLD, LAYOUT_REVISION, TEMPLATE_ID

INFO_SHEET = "模板信息"
PROPERTY_KEYS = ("LubudgetTemplateId", "LubudgetYear", "LubudgetCatalogVersion", "LubudgetTemplateVersion")


def template_info(catalog: Catalog) -> TemplateInfo:
    return TemplateInfo(
        template_id=TEMPLATE_ID,
        year=catalog.year,
        catalog_version=catalog.version,
        template_version=f"{catalog.year}.{LAYOUT_REVISION}",
    )


def info_items(info: TemplateInfo) -> list[tuple[str, str | int]]:
    values = (info.template_id, info.year, info.catalog_version, info.template_version)
    return list(zip(PROPERTY_KEYS, values, strict=True))


def add_identity(wb: Workbook, info: TemplateInfo) -> None:
    """Write the custom properties and the hidden, protected `模板信息` sheet (A1:B4)."""
    for key, value in info_items(info):
        prop = IntProperty(name=key, value=value) if isinstance(value, int) else StringProperty(name=key, value=value)
        wb.custom_doc_props.append(prop)
    ws = wb.create_sheet(INFO_SHEET)
    for row, (key, value) in enumerate(info_items(info), start=1):
        ws.cell(row, 1, key).font = FONT_BOLD
        ws.cell(row, 2, value).font = FONT
    ws.cell(6, 1, "本表记录模板身份,供校验和汇总识别年度与版本,请勿修改。").font = FONT
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 24
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def read_identity(wb: Workbook) -> TemplateInfo | None:
    """The identity of an openpyxl workbook: properties first, else the `模板信息` sheet."""
    found: dict[str, object] = {p.name: p.value for p in wb.custom_doc_props.props if p.name in PROPERTY_KEYS}
    if len(found) < len(PROPERTY_KEYS) and INFO_SHEET in wb.sheetnames:
        ws = wb[INFO_SHEET]
        for row in range(1, len(PROPERTY_KEYS) + 1):
            key, value = ws.cell(row, 1).value, ws.cell(row, 2).value
            if key in PROPERTY_KEYS and value is not None:
                found.setdefault(str(key), value)
    if len(found) < len(PROPERTY_KEYS):
        return None
    try:
        year = int(float(str(found["LubudgetYear"])))
    except (ValueError, OverflowError):  # text, or inf (issue 13): no template we know
        return None
    return TemplateInfo(
        template_id=str(found["LubudgetTemplateId"]),
        year=year,
        catalog_version=str(found["LubudgetCatalogVersion"]),
        template_version=str(found["LubudgetTemplateVersion"]),
    )
