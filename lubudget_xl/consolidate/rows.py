"""The compact forms a worker sends back for each project: plain values and one tuple per indicator.

A full record dict (`ProjectTarget.to_dict`) is ~5 KB per indicator row once every field's
location is included; a batch of 5 000 files held 3.4 GB that way. The master book needs only
what is here (~0.5 KB a row). Full records travel only when --json asks for them.
Kept free of pandas, so worker processes never import it.

Three shapes, by who needs them when:
- `ProjectKey`: what the cross-file checks and the totals need, kept in memory for every project;
- `project_row`: one row of 项目清单 (goal text, location…), spooled with the file's payload;
- `indicator_rows`: the rows of 绩效指标, spooled too.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from lubudget_xl.model import Location, ProjectTarget

KIND_LABELS = {
    "quantitative": "定量",
    "qualitative": "定性",
    "placeholder": "未填写(占位)",
    "empty": "空",
    "not_applicable": "不适用",
}
# Order of the values in each indicator tuple (the 绩效指标 table's columns, frames.INDICATOR_COLUMNS).
INDICATOR_TUPLE = (
    "department", "project", "level1", "level2", "level3", "value", "kind", "parsed_sign", "parsed_number",
    "parsed_unit", "sign_column", "unit_column", "file", "sheet", "cell", "line",
)  # fmt: skip


class ProjectKey(NamedTuple):
    """A project as the batch decisions and the department totals see it (~200 bytes)."""

    department: str
    name: str
    rows: int
    funds_total: float | None
    funds_fiscal: float | None
    funds_other: float | None
    unit: str = ""  # 实施单位: with the name, what makes two projects the same (duplicates.project_key)


def _where(locations: dict[str, Location], *keys: str) -> Location | None:
    for key in keys:
        if locations.get(key) is not None:
            return locations[key]
    return None


def project_key(project: ProjectTarget) -> ProjectKey:
    funds = project.funds
    return ProjectKey(
        project.department, project.name, len(project.indicators), funds.total, funds.fiscal, funds.other, project.unit
    )


def project_row(project: ProjectTarget) -> dict[str, Any]:
    """One project as 项目清单 shows it (without its indicator rows: `indicator_rows`)."""
    name_at = _where(project.locations, "name")
    funds = project.funds
    return {
        "department": project.department,
        "name": project.name,
        "unit": project.unit,
        "competent_department": project.competent_department,
        "attribute": project.attribute,
        "year": project.year,
        "funds": {"total": funds.total, "fiscal": funds.fiscal, "other": funds.other},
        "goal": project.goal,
        "source_file": project.source_file,
        "name_loc": name_at.to_dict() if name_at else None,
        "rows": len(project.indicators),
        "selfeval": getattr(project, "summary", None),  # 自评汇总 line of a SelfEvaluation (selfeval.summary)
    }


def indicator_rows(project: ProjectTarget) -> list[tuple]:
    """One INDICATOR_TUPLE per indicator row of the project (built in the worker, ready to write)."""
    source = project.source_file
    department, name = project.department, project.name
    rows = []
    for ind in project.indicators:
        at = _where(ind.locations, "value", "row", "level3")
        parsed = ind.parsed
        rows.append(
            (department, name, ind.level1, ind.level2, ind.level3, ind.value, KIND_LABELS.get(parsed.kind, parsed.kind), parsed.sign,
             parsed.number, parsed.unit or None, ind.sign, ind.unit, at.file if at else source,
             at.sheet if at else None, at.cell if at else None, at.line if at else None)
        )  # fmt: skip
    return rows
