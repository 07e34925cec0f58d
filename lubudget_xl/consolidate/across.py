"""Findings across files: the same file twice, the same project twice, another year or template.

Departments resubmit: a corrected copy beside the first one, the same file mailed twice, last
year's book by mistake. Each case is reported and counted once, never twice (DESIGN.md §7). Rows
left out of the master book are named in an issue with their count, so counts reconcile:
rows read = rows in 绩效指标 + rows named by BATCH_* issues.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lubudget_xl.consolidate.batch import (
    COUNTED_STATUSES,
    STATUS_DUPLICATE_FILE,
    STATUS_OK,
    STATUS_OTHER_TEMPLATE,
    STATUS_OTHER_YEAR,
    FileOutcome,
    FileResult,
    file_name,
)
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location


@dataclass
class Consolidation:
    """Everything the master book shows: outcomes of every input, counted projects, all issues.

    Projects are `rows.project_row` dicts (their "record" is the full record only when --json
    asked for it); issues are `Issue.to_dict()` dicts. Each issue dict gets "department"
    (for 部门汇总 and per-department feedback).
    """

    outcomes: list[FileOutcome] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)
    expected_year: int | None = None
    expected_template_version: str | None = None

    @property
    def rows_read(self) -> int:
        return sum(o.rows for o in self.outcomes)

    @property
    def rows_counted(self) -> int:
        return sum(len(p["indicators"]) for p in self.projects)

    @property
    def rows_excluded(self) -> int:
        return sum(int(i["params"].get("rows_excluded", 0)) for i in self.issues if i["code"].startswith("BATCH_"))


def _mode(values: list[Any]) -> Any:
    counted = Counter(v for v in values if v is not None)
    if not counted:
        return None
    best = max(counted.values())
    return min(v for v, n in counted.items() if n == best)  # ties: the smallest, so runs are stable


def _batch_issue(
    code: str, message: str, location: Location, rows: int, department: str, project: str | None = None, **params
) -> dict:
    issue = Issue(code, Severity.WARNING, message, location, project=project, params={"rows_excluded": rows, **params})
    return {**issue.to_dict(), "department": department}


def resolve(
    results: list[FileResult], expected_year: int | None = None, expected_template_version: str | None = None
) -> Consolidation:
    """Apply cross-file checks to per-file results (in input order) and collect the master data."""
    readable = [r for r in results if r.outcome.status == STATUS_OK]
    year = expected_year if expected_year is not None else _mode([r.outcome.year for r in readable])
    version = expected_template_version or _mode([r.outcome.template_version for r in readable])
    out = Consolidation(expected_year=year, expected_template_version=version)
    # Identical files: the earliest (oldest modification time, then input order) is the original.
    first_by_hash: dict[str, str] = {}
    for _, _, o in sorted(((r.outcome.mtime or 0.0, n, r.outcome) for n, r in enumerate(readable)), key=lambda t: t[:2]):
        first_by_hash.setdefault(o.sha256, o.path)
    kept: list[FileResult] = []
    for result in results:
        o = result.outcome
        out.outcomes.append(o)
        if o.status != STATUS_OK:
            out.issues.extend(_with_department(result.issues, o.department, {}))
            continue
        where = Location(file=o.path)
        if first_by_hash[o.sha256] != o.path:
            o.status = STATUS_DUPLICATE_FILE
            o.reason = f"与 {file_name(first_by_hash[o.sha256])} 内容完全相同(SHA-256 相同),未重复计入"
            out.issues.append(_batch_issue("BATCH_DUPLICATE_FILE", o.reason, where, o.rows, o.department, same_as=first_by_hash[o.sha256]))
            continue
        if year is not None and o.year is not None and o.year != year:
            o.status = STATUS_OTHER_YEAR
            o.reason = f"本文件为 {o.year} 年度,本次汇总为 {year} 年度,未计入汇总"
            out.issues.append(_batch_issue("BATCH_OTHER_YEAR", o.reason, where, o.rows, o.department, found=o.year, expected=year))
            continue
        if version and o.template_version and o.template_version != version:
            o.status = STATUS_OTHER_TEMPLATE
            o.reason = f"模板版本为 {o.template_version}(其他文件多为 {version}),已计入汇总,请核对"
            out.issues.append(
                _batch_issue("BATCH_OTHER_TEMPLATE", o.reason, where, 0, o.department, found=o.template_version, expected=version)
            )
        kept.append(result)
    _drop_duplicate_projects(kept, out)
    for o in out.outcomes:
        if o.status not in COUNTED_STATUSES:
            o.counted_projects = o.counted_rows = 0
    return out


def _with_department(issues: list[dict], fallback: str, by_project: dict[str, str]) -> list[dict]:
    for issue in issues:
        issue["department"] = by_project.get(issue.get("project") or "", fallback)
    return issues


def _drop_duplicate_projects(kept: list[FileResult], out: Consolidation) -> None:
    """Same department and project name in several files: keep the newest file's, report the rest."""
    files_of: dict[tuple[str, str], list[FileResult]] = {}
    for result in kept:
        for key in dict.fromkeys((p["department"].strip(), p["name"].strip()) for p in result.projects):
            files_of.setdefault(key, []).append(result)
    winner = {
        key: max(files, key=lambda r: (r.outcome.mtime or 0.0, -kept.index(r))).outcome.path
        for key, files in files_of.items()
        if len(files) > 1
    }
    for result in kept:
        o = result.outcome
        by_project = {p["name"]: p["department"] for p in result.projects}
        dropped_names: set[str] = set()
        for project in result.projects:
            key = (project["department"].strip(), project["name"].strip())
            if key in winner and winner[key] != o.path:
                rows = len(project["indicators"])
                loc = project["name_loc"] or {"file": o.path}
                message = (
                    f"项目“{project['name']}”({project['department']})在 {file_name(winner[key])} 中也有提交,"
                    f"以较新的文件为准,本文件中的该项目({rows} 行指标)未计入汇总"
                )
                issue = _batch_issue(
                    "BATCH_DUPLICATE_PROJECT", message, Location.from_dict(loc), rows, project["department"],
                    project=project["name"], kept_file=winner[key],
                )
                out.issues.append(issue)
                dropped_names.add(project["name"])
                continue
            out.projects.append(project)
            o.counted_projects += 1
            o.counted_rows += len(project["indicators"])
        # Findings about a project left out belong to the copy that was kept.
        issues = [i for i in result.issues if i.get("project") not in dropped_names]
        out.issues.extend(_with_department(issues, o.department, by_project))
