"""A `Consolidation` as pandas DataFrames and row streams: one table per master-book sheet.

Column names are English snake_case (what DuckDB or Spark users query); `master` maps them to the
Chinese headers the reviewers read. The small tables (departments, files) are DataFrames; the
per-project and per-row ones (projects, indicators, issues: tens or hundreds of thousands of rows
in a province's year) are streams of tuples read back from the spool, and DataFrames only in
chunks (`chunked_frames`), so memory grows little with the batch.
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


def project_rows(c: Consolidation) -> Iterator[tuple]:
    """One PROJECT_COLUMNS tuple per counted project (项目清单), streamed from the spool."""
    current, counts = None, {}
    none: Counter[str] = Counter()
    for result, p in c.iter_counted("projects"):
        if result is not current:
            current, counts = result, c.project_counts(result)
        funds = p["funds"]
        where = p["name_loc"] or {}
        n = counts.get(p["name"], none)
        yield (p["department"], p["name"], p["unit"], p["competent_department"], p["attribute"], p["year"],
               _money(funds["total"]), _money(funds["fiscal"]), _money(funds["other"]), p["goal"], p["rows"],
               n["error"], n["warning"], n["info"], p["source_file"] or where.get("file", ""), where.get("sheet"),
               where.get("cell"))  # fmt: skip


def build_frames(c: Consolidation) -> Frames:
    """The tables small enough to hold: one row per department, and one per input file."""
    file_rows = [
        (o.path, o.status_label, o.reason, o.department, o.year, o.template_id, o.template_version,
         o.catalog_version, o.projects, o.rows, o.counted_projects, o.counted_rows, o.size, o.sha256,
         round(o.seconds, 3))
        for o in c.outcomes
    ]  # fmt: skip
    files = pd.DataFrame.from_records(file_rows, columns=FILE_COLUMNS)
    for column in ("year", "size"):
        files[column] = files[column].astype("Int64")
    return Frames(departments=_departments(c), files=files)


def _money(value: float | None) -> float | None:
    """Amounts in 万元 to 4 decimals (1 元): float sums must not show as 120.75999999999999."""
    return None if value is None else round(float(value), 4)


def _departments(c: Consolidation) -> pd.DataFrame:
    """部门汇总: the counted projects' keys grouped by department (pandas), with finding counts."""
    files = Counter(o.department for o in c.outcomes if o.status in COUNTED_STATUSES and o.counted_projects)
    keys = pd.DataFrame.from_records(
        [(k.department, k.rows, k.funds_total, k.funds_fiscal, k.funds_other) for _, k in c.counted_keys()],
        columns=["department", "indicator_rows", "funds_total", "funds_fiscal", "funds_other"],
    )
    grouped = keys.groupby("department", sort=True).agg(
        projects=("indicator_rows", "size"),
        indicator_rows=("indicator_rows", "sum"),
        funds_total=("funds_total", "sum"),
        funds_fiscal=("funds_fiscal", "sum"),
        funds_other=("funds_other", "sum"),
    )
    issues_by: dict[str, Counter[str]] = defaultdict(Counter)
    for (department, severity), k in c.department_counts().items():
        issues_by[department][severity] += k
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
