"""Write ProjectTarget records into the official form: one project sheet per project.

Used for rollover (last year's targets into this year's form) and to make real filled workbooks
from the seed. Each project sheet is built with as many grid rows as the project has (plus a few
spare): a project longer than the blank template's grid simply gets a longer grid, and every row
carries the same styles, dropdowns and checks as in the template.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from lubudget_xl.catalog import Catalog
from lubudget_xl.fsutil import atomic_path
from lubudget_xl.model import Indicator, ProjectTarget
from lubudget_xl.template.builder import add_project_sheet, build_template
from lubudget_xl.template.layout import GRID_COLUMNS, FormLayout
from lubudget_xl.template.sheet import GOAL_HEIGHT, title_text
from lubudget_xl.values import parse_value
from lubudget_xl.values.columns import split_value
from lubudget_xl.xlsxtext import put

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
Progress = Callable[[int, int, str], None]
SPARE_ROWS = 5  # empty grid rows left under a filled project, so a short table prints on one page


def as_cell_value(text: str | float | int | None) -> str | float | int | None:
    """Numbers as numbers (so Excel sums them), everything else as the text it was."""
    if text is None or isinstance(text, int | float):
        return text
    stripped = clean_text(text).strip()
    if _NUMBER.match(stripped):
        number = float(stripped)
        return int(number) if number.is_integer() and "." not in stripped else number
    return str(text)


def clean_text(text: object) -> str:
    """Text without the control characters XML cannot hold (PDF extraction leaves some behind)."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))


def _grid_values(ind: Indicator, layout: FormLayout) -> dict[str, object]:
    """Cell values of one grid row; splits `≥24人` into sign/number/unit where the form has those columns."""
    values: dict[str, object] = {"level1": ind.level1, "level2": ind.level2, "level3": ind.level3, "value": ind.value}
    has_sign, has_unit = "sign" in layout.grid_keys, "unit" in layout.grid_keys
    sign, unit, value = ind.sign, ind.unit, ind.value
    p = ind.parsed
    if has_sign and has_unit and sign is None and unit is None and p.quantified and p.sign:
        number = f"{p.number:g}"
        if re.sub(r"\s", "", p.raw or value) in (f"{p.sign}{number}{p.unit}", f"{p.sign}{p.number}{p.unit}"):
            sign, value, unit = p.sign, number, p.unit or None
    if has_sign:
        values["sign"] = sign
    elif sign:
        value = f"{sign}{value}"
    if has_unit:
        values["unit"] = unit
    elif unit and not str(value).endswith(unit):
        value = f"{value}{unit}"
    values["value"] = as_cell_value(value) if (has_sign or _NUMBER.match(str(value).strip())) else value
    return values


def _lines(text: str, width_chars: float) -> int:
    """Printed lines of `text` in a column `width_chars` wide (a CJK character takes two)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))
    return max(1, math.ceil(units / max(1.0, width_chars - 1)))


def write_project(ws: Worksheet, layout: FormLayout, project: ProjectTarget) -> None:
    """Fill one project sheet made by `add_project_sheet`."""
    put(ws.cell(layout.title_row, 1), clean_text(title_text(project.department, layout.year)))
    put(ws[layout.value_cell("department")], clean_text(project.department))
    header = {
        "name": project.name,
        "competent_department": project.competent_department,
        "unit": project.unit,
        "attribute": project.attribute,
        "period": project.period,
        "goal": project.goal,
    }
    value_width = sum(GRID_COLUMNS[k][1] for k in layout.grid_keys)
    for key in layout.header_fields:
        text = header[key] if key in header else project.extra.get(key)
        put(ws[layout.value_cell(key)], clean_text(text) if text else None)
        if key == "goal" and text:
            ws.row_dimensions[layout.rows[key]].height = max(GOAL_HEIGHT, 15 * _lines(text, value_width) + 6)
    funds = {"funds.total": project.funds.total, "funds.fiscal": project.funds.fiscal, "funds.other": project.funds.other}
    for key in layout.fund_rows:
        amount = funds[key] if key in funds else project.funds.extra.get(key)
        put(ws[layout.value_cell(key)], amount)
    for offset, ind in enumerate(project.indicators):
        row = layout.grid_first + offset
        height = 1
        for key, value in _grid_values(ind, layout).items():
            if isinstance(value, str):
                value = clean_text(value)
            put(ws.cell(row, layout.grid_col(key)), value if value not in ("", None) else None)
            if value not in ("", None):
                height = max(height, _lines(str(value), GRID_COLUMNS[key][1]))
        if height > 1:
            ws.row_dimensions[row].height = 15 * height + 4


def migrated(project: ProjectTarget, catalog: Catalog) -> tuple[ProjectTarget, int]:
    """A copy of `project` whose (level one, level two) pairs follow `catalog`'s migration mapping
    (rollover of last year's targets into a new tree, e.g. 产出指标/成本指标 → 成本指标/经济成本指标).

    Pairs the catalogue already has, or cannot map, are kept as they were. Into a form with sign and
    unit columns a one-cell value is split (≥95% → ≥ | 95 | %; `values.columns`), so no cell is lost;
    rows that cannot be split keep their text (`lubudget rollover` reports them). Returns the copy and
    the number of rows whose levels changed.
    """
    changed = 0
    indicators = []
    form = catalog.form
    for ind in project.indicators:
        if not catalog.is_pair(ind.level1, ind.level2):
            pair = catalog.migrate(ind.level1, ind.level2)
            if pair and pair != (ind.level1, ind.level2):
                ind = dataclasses.replace(ind, level1=pair[0], level2=pair[1])
                changed += 1
        if (form["sign_column"] or form["unit_column"]) and not (ind.sign or "").strip() and not (ind.unit or "").strip():
            split = split_value(ind.value, ind.parsed, form["sign_column"], form["unit_column"])
            ind = dataclasses.replace(ind, value=split.value, sign=split.sign, unit=split.unit,
                                      parsed=parse_value(split.value, split.sign, split.unit))  # fmt: skip
        indicators.append(ind)
    return dataclasses.replace(project, indicators=indicators), changed


def fill_into(
    wb: Workbook,
    projects: Sequence[ProjectTarget],
    catalog: Catalog,
    on_progress: Progress | None = None,
    migrate: bool = False,
) -> int:
    """Add one filled project sheet per project to a workbook from `build_template`; returns the
    number of indicator rows whose levels were migrated."""
    total_changed = 0
    for done, project in enumerate(projects, start=1):
        if migrate:
            project, changed = migrated(project, catalog)
            total_changed += changed
        rows = len(project.indicators) + SPARE_ROWS
        ws, layout = add_project_sheet(wb, catalog, title=project.name or f"项目{done}", grid_rows=rows)
        write_project(ws, layout, project)
        if on_progress:
            on_progress(done, len(projects), project.name)
    if projects:
        wb.active = 0
    return total_changed


def fill_workbook(
    projects: Sequence[ProjectTarget],
    catalog: Catalog,
    path: str | os.PathLike[str],
    on_progress: Progress | None = None,
    migrate: bool = False,
) -> Path:
    """Write `projects` into a new workbook of the catalogue's form at `path` (atomically).

    `migrate=True` maps last year's indicator levels into this catalogue's tree first (rollover).
    """
    wb = build_template(catalog, project_sheets=0 if projects else 1)
    fill_into(wb, projects, catalog, on_progress, migrate)
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
