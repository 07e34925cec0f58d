"""Template identity (DESIGN.md §6): which template, year and catalogue a workbook was filled in.

Read from the custom document properties, or from the hidden `模板信息` sheet when a program
dropped the properties. A workbook of another year than the catalogue in use, or of a template
version we do not know, gets an Issue naming both versions; one without identity is still read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from lubudget_xl.catalog import Catalog, builtin_names, load_catalog
from lubudget_xl.catalog.choose import choose_catalog
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location, TemplateInfo
from lubudget_xl.reader.cells import cell_text

INFO_SHEET = "模板信息"
PROPERTY_KEYS = ("LubudgetTemplateId", "LubudgetYear", "LubudgetCatalogVersion", "LubudgetTemplateVersion")
KNOWN_TEMPLATE_IDS = ("lubudget-pt",)
# Template versions this reader understands: "<year>.<revision>", the year matching the template's
# year and the revision one of the sheet layouts it knows (template.layout.LAYOUT_REVISION; a test
# keeps the two in step without making the reader import the template builder).
_TEMPLATE_VERSION = re.compile(r"^(?P<year>\d{4})\.(?P<rev>\d+)$")
KNOWN_LAYOUT_REVISIONS = (1,)


def identity_values(properties: Mapping[str, Any], info_grid: Sequence[Sequence[Any]] | None) -> dict[str, Any]:
    """The four identity values: properties first, then the 模板信息 sheet for the missing ones."""
    found = {k: properties[k] for k in PROPERTY_KEYS if properties.get(k) not in (None, "")}
    if info_grid is not None:
        for row in info_grid[:50]:
            if len(row) < 2:
                continue
            key = cell_text(row[0])
            if key in PROPERTY_KEYS and key not in found and cell_text(row[1]):
                found[key] = row[1]
    return found


def _as_year(value: Any) -> int | None:
    try:
        year = int(float(cell_text(value) if not isinstance(value, int | float) else value))
    except (TypeError, ValueError, OverflowError):  # OverflowError: a year of inf
        return None
    return year if 0 < year < 10_000 else None


def template_info(values: Mapping[str, Any]) -> TemplateInfo | None:
    """A TemplateInfo when the workbook says which template it is (id and year at least)."""
    if "LubudgetTemplateId" not in values:
        return None
    year = _as_year(values.get("LubudgetYear"))
    return TemplateInfo(
        template_id=cell_text(values["LubudgetTemplateId"]),
        year=year if year is not None else 0,
        catalog_version=cell_text(values.get("LubudgetCatalogVersion", "")),
        template_version=cell_text(values.get("LubudgetTemplateVersion", "")),
    )


def check_identity(info: TemplateInfo | None, catalog: Catalog | None, file: str) -> list[Issue]:
    """Issues about the template identity against the catalogue in use."""
    where = Location(file=file)
    if info is None:
        return [
            Issue(
                "READ_NO_TEMPLATE_ID",
                Severity.INFO,
                "不是本工具生成的模板(没有模板标识),已按官方表式读取",
                where,
            )
        ]
    issues: list[Issue] = []
    if info.template_id not in KNOWN_TEMPLATE_IDS:
        issues.append(
            Issue(
                "READ_TEMPLATE_ID",
                Severity.WARNING,
                f"模板标识“{info.template_id}”不是本工具的模板(应为“{KNOWN_TEMPLATE_IDS[0]}”),已按官方表式读取",
                where,
                params={"found": info.template_id, "expected": KNOWN_TEMPLATE_IDS[0]},
            )
        )
    m = _TEMPLATE_VERSION.match(info.template_version)
    if not m or int(m["year"]) != info.year or int(m["rev"]) not in KNOWN_LAYOUT_REVISIONS:
        known = "、".join(f"{info.year or '年度'}.{rev}" for rev in KNOWN_LAYOUT_REVISIONS)
        newer = m is not None and int(m["rev"]) > max(KNOWN_LAYOUT_REVISIONS)
        advice = "本工具版本较旧,请升级后再读取" if newer else "请使用财政部门下发的最新模板"
        issues.append(
            Issue(
                "READ_TEMPLATE_VERSION",
                Severity.WARNING,
                f"未知的模板版本“{info.template_version or '(空)'}”(本工具认识的版本:{known}),"
                f"已按官方表式读取;{advice}",
                where,
                params={"found": info.template_version, "expected": known},
            )
        )
    if catalog is not None:
        if info.year != catalog.year:
            issues.append(
                Issue(
                    "READ_TEMPLATE_YEAR",
                    Severity.ERROR,
                    f"工作簿是 {info.year or '未知'} 年的模板(模板版本 {info.template_version or '未知'},"
                    f"指标目录 {info.catalog_version or '未知'}),当前使用的是 {catalog.year} 年的指标目录"
                    f"(版本 {catalog.version}),请使用 {catalog.year} 年的模板重新填报",
                    where,
                    params={"found": info.year, "expected": catalog.year,
                            "found_catalog": info.catalog_version, "expected_catalog": catalog.version},
                )
            )
        elif info.catalog_version and info.catalog_version != catalog.version:
            issues.append(
                Issue(
                    "READ_CATALOG_VERSION",
                    Severity.WARNING,
                    f"模板所用指标目录版本为 {info.catalog_version},当前指标目录版本为 {catalog.version},"
                    "下拉选项和校验可能不一致",
                    where,
                    params={"found": info.catalog_version, "expected": catalog.version},
                )
            )
    return issues


@cache
def _builtin(name: str) -> Catalog:
    return load_catalog(name)


def default_catalog(info: TemplateInfo | None, title_year: int | None, tree_101: bool = False
                    ) -> tuple[Catalog, str | None]:
    """The catalogue to read with when the caller gave none, and why when the content chose it: the
    one the template names, else the built-in one of the template's or the title's year with the
    tree the grid's level names show (`catalog.choose`), else 2021 (the seed's tree)."""
    names = builtin_names()
    if info is not None and info.catalog_version:
        for name in names:
            if _builtin(name).version == info.catalog_version:
                return _builtin(name), None
    year = next((y for y in (info.year if info else None, title_year) if y and str(y) in names), title_year)
    return choose_catalog(year, tree_101)
