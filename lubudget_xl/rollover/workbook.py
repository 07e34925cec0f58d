"""Write carried projects into next year's template and mark every carried fund cell for confirmation.

The fill is the template filler's; the fund cells are found by reading the filled book back (the
reader knows the form's labels), so this module never assumes coordinates.
"""

from __future__ import annotations

import json
from pathlib import Path

from lubudget_xl.catalog import Catalog
from lubudget_xl.fsutil import atomic_path
from lubudget_xl.model import ProjectTarget
from lubudget_xl.reader.carried import CARRIED_PROPERTY
from lubudget_xl.values.amounts import format_wan

CARRIED_FILL = "FFFFF2CC"  # light amber: "please confirm"


def write_rollover_workbook(projects: list[ProjectTarget], catalog: Catalog, path: Path, from_year: int) -> None:
    """Fill `projects` into the catalogue's template at `path`, then mark the carried fund cells."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import PatternFill

    from lubudget_xl.reader import read_workbook
    from lubudget_xl.template.filler import fill_workbook

    with atomic_path(path) as tmp:
        tmp_xlsx = tmp.with_suffix(".xlsx")
        fill_workbook(projects, catalog, tmp_xlsx)
        read = read_workbook(tmp_xlsx, catalog)
        wb = load_workbook(tmp_xlsx)
        carried: dict[str, dict[str, float]] = {}
        fill = PatternFill("solid", fgColor=CARRIED_FILL)
        for project in read.projects:
            for key in ("funds.total", "funds.fiscal", "funds.other"):
                amount = getattr(project.funds, key.split(".", 1)[1])
                where = project.locations.get(key)
                if amount is None or where is None or where.sheet is None or where.cell is None:
                    continue
                cell = wb[where.sheet][where.cell]
                cell.fill = fill
                cell.comment = Comment(
                    f"沿用{from_year}年数据 {format_wan(amount)} 万元,请按本年预算重新填写或确认。", "lubudget"
                )
                carried.setdefault(where.sheet, {})[key] = amount
        props = wb.custom_doc_props
        if CARRIED_PROPERTY in props.names:
            del props[CARRIED_PROPERTY]
        props.append(StringProperty(name=CARRIED_PROPERTY, value=json.dumps(carried, ensure_ascii=False)))
        wb.save(tmp)
        tmp_xlsx.unlink()
