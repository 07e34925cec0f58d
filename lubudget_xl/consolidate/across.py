"""Findings across files: the same file twice, the same project twice, another year or template.

Departments resubmit: a corrected copy beside the first one, the same file mailed twice, last
year's book by mistake; they copy a project sheet and forget to rename it. Each case is reported
and counted once, never twice (DESIGN.md §7): the same project (`duplicates.project_key`: name and
实施单位, normalised) anywhere in the batch — twice in one file, in two files — is counted once,
every other copy is an error naming every place; names one character apart are a warning. Rows
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
from lubudget_xl.duplicates import differs_in_writing, duplicate_groups, project_key, similar_pairs
from lubudget_xl.file_duplicates import place
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
    dropped: dict[int, set[int]] = field(default_factory=dict)  # result index → indices of its keys left out
    # result index → names whose every copy in that file was left out: their findings belong to the kept copy
    hidden: dict[int, set[str]] = field(default_factory=dict)
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
                for j, key in enumerate(result.keys):
                    if j not in dropped:
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
            hidden = self.hidden.get(n, ())
            for (project, severity), k in result.issue_counts.items():
                if project not in hidden:
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
            for j, (_, item) in enumerate(zip(result.keys, self._part(result, part), strict=True)):
                if j not in dropped:
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
            hidden = self.hidden.get(n, ())
            for issue in self._part(result, "issues"):
                project = issue.get("project") or ""
                if project in hidden:
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
    code: str, message: str, location: Location, rows: int, department: str, project: str | None = None,
    severity: Severity = Severity.WARNING, **params,
) -> dict:  # fmt: skip
    issue = Issue(code, severity, message, location, project=project, params={"rows_excluded": rows, **params})
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
            batch.append(_batch_issue(
                "BATCH_DUPLICATE_FILE", f"{file_name(o.path)} {o.reason};同一文件请只提交一次", where, o.rows,
                o.department, severity=Severity.ERROR, same_as=first_by_hash[o.sha256],
            ))  # fmt: skip
            continue
        if year is not None and o.year is not None and o.year != year:
            o.status = STATUS_OTHER_YEAR
            o.reason = f"本文件为 {o.year} 年度,本次汇总为 {year} 年度,未计入汇总"
            batch.append(_batch_issue(
                "BATCH_OTHER_YEAR", f"{o.reason};请用 {year} 年的模板填报后重新提交", where, o.rows, o.department,
                severity=Severity.ERROR, found=o.year, expected=year,
            ))  # fmt: skip
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
    """The same project (name + 实施单位, normalised) more than once among the counted files, in one
    file or several: the newest file's first copy is counted, every other copy is an error naming
    every place and its rows and funds are left out. Near-identical names: a warning, both counted."""
    entries = [(n, j) for n in kept for j in range(len(out.results[n].keys))]
    keys = [project_key(k.name, k.unit, k.department) for n, j in entries for k in (out.results[n].keys[j],)]
    order = {n: i for i, n in enumerate(kept)}
    names = _NameLocations(out)
    for group in duplicate_groups(keys):
        members = [entries[g] for g in group]
        win = max(members, key=lambda m: (out.results[m[0]].outcome.mtime or 0.0, -order[m[0]], -m[1]))
        places = [names.place(n, j) for n, j in members]
        kept_place = places[members.index(win)]
        first = out.results[win[0]].keys[win[1]]
        written = "(名称写法略有不同:全角/半角或空格)" if differs_in_writing([out.results[n].keys[j].name for n, j in members]) else ""
        for (n, j), here in zip(members, places, strict=True):
            if (n, j) == win:
                continue
            key = out.results[n].keys[j]
            funds = f"、年度资金 {key.funds_total:g} 万元" if key.funds_total else ""
            advice = ("复制的项目表请改填新项目的名称,或删除重复的表" if n == win[0]
                      else "如为更正后重报,以较新的文件为准;请撤回旧文件中的该项目")  # fmt: skip
            message = (
                f"同一项目“{first.name.strip()}”(实施单位 {first.unit or first.department})重复填报 {len(members)} 份"
                f"{written}:{'、'.join(places)};以 {kept_place} 为准计入汇总,此处({here})的 {key.rows} 行指标"
                f"{funds}未计入,资金不重复计算。{advice}。"
            )
            out.batch_issues.setdefault(n, []).append(_batch_issue(
                "BATCH_DUPLICATE_PROJECT", message, names.location(n, j), key.rows, key.department, project=key.name,
                severity=Severity.ERROR, kept_file=out.results[win[0]].outcome.path, places=places, kept=kept_place,
            ))  # fmt: skip
            out.dropped.setdefault(n, set()).add(j)
    for n, left_out in out.dropped.items():
        result_keys = out.results[n].keys
        out.hidden[n] = {
            result_keys[j].name for j in left_out
            if all(i in left_out for i, k in enumerate(result_keys) if k.name == result_keys[j].name)
        }  # fmt: skip
    counted = [(m, keys[i]) for i, m in enumerate(entries) if m[1] not in out.dropped.get(m[0], ())]
    for a, b in similar_pairs([key for _, key in counted]):
        (na, ja), (nb, jb) = counted[a][0], counted[b][0]
        first, second = out.results[na].keys[ja], out.results[nb].keys[jb]
        where_a, where_b = names.place(na, ja), names.place(nb, jb)
        message = (
            f"项目名称“{second.name.strip()}”({where_b})与“{first.name.strip()}”({where_a})只差一个字,实施单位相同,"
            "两者都已计入汇总;若是同一项目请只保留一份,若是不同项目请确认名称。"
        )
        out.batch_issues.setdefault(nb, []).append(_batch_issue(
            "BATCH_SIMILAR_PROJECT", message, names.location(nb, jb), 0, second.department, project=second.name,
            found=[first.name, second.name], places=[where_a, where_b],
        ))  # fmt: skip
    for n in kept:
        o = out.results[n].outcome
        left_out = out.dropped.get(n, ())
        counted_keys = [k for j, k in enumerate(out.results[n].keys) if j not in left_out]
        o.counted_projects = len(counted_keys)
        o.counted_rows = sum(k.rows for k in counted_keys)


class _NameLocations:
    """Where each project's name is (read back from the payload, only for files that need it)."""

    def __init__(self, out: Consolidation) -> None:
        self.out = out
        self.found: dict[int, list[dict | None]] = {}

    def location(self, n: int, j: int) -> Location:
        if n not in self.found:
            self.found[n] = [row["name_loc"] for row in self.out._part(self.out.results[n], "projects")]
        return Location.from_dict(self.found[n][j] or {"file": self.out.results[n].outcome.path})

    def place(self, n: int, j: int) -> str:
        """file.xlsx 'sheet'!B4: a place a reviewer and a department can both find."""
        where = self.location(n, j)
        inside = place(where)
        name = file_name(self.out.results[n].outcome.path)
        return name if inside == where.file else f"{name} {inside}"
