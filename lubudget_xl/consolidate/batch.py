"""Reading many files in parallel processes, one compact outcome per file (STYLE.md §9).

Workers return plain values, never workbooks: pickling a 10-sheet openpyxl book costs more than
reading it. Given a spool folder, a worker writes each file's bulk (rows, findings) to its own
spool file and returns only the outcome, a `ProjectKey` per project and finding counts, so the
parent's memory does not grow with the rows read. Anything a file does — a UserError, an abort
of the parser, a hang, running out of memory — becomes that file's failed outcome and an issue;
the batch always goes on. The parent never parses a file itself (no in-process retry: the file
that killed a worker would kill the parent too); see isolation.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any

from lubudget_xl.consolidate.rows import ProjectKey, indicator_rows, project_key, project_row
from lubudget_xl.consolidate.spool import Payload, SpoolRef, SpoolWriter
from lubudget_xl.errors import UserError
from lubudget_xl.isolation import (
    FILE_SECONDS,
    WORKER_MEMORY,
    Failure,
    Task,
    append_log,
    log_path,
    run_isolated,
)
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location
from lubudget_xl.progress import ProgressCallback, no_progress

STATUS_OK = "ok"
STATUS_FAILED = "failed"
STATUS_EMPTY = "empty"
STATUS_SKIPPED = "skipped"
STATUS_DUPLICATE_FILE = "duplicate_file"
STATUS_OTHER_YEAR = "other_year"
STATUS_OTHER_TEMPLATE = "other_template"
STATUS_LABELS = {
    STATUS_OK: "已读取",
    STATUS_FAILED: "读取失败",
    STATUS_EMPTY: "无项目表",
    STATUS_SKIPPED: "已跳过",
    STATUS_DUPLICATE_FILE: "重复文件",
    STATUS_OTHER_YEAR: "其他年度",
    STATUS_OTHER_TEMPLATE: "模板版本不同",
}
# Statuses whose projects are counted in the master book.
COUNTED_STATUSES = (STATUS_OK, STATUS_OTHER_TEMPLATE)


@dataclass
class FileOutcome:
    """What happened to one input file. `counted_*` are what reached the master book."""

    path: str
    size: int | None = None
    mtime: float | None = None
    sha256: str | None = None
    template_id: str | None = None
    template_version: str | None = None
    catalog_version: str | None = None
    year: int | None = None
    department: str = ""
    projects: int = 0
    rows: int = 0
    counted_projects: int = 0
    counted_rows: int = 0
    status: str = STATUS_OK
    reason: str = ""
    seconds: float = 0.0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class FileResult:
    """A worker's answer: the outcome, what the cross-file checks need, and the file's bulk
    (in memory, or where it was spooled)."""

    outcome: FileOutcome
    keys: list[ProjectKey]
    issue_counts: dict[tuple[str, str], int]  # (project name or "", severity) → findings
    payload: Payload | SpoolRef


def file_result(outcome: FileOutcome, projects: Sequence[Any], issues: list[dict[str, Any]], full: bool = False) -> FileResult:
    """A FileResult holding its payload in memory; `projects` are ProjectTargets."""
    counts: Counter[tuple[str, str]] = Counter((i.get("project") or "", i["severity"]) for i in issues)
    payload = Payload(
        projects=[project_row(p) for p in projects],
        indicators=[indicator_rows(p) for p in projects],
        issues=issues,
        records=[p.to_dict() for p in projects] if full else None,
    )
    return FileResult(outcome, [project_key(p) for p in projects], dict(counts), payload)


# --- worker side -------------------------------------------------------------------------------

_CATALOG_REF: str | None = None
_FULL = False
_SPOOL: SpoolWriter | None = None
_CATALOGS: dict[str, Any] = {}


def _init_worker(catalog_ref: str | None, full: bool = False, spool_folder: str | None = None) -> None:
    global _CATALOG_REF, _FULL, _SPOOL
    _CATALOG_REF, _FULL = catalog_ref, full
    _SPOOL = SpoolWriter(spool_folder) if spool_folder else None


def _catalog(ref: str):
    """A catalogue (built-in name or path), loaded once per process."""
    if ref not in _CATALOGS:
        from lubudget_xl.catalog import load_catalog

        _CATALOGS[ref] = load_catalog(ref)
    return _CATALOGS[ref]


_LAST_YEAR: list[str] = []  # the year of the previous file in this process: the likely one


def _check(path: str, catalog_ref: str | None):
    """`check_file` with catalogues loaded once per process.

    Without --catalog, `check_file` reads a file with the newest catalogue and reads it again
    with its year's; in a batch of one year that doubles the cost. Here the previous file's
    year is tried first, and a file is read again only when its year turns out different.
    """
    from lubudget_xl.catalog import builtin_names
    from lubudget_xl.checking import _year_of, check_file, default_catalog_name

    # duplicates=False: the batch's copies of a project, within and across files, are across.py's
    if catalog_ref is not None:
        return check_file(path, _catalog(catalog_ref), duplicates=False)
    guess = _LAST_YEAR[0] if _LAST_YEAR else default_catalog_name()
    checked = check_file(path, _catalog(guess), duplicates=False, by_year=True)
    year = _year_of(checked.projects)
    if year is not None and str(year) in builtin_names() and str(year) != guess:
        checked = check_file(path, _catalog(str(year)), duplicates=False, by_year=True)
        _LAST_YEAR[:] = [str(year)]
    return checked


def _sha256(path: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:  # read-only: sources are never modified
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def os_reason(err: OSError) -> str:
    """An OSError as a Chinese reason (the file name is in the row or message that shows it)."""
    import errno

    known = {
        errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限(或文件被其他程序锁定)", errno.EPERM: "没有读取权限",
        errno.EISDIR: "这是文件夹,不是文件",
    }  # fmt: skip
    return known.get(err.errno or 0, f"无法打开文件(系统错误 {err.errno})")


def file_name(path: str) -> str:
    """The file name of a local or Windows path: what a message sent to a department shows."""
    return PureWindowsPath(path).name or path


def name_only(message: str, path: str) -> str:
    """`message` with the reviewer's local path of `path` cut to its file name (locations and
    params keep the full path; the department must not see build/部门报送/…)."""
    return message.replace(path, file_name(path)) if path and path in message else message


def failure_issue(path: str, reason: str) -> Issue:
    """What `lubudget check` reports for a file it cannot read (same code, same wording)."""
    return Issue(
        code="FILE_UNREADABLE",
        severity=Severity.ERROR,
        message=name_only(f"无法读取:{reason}", path),
        location=Location(file=path),
        params={"error": reason},
    )


def skipped_issue(path: str, reason: str) -> Issue:
    """A file the batch did not read though a department may have meant it as its submission (a
    PDF, a scan, a Word file): a warning with no department, so it reaches the return list of
    files that could not be placed, as an unreadable file does."""
    return Issue(
        code="BATCH_SKIPPED_FILE",
        severity=Severity.WARNING,
        message=f"未读取:{file_name(path)}:{reason}",
        location=Location(file=path),
        params={"reason": reason},
    )


def read_one(path: str, catalog_ref: str | None = None, full: bool = False) -> FileResult:
    """Read and check one file into a compact result. Never raises for anything the file does.

    Reading and the rules go through `checking.check_file`, exactly as `lubudget check` does (the
    built-in catalogue of the file's year unless --catalog names one), so a department sees the
    same findings from both.
    """
    from lubudget_xl.checking import STATUS_EMPTY as CHECK_EMPTY
    from lubudget_xl.checking import STATUS_UNREADABLE

    started = time.perf_counter()
    outcome = FileOutcome(path=path)
    try:
        outcome.mtime = os.stat(path).st_mtime
        outcome.sha256, outcome.size = _sha256(path)
        checked = _check(path, catalog_ref)
    except UserError as err:
        return _failed(outcome, str(err), started)
    except OSError as err:  # vanished, locked, no permission: in Chinese, not the library's English
        return _failed(outcome, os_reason(err), started)
    except MemoryError:
        return _failed(outcome, "读取时内存超出限制(文件过大或结构异常),请删除多余内容或另存后重新提交", started)
    issues = [i.to_dict() for i in checked.issues]
    for issue in issues:
        issue["message"] = name_only(issue["message"], path)
    if checked.status == STATUS_UNREADABLE:
        outcome.status = STATUS_FAILED
        outcome.reason = name_only("; ".join(str(i.params.get("error") or i.message) for i in checked.issues), path)
        outcome.seconds = time.perf_counter() - started
        return file_result(outcome, [], issues)
    lost = [i for i in checked.issues if i.code.endswith("_GRID_EMPTY")]
    if lost:  # a grid was found and nothing read from it: never counted as if it were complete
        outcome.status = STATUS_FAILED
        outcome.reason = name_only(f"{lost[0].location}: {lost[0].message}", path)
        outcome.seconds = time.perf_counter() - started
        return file_result(outcome, [], issues)
    projects = checked.projects
    for project in projects:
        if not project.source_file:
            project.source_file = path
    if any(getattr(p, "FORM", "") == "selfeval" for p in projects):  # 绩效自评: the 自评汇总 line, computed here
        from lubudget_xl.selfeval.summary import attach_summaries

        attach_summaries(projects, checked.catalog)
    template = next((p.template for p in projects if p.template is not None), None)
    if template is not None:
        outcome.template_id = template.template_id
        outcome.template_version = template.template_version
        outcome.catalog_version = template.catalog_version
        outcome.year = template.year
    years = Counter(p.year for p in projects if p.year is not None)
    if outcome.year is None and years:
        outcome.year = years.most_common(1)[0][0]
    departments = Counter(p.department for p in projects if p.department)
    outcome.department = departments.most_common(1)[0][0] if departments else ""
    outcome.projects = len(projects)
    outcome.rows = sum(len(p.indicators) for p in projects)
    if checked.status == CHECK_EMPTY or not projects:
        outcome.status = STATUS_EMPTY
        outcome.reason = "文件中没有找到项目表(含“项目名称”的工作表)"
        if checked.status == "blank":  # checking.STATUS_BLANK: the form is there, nothing filled in
            outcome.reason = "空白表格:项目表都未填写"
    result = file_result(outcome, projects, issues, full)
    outcome.seconds = time.perf_counter() - started
    return result


def _failed(outcome: FileOutcome, reason: str, started: float) -> FileResult:
    outcome.status = STATUS_FAILED
    outcome.reason = name_only(reason, outcome.path)
    outcome.seconds = time.perf_counter() - started
    return file_result(outcome, [], [failure_issue(outcome.path, reason).to_dict()])


def _spooled(result: FileResult, spool: SpoolWriter | None) -> FileResult:
    if spool is not None and isinstance(result.payload, Payload):
        result.payload = spool.put(result.payload)
    return result


def _read_path(path: str) -> FileResult:
    """What a worker runs per file (isolation.run_isolated)."""
    result = _spooled(read_one(path, _CATALOG_REF, _FULL), _SPOOL)
    if _SPOOL is not None:
        _SPOOL.flush()  # the parent may read this part as soon as it has the result
    return result


# --- main side ---------------------------------------------------------------------------------


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def read_files(
    paths: Sequence[str],
    catalog_ref: str | None = None,
    jobs: int | None = None,
    on_progress: ProgressCallback = no_progress,
    start_method: str | None = None,
    full: bool = False,
    spool: SpoolWriter | None = None,
    while_waiting: Callable[[], object] | None = None,
    seconds: float | None = FILE_SECONDS,
    memory: int | None = WORKER_MEMORY,
) -> list[FileResult]:
    """Read every path; results come back in the order of `paths`, one per path.

    Every file is read in a worker process (isolation.py), even with one job: a file that aborts,
    crashes, hangs past `seconds` or needs more than `memory` bytes ends its worker, not the batch,
    and is reported 读取失败 with the reason. `start_method` ("spawn", "fork", …) defaults to the
    platform's: spawn on Windows, where the reviewers work, so workers need nothing but their
    arguments (tests run both). `full` also keeps every project's complete record (for --json).
    With `spool`, payloads are written to spool files in its folder (each worker its own file).
    `while_waiting` runs in a thread of this process while the workers read (e.g. importing what
    the next step needs); it starts once the first workers exist.
    """
    import lubudget_xl.checking  # noqa: F401 - forked workers inherit it instead of importing it each

    jobs = jobs or default_jobs()
    total = len(paths)
    results: dict[int, FileResult] = {}
    log = log_path()
    task = Task(__name__, "_read_path", "_init_worker", (catalog_ref, full, spool.folder if spool else None))
    answers = run_isolated(task, paths, jobs, seconds, memory, start_method, log,
                           on_internal=lambda text: append_log(log, text))
    waiting = while_waiting
    for index, answer in answers:
        if waiting is not None:
            threading.Thread(target=waiting, daemon=True).start()
            waiting = None
        if isinstance(answer, Failure):
            answer = _worker_failed(paths[index], answer, log)
        results[index] = answer
        on_progress(len(results), total, paths[index])
    if waiting is not None:
        waiting()
    with contextlib.suppress(OSError):
        if os.path.getsize(log) == 0:  # nothing went wrong: no log left behind
            os.remove(log)
    return [results[i] for i in range(total)]


def _worker_failed(path: str, failure: Failure, log: str) -> FileResult:
    """The outcome of a file whose worker ended or raised: 读取失败 with the reason (and where the
    details were logged when it was our own error)."""
    reason = f"{failure.reason.replace('(已记入日志)', '')}(详情见日志 {log})" if failure.internal else failure.reason
    outcome = FileOutcome(path=path)
    with contextlib.suppress(OSError):  # hashing parses nothing: safe in this process
        outcome.mtime = os.stat(path).st_mtime
        outcome.sha256, outcome.size = _sha256(path)
    return _failed(outcome, reason, time.perf_counter())
