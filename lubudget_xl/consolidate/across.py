"""Findings across files: the same file twice, the same project twice, another year or template.

Departments resubmit: a corrected copy beside the first one, the same file mailed twice, last
year's book by mistake. Each case is reported and counted once, never twice (DESIGN.md §7). Rows
left out of the master book are named in an issue with their count, so counts reconcile:
rows read = rows in 绩效指标 + rows named by BATCH_* issues.

The decisions need only each file's outcome and `ProjectKey`s; the rows and findings themselves
stay where the workers put them (a `Spool`) and are streamed by `Consolidation.iter_*` when the
master book is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
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
from lubudget_xl.consolidate.rows import ProjectKey
from lubudget_xl.consolidate.spool import Spool, load_part
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location

# A duplicate file or another year's file is listed with its BATCH_ finding only, not its own findings.
_FINDINGS_NOT_LISTED = (STATUS_DUPLICATE_FILE, STATUS_OTHER_YEAR)


@dataclass
class Consolidation:
    """Everything the master book shows: outcomes of every input, and per file what is counted.

    Rows and findings are read back on demand (`iter_projects`, `iter_indicators`, `iter_issues`,
    `iter_records`), in input order; each finding dict gets "department" (for 部门汇总 and the
    per-department feedback). Close it (or use `with`) to remove the spool files.
    """

    outcomes: list[FileOutcome] = field(default_factory=list)
    results: list[FileResult] = field(default_factory=list)
    dropped: dict[int, set[str]] = field(default_factory=dict)  # result index → project names left out
    batch_issues: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # result index → BATCH_*
    expected_year: int | None = None
    expected_template_version: str | None = None
    spool: Spool | None = None
    extra_issues: list[dict[str, Any]] = field(default_factory=list)  # inputs that never reached a reader

    def __enter__(self) -> Consolidation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    # --- what is counted ----------------------------------------------------------------------

    def _counted(self, n: int) -> bool:
        return self.results[n].outcome.status in COUNTED_STATUSES

    def _lists_findings(self, n: int) -> bool:
        return self.results[n].outcome.status not in _FINDINGS_NOT_LISTED

    def counted_keys(self) -> Iterator[tuple[FileResult, ProjectKey]]:
        for n, result in enumerate(self.results):
            if self._counted(n):
                dropped = self.dropped.get(n, ())
                for key in result.keys:
                    if key.name not in dropped:
                        yield result, key

    @property
    def projects_counted(self) -> int:
        return sum(1 for _ in self.counted_keys())

    @property
    def rows_read(self) -> int:
        return sum(o.rows for o in self.outcomes)

    @property
    def rows_counted(self) -> int:
        return sum(key.rows for _, key in self.counted_keys())

    @property
    def rows_excluded(self) -> int:
        return sum(int(i["params"].get("rows_excluded", 0)) for issues in self.batch_issues.values() for i in issues)

    def department_counts(self) -> Counter[tuple[str, str]]:
        """(department, severity) → findings listed in 校验问题, counted without reading them."""
        counts: Counter[tuple[str, str]] = Counter()
        for n, result in enumerate(self.results):
            for issue in self.batch_issues.get(n, ()):
                counts[(issue["department"], issue["severity"])] += 1
            if not self._lists_findings(n):
                continue
            departments = _departments_by_name(result)
            dropped = self.dropped.get(n, ())
            for (project, severity), k in result.issue_counts.items():
                if project not in dropped:
                    counts[(departments.get(project, result.outcome.department), severity)] += k
        for issue in self.extra_issues:
            counts[(issue["department"], issue["severity"])] += 1
        return counts

    def severities(self) -> Counter[str]:
        totals: Counter[str] = Counter()
        for (_, severity), k in self.department_counts().items():
            totals[severity] += k
        return totals

    @staticmethod
    def project_counts(result: FileResult) -> dict[str, Counter[str]]:
        """Project name → its findings by severity, in one file (for 项目清单)."""
        counts: dict[str, Counter[str]] = {}
        for (project, severity), k in result.issue_counts.items():
            if project:
                counts.setdefault(project, Counter())[severity] += k
        return counts

    # --- the rows themselves, streamed -----------------------------------------------------------

    def _part(self, result: FileResult, part: str) -> Any:
        return load_part(result.payload, part, self.spool)

    def iter_counted(self, part: str) -> Iterator[tuple[FileResult, Any]]:
        """(file's result, the project's item of `part`) for every counted project, in input order.
        A payload's parts are aligned with the file's keys, so only `part` is read back."""
        for n, result in enumerate(self.results):
            if not self._counted(n) or not result.keys:
                continue
            dropped = self.dropped.get(n, ())
            for key, item in zip(result.keys, self._part(result, part), strict=True):
                if key.name not in dropped:
                    yield result, item

    def iter_projects(self) -> Iterator[dict[str, Any]]:
        """The counted projects (`rows.project_row`)."""
        for _, row in self.iter_counted("projects"):
            yield row

    def iter_indicators(self) -> Iterator[tuple]:
        """A rows.INDICATOR_TUPLE for every counted indicator row."""
        for _, indicators in self.iter_counted("indicators"):
            yield from indicators

    def iter_records(self) -> Iterator[dict[str, Any]]:
        """Full records of the counted projects (only when the batch was read with `full`)."""
        for _, record in self.iter_counted("records"):
            yield record

    def iter_issues(self) -> Iterator[dict[str, Any]]:
        """Every finding listed in 校验问题, file by file: BATCH_* first, then the file's own."""
        for n, result in enumerate(self.results):
            yield from self.batch_issues.get(n, ())
            if not self._lists_findings(n):
                continue
            departments = _departments_by_name(result)
            dropped = self.dropped.get(n, ())
            for issue in self._part(result, "issues"):
                project = issue.get("project") or ""
                if project in dropped:
                    continue  # findings about a project left out belong to the copy that was kept
                issue["department"] = departments.get(project, result.outcome.department)
                yield issue
        yield from self.extra_issues


def _departments_by_name(result: FileResult) -> dict[str, str]:
    return {key.name: key.department for key in result.keys}


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
    results: list[FileResult],
    expected_year: int | None = None,
    expected_template_version: str | None = None,
    spool: Spool | None = None,
) -> Consolidation:
    """Apply cross-file checks to per-file results (in input order); `spool` holds their payloads."""
    readable = [r for r in results if r.outcome.status == STATUS_OK]
    year = expected_year if expected_year is not None else _mode([r.outcome.year for r in readable])
    version = expected_template_version or _mode([r.outcome.template_version for r in readable])
    out = Consolidation(expected_year=year, expected_template_version=version, spool=spool)
    # Identical files: the earliest (oldest modification time, then input order) is the original.
    first_by_hash: dict[str, str] = {}
    for _, _, o in sorted(((r.outcome.mtime or 0.0, n, r.outcome) for n, r in enumerate(readable)), key=lambda t: t[:2]):
        first_by_hash.setdefault(o.sha256, o.path)
    kept: list[int] = []
    for n, result in enumerate(results):
        o = result.outcome
        out.outcomes.append(o)
        out.results.append(result)
        if o.status != STATUS_OK:
            continue
        where = Location(file=o.path)
        batch = out.batch_issues.setdefault(n, [])
        if first_by_hash[o.sha256] != o.path:
            o.status = STATUS_DUPLICATE_FILE
            o.reason = f"与 {file_name(first_by_hash[o.sha256])} 内容完全相同(SHA-256 相同),未重复计入"
            batch.append(_batch_issue("BATCH_DUPLICATE_FILE", o.reason, where, o.rows, o.department, same_as=first_by_hash[o.sha256]))
            continue
        if year is not None and o.year is not None and o.year != year:
            o.status = STATUS_OTHER_YEAR
            o.reason = f"本文件为 {o.year} 年度,本次汇总为 {year} 年度,未计入汇总"
            batch.append(_batch_issue("BATCH_OTHER_YEAR", o.reason, where, o.rows, o.department, found=o.year, expected=year))
            continue
        if version and o.template_version and o.template_version != version:
            o.status = STATUS_OTHER_TEMPLATE
            o.reason = f"模板版本为 {o.template_version}(其他文件多为 {version}),已计入汇总,请核对"
            batch.append(
                _batch_issue("BATCH_OTHER_TEMPLATE", o.reason, where, 0, o.department, found=o.template_version, expected=version)
            )
        kept.append(n)
    _drop_duplicate_projects(kept, out)
    out.batch_issues = {n: issues for n, issues in out.batch_issues.items() if issues}
    return out


def _drop_duplicate_projects(kept: list[int], out: Consolidation) -> None:
    """Same department and project name in several files: keep the newest file's, report the rest."""
    files_of: dict[tuple[str, str], list[int]] = {}
    for n in kept:
        for key in dict.fromkeys((k.department.strip(), k.name.strip()) for k in out.results[n].keys):
            files_of.setdefault(key, []).append(n)
    order = {n: i for i, n in enumerate(kept)}
    winner = {
        key: out.results[max(ns, key=lambda n: (out.results[n].outcome.mtime or 0.0, -order[n]))].outcome.path
        for key, ns in files_of.items()
        if len(ns) > 1
    }
    for n in kept:
        result = out.results[n]
        o = result.outcome
        o.counted_projects = o.counted_rows = 0
        losers = [k for k in result.keys if winner.get((k.department.strip(), k.name.strip()), o.path) != o.path]
        locations = _name_locations(out, result) if losers else {}
        for key in result.keys:
            if key in losers:
                kept_file = winner[(key.department.strip(), key.name.strip())]
                message = (
                    f"项目“{key.name}”({key.department})在 {file_name(kept_file)} 中也有提交,"
                    f"以较新的文件为准,本文件中的该项目({key.rows} 行指标)未计入汇总"
                )
                where = Location.from_dict(locations.get(key.name) or {"file": o.path})
                out.batch_issues.setdefault(n, []).append(_batch_issue(
                    "BATCH_DUPLICATE_PROJECT", message, where, key.rows, key.department, project=key.name,
                    kept_file=kept_file,
                ))  # fmt: skip
                out.dropped.setdefault(n, set()).add(key.name)
                continue
            o.counted_projects += 1
            o.counted_rows += key.rows


def _name_locations(out: Consolidation, result: FileResult) -> dict[str, dict]:
    """Where each project's name is, read back from the payload (only for files that lose one)."""
    return {row["name"]: row["name_loc"] for row in out._part(result, "projects") if row["name_loc"]}
