"""Cross-file rules of a batch, on outcomes built directly: what is counted, what is reported."""

from __future__ import annotations

import random

from lubudget_xl.consolidate.across import resolve
from lubudget_xl.consolidate.batch import FileOutcome, FileResult, file_result
from lubudget_xl.consolidate.samples import department_projects


def _result(path: str, department: str, *, year: int = 2021, version: str | None = "2021.1", sha: str | None = None,
            mtime: float = 0.0, names: int = 2, seed: int = 0) -> FileResult:  # fmt: skip
    projects = department_projects(department, names, year, random.Random(seed), path)
    outcome = FileOutcome(
        path=path, sha256=sha or path, mtime=mtime, year=year, template_version=version, department=department,
        projects=len(projects), rows=sum(len(p.indicators) for p in projects),
    )  # fmt: skip
    return file_result(outcome, projects, [])


def test_another_template_version_is_counted_but_reported_with_both_versions():
    results = [_result("a.xlsx", "甲局"), _result("b.xlsx", "乙局"), _result("c.xlsx", "丙局", version="2021.0")]
    c = resolve(results)
    assert c.expected_template_version == "2021.1"
    assert [o.status for o in c.outcomes] == ["ok", "ok", "other_template"]
    (issue,) = [i for i in c.iter_issues() if i["code"] == "BATCH_OTHER_TEMPLATE"]
    assert issue["params"]["found"] == "2021.0" and issue["params"]["expected"] == "2021.1"
    assert issue["department"] == "丙局" and "2021.0" in issue["message"] and "2021.1" in issue["message"]
    assert c.rows_counted == c.rows_read and c.rows_excluded == 0


def test_another_year_is_listed_not_counted_and_the_year_can_be_forced():
    results = [_result("a.xlsx", "甲局"), _result("b.xlsx", "乙局"), _result("old.xlsx", "丙局", year=2020)]
    c = resolve(results)
    assert c.expected_year == 2021 and c.outcomes[2].status == "other_year"
    assert c.rows_read == c.rows_counted + c.rows_excluded and c.rows_excluded == results[2].outcome.rows
    forced = resolve([_result("a.xlsx", "甲局"), _result("old.xlsx", "丙局", year=2020)], expected_year=2020)
    assert [o.status for o in forced.outcomes] == ["other_year", "ok"]


def test_identical_files_keep_the_oldest_and_projects_keep_the_newest_file():
    results = [
        _result("copy.xlsx", "甲局", sha="same", mtime=20),
        _result("original.xlsx", "甲局", sha="same", mtime=10),
        _result("resubmitted.xlsx", "甲局", sha="new", mtime=30),
    ]
    c = resolve(results)
    assert [o.status for o in c.outcomes] == ["duplicate_file", "ok", "ok"]
    assert {p["source_file"] for p in c.iter_projects()} == {"resubmitted.xlsx"}
    assert c.outcomes[1].counted_projects == 0 and c.outcomes[2].counted_projects == 2
    codes = sorted(i["code"] for i in c.iter_issues())
    assert codes == ["BATCH_DUPLICATE_FILE", "BATCH_DUPLICATE_PROJECT", "BATCH_DUPLICATE_PROJECT"]
    assert c.rows_read == c.rows_counted + c.rows_excluded


def _with_finding(result: FileResult, finding: dict) -> FileResult:
    result.payload.issues.append(finding)
    result.issue_counts[(finding["project"], finding["severity"])] = 1
    return result


def test_rule_findings_of_a_dropped_project_are_dropped_with_it():
    older, newer = _result("old.xlsx", "甲局", mtime=1), _result("new.xlsx", "甲局", mtime=2, sha="x")
    name = older.keys[0].name
    finding = {"code": "FUNDS_SUM", "severity": "error", "message": "m", "params": {}, "project": name,
               "fix": None, "location": {"file": "old.xlsx", "sheet": "项目1", "cell": "D7", "line": None}}  # fmt: skip
    _with_finding(older, finding)
    _with_finding(newer, {**finding, "location": {**finding["location"], "file": "new.xlsx"}})
    c = resolve([older, newer])
    assert [i["location"]["file"] for i in c.iter_issues() if i["code"] == "FUNDS_SUM"] == ["new.xlsx"]
    # the counts the summary shows agree with the rows listed: FUNDS_SUM once, and the two copies left
    # out of old.xlsx as errors (BATCH_DUPLICATE_PROJECT: the department must withdraw them)
    listed = [i["severity"] for i in c.iter_issues()]
    assert c.severities()["error"] == listed.count("error") == 3
    assert c.department_counts()[("甲局", "error")] == 3
    kept, dropped = c.results[1], c.results[0]
    assert c.project_counts(kept)[name]["error"] == 1 and name in c.hidden[0] and dropped.outcome.path == "old.xlsx"
    assert c.dropped[0] == {0, 1}
