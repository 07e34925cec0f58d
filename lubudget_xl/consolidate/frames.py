"""A `Consolidation` as pandas DataFrames and row streams: one table per master-book sheet.

Column names are English snake_case (what DuckDB or Spark users query); `master` maps them to the
Chinese headers the reviewers read. The small tables (departments, projects, files) are
DataFrames; the long ones (indicators, issues: hundreds of thousands of rows in a province's
year) are streams of tuples read back from the spool, and DataFrames only in chunks
(`chunked_frames`), so memory does not grow with the batch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pandas as pd

from lubudget_xl.consolidate.across import Consolidation
from lubudget_xl.consolidate.batch import COUNTED_STATUSES
from lubudget_xl.consolidate.rows import INDICATOR_TUPLE

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class Frames:
    departments: pd.DataFrame
    projects: pd.DataFrame
    files: pd.DataFrame


PROJECT_COLUMNS = [
    "department", "name", "unit", "competent_department", "attribute", "year",
    "funds_total", "funds_fiscal", "funds_other", "goal", "indicator_rows",
    "errors", "warnings", "infos", "file", "sheet", "cell",
]  # fmt: skip
INDICATOR_COLUMNS = list(INDICATOR_TUPLE)
ISSUE_COLUMNS = [
    "severity", "code", "department", "project", "message", "fix", "file", "sheet", "cell", "line",
]  # fmt: skip
FILE_COLUMNS = [
    "path", "status", "reason", "department", "year", "template_id", "template_version", "catalog_version",
    "projects", "rows", "counted_projects", "counted_rows", "size", "sha256", "seconds",
]  # fmt: skip
DEPARTMENT_COLUMNS = [
    "department", "files", "projects", "indicator_rows", "funds_total", "funds_fiscal", "funds_other",
    "errors", "warnings", "infos",
]  # fmt: skip


def issue_rows(c: Consolidation) -> Iterator[tuple]:
    """One ISSUE_COLUMNS tuple per finding listed in 校验问题."""
    for i in c.iter_issues():
        loc = i["location"]
        yield (SEVERITY_LABELS.get(i["severity"], i["severity"]), i["code"], i.get("department") or "",
               i.get("project") or "", i["message"], i.get("fix") or "", loc["file"], loc.get("sheet"),
               loc.get("cell"), loc.get("line"))  # fmt: skip


def chunked_frames(rows: Iterable[tuple], columns: list[str], size: int = 100_000) -> Iterator[pd.DataFrame]:
    """`rows` as DataFrames of at most `size` rows (at least one frame, maybe empty)."""
    it = iter(rows)
    first = True
    while True:
        chunk = list(islice(it, size))
        if not chunk and not first:
            return
        first = False
        yield pd.DataFrame.from_records(chunk, columns=columns)


def build_frames(c: Consolidation) -> Frames:
    counts = c.issue_counts()
    by_project: dict[tuple[str, str], Counter] = defaultdict(Counter)
    by_department: dict[str, Counter] = defaultdict(Counter)
    for (department, file, project, severity), k in counts.items():
        by_department[department][severity] += k
        if project:
            by_project[(file, project)][severity] += k

    project_rows = []
    for path, p, _ in c.iter_counted("projects"):
        funds = p["funds"]
        where = p["name_loc"] or {}
        source = p["source_file"] or where.get("file", "")
        n = by_project.get((path, p["name"]), Counter())
        project_rows.append(
            (p["department"], p["name"], p["unit"], p["competent_department"], p["attribute"], p["year"],
             _money(funds["total"]), _money(funds["fiscal"]), _money(funds["other"]), p["goal"], p["rows"],
             n["error"], n["warning"], n["info"], source, where.get("sheet"), where.get("cell"))
        )  # fmt: skip

    file_rows = [
        (o.path, o.status_label, o.reason, o.department, o.year, o.template_id, o.template_version,
         o.catalog_version, o.projects, o.rows, o.counted_projects, o.counted_rows, o.size, o.sha256,
         round(o.seconds, 3))
        for o in c.outcomes
    ]  # fmt: skip

    projects = pd.DataFrame.from_records(project_rows, columns=PROJECT_COLUMNS)
    projects["year"] = projects["year"].astype("Int64")  # 2021, never 2021.0 (None stays missing)
    files = pd.DataFrame.from_records(file_rows, columns=FILE_COLUMNS)
    for column in ("year", "size"):
        files[column] = files[column].astype("Int64")
    departments = _departments(c, projects, by_department)
    return Frames(departments=departments, projects=projects, files=files)


def _money(value: float | None) -> float | None:
    """Amounts in 万元 to 4 decimals (1 元): float sums must not show as 120.75999999999999."""
    return None if value is None else round(float(value), 4)


def _departments(c: Consolidation, projects: pd.DataFrame, issues_by: dict[str, Counter]) -> pd.DataFrame:
    files = Counter(o.department for o in c.outcomes if o.status in COUNTED_STATUSES and o.counted_projects)
    if len(projects):
        grouped = projects.groupby("department", sort=True).agg(
            projects=("name", "size"),
            indicator_rows=("indicator_rows", "sum"),
            funds_total=("funds_total", "sum"),
            funds_fiscal=("funds_fiscal", "sum"),
            funds_other=("funds_other", "sum"),
        )
    else:
        grouped = pd.DataFrame(columns=["projects", "indicator_rows", "funds_total", "funds_fiscal", "funds_other"])
    names = sorted(set(grouped.index) | {d for d in issues_by if d})
    rows: list[tuple[Any, ...]] = []
    for name in names:
        g = grouped.loc[name] if name in grouped.index else None
        n = issues_by.get(name, Counter())
        rows.append(
            (name, files.get(name, 0), int(g["projects"]) if g is not None else 0,
             int(g["indicator_rows"]) if g is not None else 0,
             *(round(float(g[k]), 4) if g is not None else 0.0 for k in ("funds_total", "funds_fiscal", "funds_other")),
             n["error"], n["warning"], n["info"])
        )  # fmt: skip
    unknown = issues_by.get("")
    if unknown:  # findings in files whose department could not be read (unreadable files)
        rows.append(("(未识别部门)", 0, 0, 0, 0.0, 0.0, 0.0, unknown["error"], unknown["warning"], unknown["info"]))
    return pd.DataFrame.from_records(rows, columns=DEPARTMENT_COLUMNS)
