"""Check files: read any source, run the rules, keep one outcome per file (STYLE.md §9).

A file that cannot be read becomes a FILE_UNREADABLE finding and the batch goes on; a readable
file without any project table becomes FILE_NO_PROJECTS. A blank form (project sheets found, none
filled in) is "nothing to check": one READ_NO_PROJECT finding, status `blank`, and no claim that the
form is missing. The reader's own findings (ReadResult issues) are kept beside the rules' findings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lubudget_xl.catalog import Catalog, builtin_names, load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.loading import TEXT_SUFFIXES, ReadResult
from lubudget_xl.model import Location, ProjectTarget

STATUS_CLEAN, STATUS_FINDINGS, STATUS_EMPTY, STATUS_UNREADABLE = "clean", "findings", "empty", "unreadable"
STATUS_BLANK = "blank"  # the form was found but nothing in it is filled in: nothing to check


@dataclass
class FileOutcome:
    file: str
    status: str
    projects: list[ProjectTarget] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    catalog: Catalog | None = field(default=None, repr=False)
    annotated: str | None = None
    # The file's year when no catalogue exists for it yet (a year after the newest): the run reports
    # that once, to the reviewer (`missing_year_issues`), instead of READ_TEMPLATE_YEAR per file.
    missing_year: int | None = None

    @property
    def checked(self) -> bool:
        return self.status in (STATUS_CLEAN, STATUS_FINDINGS)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "projects": len(self.projects),
            "catalog": self.catalog.version if self.catalog is not None else None,
            "annotated": self.annotated,
        }


def default_catalog_name() -> str:
    """The newest built-in catalogue: what a file is read with before its year is known."""
    years = [n for n in builtin_names() if n.isdigit()]
    return max(years) if years else builtin_names()[-1]


def _year_of(projects: Sequence[ProjectTarget]) -> int | None:
    """The projects' year: their template's, else the most common (the consolidator calls this)."""
    for project in projects:
        if project.template is not None:
            return project.template.year
    years = [p.year for p in projects if p.year]
    return max(set(years), key=years.count) if years else None


def catalog_for(result: ReadResult) -> Catalog | None:
    """The built-in catalogue a file was made for: its template's catalogue version, else its year."""
    template = result.template or next((p.template for p in result.projects if p.template), None)
    if template is not None:
        for name in builtin_names():
            candidate = load_catalog(name)
            if candidate.version == template.catalog_version:
                return candidate
    years = [p.year for p in result.projects if p.year] or ([template.year] if template else [])
    year = max(set(years), key=years.count) if years else None
    return load_catalog(str(year)) if year and str(year) in builtin_names() else None


def check_file(
    path: str | Path, catalog: Catalog | None = None, guess: Catalog | None = None, duplicates: bool = True,
    by_year: bool = False,
) -> FileOutcome:
    """Read and check one file. With no `catalog`, the built-in catalogue the file's template names
    (else the one of its year) is used. `duplicates`: report the file's copies of one project
    (FILE_DUPLICATE_PROJECT); a consolidation says False and reports them with the whole batch's.
    `by_year`: `catalog` was picked by the file's year, not by the user (a consolidation's workers),
    so a year without catalogue is the run's finding (`missing_year`), not READ_TEMPLATE_YEAR.

    The file is read with `guess` (else the newest built-in catalogue) and read again only when
    its year turns out to be another: a batch passes the previous file's catalogue as the guess.
    """
    from lubudget_xl.loading import load_any
    from lubudget_xl.rules import check_projects

    name = str(path)
    chosen = catalog or guess or load_catalog(default_catalog_name())
    try:
        result = load_any(path, chosen, selfeval=True)
        better = catalog_for(result) if catalog is None else None
        if better is not None and better.version != chosen.version:
            chosen = better
            result = load_any(path, chosen, selfeval=True)
    except UserError as err:
        issue = Issue(
            code="FILE_UNREADABLE",
            severity=Severity.ERROR,
            message=f"无法读取:{err}",
            location=Location(file=name),
            params={"error": str(err)},
        )
        return FileOutcome(file=name, status=STATUS_UNREADABLE, issues=[issue])
    issues = list(result.issues)
    missing_year = _future_year(result, chosen) if catalog is None or by_year else None
    if missing_year is not None:  # the bureau's missing catalogue is not the department's mistake
        issues = [i for i in issues if i.code not in ("READ_TEMPLATE_YEAR", "READ_CATALOG_VERSION")]
    blank = [i for i in issues if i.code == "READ_NO_PROJECT"]
    if not result.projects and blank:
        return FileOutcome(file=name, status=STATUS_BLANK, issues=blank[:1], catalog=chosen)
    if not result.projects:
        issues.append(
            Issue(
                code="FILE_NO_PROJECTS",
                severity=Severity.ERROR,
                message="文件中没有找到项目支出绩效目标表(没有含“项目名称”的表)。",
                location=Location(file=name),
                params={"found": 0, "expected": ">= 1"},
            )
        )
        return FileOutcome(file=name, status=STATUS_EMPTY, issues=issues, catalog=chosen)
    if Path(name).suffix.lower() in TEXT_SUFFIXES:
        issues.extend(source_markup_issues(Path(name), result.projects))
    issues.extend(check_projects(result.projects, chosen))
    if duplicates:
        from lubudget_xl.file_duplicates import file_duplicate_issues

        issues.extend(file_duplicate_issues(result.projects))
    status = STATUS_FINDINGS if issues else STATUS_CLEAN
    return FileOutcome(name, status, list(result.projects), issues, catalog=chosen, missing_year=missing_year)


def _future_year(result: ReadResult, chosen: Catalog) -> int | None:
    """The file's year when it is later than every catalogue's (nobody has made that year's yet)."""
    template = result.template or next((p.template for p in result.projects if p.template), None)
    year = template.year if template is not None and template.year else _year_of(result.projects)
    return year if year is not None and year != chosen.year and year > newest_catalogue_year() else None


def newest_catalogue_year() -> int:
    """The latest year any known catalogue is for (asked per file: kept while the names stay the same)."""
    return _newest_year(tuple(builtin_names()))


@lru_cache(maxsize=4)
def _newest_year(names: tuple[str, ...]) -> int:
    return max(load_catalog(name).year for name in names)


def missing_year_issues(outcomes: Sequence[FileOutcome]) -> list[Issue]:
    """One CATALOG_YEAR_MISSING error per year that has files but no catalogue (for the reviewer)."""
    from lubudget_xl.catalog.new_year import missing_year_issue

    by_year: dict[int, list[FileOutcome]] = {}
    for outcome in outcomes:
        if outcome.missing_year is not None:
            by_year.setdefault(outcome.missing_year, []).append(outcome)
    return [missing_year_issue(year, [o.file for o in found], found[0].catalog) for year, found in sorted(by_year.items())]


def source_markup_issues(path: Path, projects: Sequence[ProjectTarget]) -> list[Issue]:
    """TEXT_HTML for web markup on the source lines a project was read from.

    The text importer strips `<p>…</p>` so records stay clean; the published table still carries
    it, and a reviewer reports it. The rule TEXT_HTML covers markup that reaches a record.
    """
    from lubudget_xl.rules.text import HTML_TAG

    try:
        lines = path.read_bytes().decode("utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []
    issues = []
    for project in projects:
        places: dict[int, tuple[str, Location]] = {}
        for key, loc in project.locations.items():
            places.setdefault(loc.line or 0, (key, loc))
        for ind in project.indicators:
            for key in ("level3", "value"):
                loc = ind.locations.get(key)
                if loc is not None:
                    places.setdefault(loc.line or 0, (key, loc))
        for number, (key, loc) in sorted(places.items()):
            text = lines[number - 1] if 0 < number <= len(lines) else ""
            tags = list(dict.fromkeys(HTML_TAG.findall(text)))
            if not tags:
                continue
            issues.append(
                Issue(
                    code="TEXT_HTML",
                    severity=Severity.INFO,
                    message=f"含网页标记:原表第{number}行有 {'、'.join(tags)},导入时已去除;原表应删除这些标记。",
                    location=loc,
                    project=project.name or None,
                    params={"field": key, "found": tags, "expected": "纯文字"},
                )
            )
    return issues


def check_files(
    paths: Sequence[str | Path],
    catalog: Catalog | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    isolated: bool = False,
) -> list[FileOutcome]:
    """One outcome per path, in order; `on_progress(done, total, current)` after each file.
    `isolated`: each file is read and checked in a worker process (isolation.py), so a file that
    aborts, hangs or exhausts memory becomes an unreadable file, not the end of the run."""
    if isolated:
        return _check_isolated(paths, catalog, on_progress)
    outcomes: list[FileOutcome] = []
    guess: Catalog | None = None
    for path in paths:
        outcome = check_file(path, catalog, guess)
        if catalog is None and outcome.catalog:
            guess = outcome.catalog
        outcomes.append(outcome)
        if on_progress is not None:
            on_progress(len(outcomes), len(paths), str(path))
    return outcomes


_WORKER_CATALOG: list[Catalog | None] = [None, None]  # [--catalog, the previous file's catalogue]


def _init_check_worker(catalog: Catalog | None) -> None:
    _WORKER_CATALOG[:] = [catalog, None]


def _check_in_worker(path: str) -> FileOutcome:
    catalog, guess = _WORKER_CATALOG
    outcome = check_file(path, catalog, guess)
    if catalog is None and outcome.catalog is not None:
        _WORKER_CATALOG[1] = outcome.catalog
    return outcome


def unreadable(path: str, reason: str) -> FileOutcome:
    """The outcome of a file that could not be read: one FILE_UNREADABLE finding with `reason`."""
    issue = Issue(code="FILE_UNREADABLE", severity=Severity.ERROR, message=f"无法读取:{path}: {reason}",
                  location=Location(file=path), params={"error": reason})
    return FileOutcome(file=path, status=STATUS_UNREADABLE, issues=[issue])


def _check_isolated(
    paths: Sequence[str | Path], catalog: Catalog | None, on_progress: Callable[[int, int, str], None] | None
) -> list[FileOutcome]:
    import os

    from lubudget_xl.isolation import Failure, Task, append_log, log_path, run_isolated

    names = [str(p) for p in paths]
    log = log_path()
    task = Task(__name__, "_check_in_worker", "_init_check_worker", (catalog,))
    found: dict[int, FileOutcome] = {}
    for index, answer in run_isolated(task, names, jobs=1, log_path=log, on_internal=lambda t: append_log(log, t)):
        if isinstance(answer, Failure):
            reason = answer.reason.replace("(已记入日志)", f"(详情见日志 {log})")
            answer = unreadable(names[index], reason)
        found[index] = answer
        if on_progress is not None:
            on_progress(len(found), len(names), names[index])
    try:
        if os.path.getsize(log) == 0:
            os.remove(log)
    except OSError:
        pass
    return [found[i] for i in range(len(names))]
