"""Build the year's official-form workbook from its catalogue (DESIGN.md §2, §3).

Sheet order: project sheets (`项目1` …), `填报说明`, then the hidden `下拉列表` and `模板信息`.
`add_project_sheet` is the one way a project sheet is made, for the blank template and the filler.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from lubudget_xl.catalog import Catalog, builtin_names, load_catalog
from lubudget_xl.fsutil import write_bytes_atomic
from lubudget_xl.template.checks import add_checks
from lubudget_xl.template.determinism import workbook_bytes
from lubudget_xl.template.dropdowns import LISTS_SHEET, add_lists_sheet, add_sheet_dropdowns
from lubudget_xl.template.identity import INFO_SHEET, add_identity, template_info
from lubudget_xl.template.instructions import INSTRUCTIONS_SHEET, add_instructions
from lubudget_xl.template.layout import GRID_ROWS, FormLayout, layout_for
from lubudget_xl.template.names import safe_sheet_name
from lubudget_xl.template.sheet import write_form

SUPPORT_SHEETS = (INSTRUCTIONS_SHEET, LISTS_SHEET, INFO_SHEET)
DEFAULT_PROJECT_SHEET = "项目1"
TEMPLATE_FILE_STEM = "绩效目标表模板"


def default_catalog_name() -> str:
    """The catalogue a template is built from when none is named: 2022 if built in, else the newest."""
    names = builtin_names()
    return "2022" if "2022" in names else names[-1]


def build_template(catalog: Catalog, project_sheets: int = 1) -> Workbook:
    """A blank template with `project_sheets` empty project sheets (0 for the filler)."""
    wb = Workbook()
    wb.remove(wb.active)
    add_instructions(wb, catalog)
    add_lists_sheet(wb, catalog)
    add_identity(wb, template_info(catalog))
    for _ in range(project_sheets):
        add_project_sheet(wb, catalog)
    if project_sheets:
        wb.active = 0
    return wb


def add_project_sheet(
    wb: Workbook, catalog: Catalog, title: str | None = None, grid_rows: int = GRID_ROWS
) -> tuple[Worksheet, FormLayout]:
    """Append an empty project sheet (before `填报说明`) with `grid_rows` indicator rows.

    The workbook must come from `build_template` (its lists and names are shared by all sheets).
    Returns the sheet and its layout, so callers can address its cells.
    """
    if LISTS_SHEET not in wb.sheetnames:
        raise ValueError("add_project_sheet needs a workbook made by build_template")
    taken = list(wb.sheetnames)
    if title is None:
        number = 1 + sum(1 for n in taken if n not in SUPPORT_SHEETS)
        title = safe_sheet_name(f"项目{number}", taken)
    else:
        title = safe_sheet_name(title, taken)
    index = wb.sheetnames.index(INSTRUCTIONS_SHEET) if INSTRUCTIONS_SHEET in wb.sheetnames else len(taken)
    ws = wb.create_sheet(title, index)
    layout = layout_for(catalog, max(1, grid_rows))
    write_form(ws, layout)
    add_sheet_dropdowns(ws, layout)
    add_checks(ws, layout, catalog)
    return ws, layout


def issue_moment(catalog: Catalog) -> datetime:
    """The fixed creation time stamped into a template: 1 August of the year before (issue time)."""
    return datetime(catalog.year - 1, 8, 1)


def template_bytes(catalog: Catalog) -> bytes:
    """The blank template as deterministic .xlsx bytes."""
    return workbook_bytes(build_template(catalog), issue_moment(catalog))


def write_template(catalog: Catalog, path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    write_bytes_atomic(path, template_bytes(catalog))
    return path


def builtin_template_path(root: str | os.PathLike[str], name: str) -> Path:
    """Where `make templates` puts the template of built-in catalogue `name`."""
    catalog = load_catalog(name)
    return Path(root) / str(catalog.year) / f"{TEMPLATE_FILE_STEM}_{name}.xlsx"


def write_builtin_templates(root: str | os.PathLike[str]) -> list[Path]:
    """One template per built-in catalogue under `root/<year>/`."""
    return [write_template(load_catalog(name), builtin_template_path(root, name)) for name in builtin_names()]
