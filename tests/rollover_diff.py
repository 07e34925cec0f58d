"""Which findings a rolled-over workbook has that its source did not: keys that survive the move from
text lines to workbook cells (code, project, header field or indicator row number)."""

from __future__ import annotations

from collections.abc import Iterable

from lubudget_xl.issues import Issue
from lubudget_xl.model import Location, ProjectTarget


def _same(a: Location | None, b: Location) -> bool:
    if a is None or a.file and b.file and a.file != b.file:
        return False
    if b.sheet or a.sheet:
        return (a.sheet, a.cell) == (b.sheet, b.cell)
    return a.line == b.line and a.line is not None


def finding_keys(projects: list[ProjectTarget], issues: Iterable[Issue]) -> set[tuple[str, str, str]]:
    """(code, project, where) with where = a header field or "row N" (N = indicator index in the project)."""
    keys = set()
    by_name = {p.name: p for p in projects}
    for issue in issues:
        project = by_name.get(issue.project or "")
        where = "file"
        if project is not None:
            where = next((k for k, loc in project.locations.items() if _same(loc, issue.location)), "project")
            for n, ind in enumerate(project.indicators):
                if any(_same(loc, issue.location) for loc in ind.locations.values()):
                    where = f"row {n}"
                    break
        keys.add((issue.code, issue.project or "", where))
    return keys
