"""Cross-file decisions pinned to what the master book shows (issue 17, docs/mutation.md): the exact
BATCH_* findings a department reads, tie-breaks (year, identical files, the copy that is kept), and
the counts that must reconcile. Each test names the behaviour a surviving mutant of
`make mutate MODULES=across` changed."""

from __future__ import annotations

import random

from test_consolidate_across import _result

from lubudget_xl.consolidate.across import resolve
from lubudget_xl.consolidate.batch import FileOutcome, file_result
from lubudget_xl.consolidate.samples import department_projects
from lubudget_xl.model import Location


def _located(issue: dict) -> dict:
    """A finding without the parts every test repeats: what it says, where, and its numbers."""
    return {k: issue[k] for k in ("code", "severity", "message", "params", "department", "project")} | {
        "at": (issue["location"]["file"], issue["location"]["sheet"], issue["location"]["cell"])
    }


def test_each_batch_finding_says_what_was_left_out_and_why():
    results = [
        _result("a.xlsx", "甲局", sha="same", mtime=5, names=1),
        _result("b/copy.xlsx", "甲局", sha="same", mtime=9, names=1),
        _result("old.xlsx", "乙局", year=2020, names=1),
        _result("c.xlsx", "丙局", version="2021.0", names=1),
    ]
    c = resolve(results)
    assert [_located(i) for i in c.iter_issues()] == [
        {"code": "BATCH_DUPLICATE_FILE", "severity": "error", "department": "甲局", "project": None,
         "message": "copy.xlsx 与 a.xlsx 内容完全相同(SHA-256 相同),未重复计入;同一文件请只提交一次",
         "params": {"rows_excluded": 12, "same_as": "a.xlsx"}, "at": ("b/copy.xlsx", None, None)},
        {"code": "BATCH_OTHER_YEAR", "severity": "error", "department": "乙局", "project": None,
         "message": "本文件为 2020 年度,本次汇总为 2021 年度,未计入汇总;请用 2021 年的模板填报后重新提交",
         "params": {"rows_excluded": 12, "found": 2020, "expected": 2021}, "at": ("old.xlsx", None, None)},
        {"code": "BATCH_OTHER_TEMPLATE", "severity": "warning", "department": "丙局", "project": None,
         "message": "模板版本为 2021.0(其他文件多为 2021.1),已计入汇总,请核对",
         "params": {"rows_excluded": 0, "found": "2021.0", "expected": "2021.1"}, "at": ("c.xlsx", None, None)},
    ]  # fmt: skip
    assert [(o.status, o.counted_projects, o.counted_rows) for o in c.outcomes] == [
        ("ok", 1, 12), ("duplicate_file", 0, 0), ("other_year", 0, 0), ("other_template", 1, 12)
    ]  # fmt: skip
    assert c.outcomes[1].reason == "与 a.xlsx 内容完全相同(SHA-256 相同),未重复计入"
    assert c.rows_excluded == 24 and c.rows_read == c.rows_counted + c.rows_excluded == 48
    assert c.severities() == {"error": 2, "warning": 1}
    assert c.department_counts() == {("甲局", "error"): 1, ("乙局", "error"): 1, ("丙局", "warning"): 1}


def test_the_batch_year_is_the_most_common_a_tie_takes_the_earlier_and_unknown_years_do_not_vote():
    c = resolve([_result("a.xlsx", "甲局", year=2021), _result("b.xlsx", "乙局", year=2020),
                 _result("c.xlsx", "丙局", year=None)])  # fmt: skip
    assert c.expected_year == 2020
    assert [o.status for o in c.outcomes] == ["other_year", "ok", "ok"]  # a file without a year is counted


def test_a_given_template_version_wins_over_the_most_common():
    c = resolve([_result("a.xlsx", "甲局"), _result("b.xlsx", "乙局"), _result("c.xlsx", "丙局", version="2021.0")],
                expected_template_version="2021.0")  # fmt: skip
    assert [o.status for o in c.outcomes] == ["other_template", "other_template", "ok"]
    no_version = resolve([_result("a.xlsx", "甲局", version=None), _result("b.xlsx", "乙局")])
    assert [o.status for o in no_version.outcomes] == ["ok", "ok"]


def test_identical_files_of_the_same_age_keep_the_first_given():
    c = resolve([_result("first.xlsx", "甲局", sha="same"), _result("second.xlsx", "甲局", sha="same")])
    assert [o.status for o in c.outcomes] == ["ok", "duplicate_file"]


def test_an_unread_file_is_listed_and_nothing_is_decided_about_it():
    failed = _result("broken.xlsx", "乙局", year=2019)
    failed.outcome.status = "failed"
    c = resolve([failed, _result("a.xlsx", "甲局")])
    assert [o.status for o in c.outcomes] == ["failed", "ok"] and c.batch_issues == {}
    assert c.projects_counted == 2 and c.rows_counted == c.outcomes[1].rows


def test_a_given_year_wins_over_the_most_common():
    c = resolve([_result("a.xlsx", "甲局", year=2020), _result("b.xlsx", "乙局", year=2020),
                 _result("c.xlsx", "丙局", year=2021)], expected_year=2021)  # fmt: skip
    assert [o.status for o in c.outcomes] == ["other_year", "other_year", "ok"]


def test_a_resubmitted_project_names_every_place_its_rows_and_funds():
    older = _result("甲局.xlsx", "甲局", mtime=1, names=1)
    newer = _result("D:\\报送\\甲局_更正.xlsx", "甲局", mtime=2, names=1, sha="x")
    c = resolve([older, newer])
    (dup,) = c.iter_issues()
    assert _located(dup) == {
        "code": "BATCH_DUPLICATE_PROJECT", "severity": "error", "department": "甲局", "project": "公共卫生服务补助",
        "message": "同一项目“公共卫生服务补助”(实施单位 甲局本级)重复填报 2 份:甲局.xlsx '项目1'!B4、甲局_更正.xlsx "
                   "'项目1'!B4;以 甲局_更正.xlsx '项目1'!B4 为准计入汇总,此处(甲局.xlsx '项目1'!B4)的 12 行指标、"
                   "年度资金 607.6 万元未计入,资金不重复计算。如为更正后重报,以较新的文件为准;请撤回旧文件中的该项目。",
        "params": {"rows_excluded": 12, "kept_file": "D:\\报送\\甲局_更正.xlsx",
                   "places": ["甲局.xlsx '项目1'!B4", "甲局_更正.xlsx '项目1'!B4"], "kept": "甲局_更正.xlsx '项目1'!B4"},
        "at": ("甲局.xlsx", "项目1", "B4"),
    }  # fmt: skip
    assert [(o.counted_projects, o.counted_rows) for o in c.outcomes] == [(0, 0), (1, 12)]
    assert c.rows_counted == len(list(c.iter_indicators())) == 12


def test_of_two_files_of_the_same_age_the_first_given_keeps_the_project():
    c = resolve([_result("a.xlsx", "甲局", names=1), _result("b.xlsx", "甲局", names=1, sha="x")])
    (dup,) = c.iter_issues()
    assert dup["location"]["file"] == "b.xlsx" and dup["params"]["kept"] == "a.xlsx '项目1'!B4"


def _file(path: str, projects, mtime: float = 0.0):
    outcome = FileOutcome(path=path, sha256=path, mtime=mtime, year=2021, template_version="2021.1", department="甲局",
                          projects=len(projects), rows=sum(len(p.indicators) for p in projects))  # fmt: skip
    return file_result(outcome, projects, [])


def test_a_copied_sheet_without_funds_asks_to_rename_or_delete_the_copy():
    (project,) = department_projects("甲局", 1, 2021, random.Random(0), "乙.xlsx")
    copy = department_projects("甲局", 1, 2021, random.Random(0), "乙.xlsx")[0]
    copy.funds.total = None
    copy.locations = {k: Location(loc.file, "项目1 (2)", loc.cell) for k, loc in project.locations.items()}
    c = resolve([_file("乙.xlsx", [project, copy])])
    (dup,) = c.iter_issues()
    assert dup["message"] == (
        "同一项目“公共卫生服务补助”(实施单位 甲局本级)重复填报 2 份:乙.xlsx '项目1'!B4、乙.xlsx '项目1 (2)'!B4;"
        "以 乙.xlsx '项目1'!B4 为准计入汇总,此处(乙.xlsx '项目1 (2)'!B4)的 12 行指标未计入,资金不重复计算。"
        "复制的项目表请改填新项目的名称,或删除重复的表。"
    )
    assert c.dropped == {0: {1}} and c.hidden == {0: set()}  # the kept copy has the same name: its findings stay


def test_near_identical_names_are_named_with_both_places():
    a = department_projects("甲局", 1, 2021, random.Random(1), "甲.xlsx")
    b = department_projects("甲局", 1, 2021, random.Random(2), "甲2.xlsx")
    a[0].name, b[0].name = "提高政府决策科学性", "提高政策决策科学性"
    c = resolve([_file("甲.xlsx", a, 1), _file("甲2.xlsx", b, 2)])
    (similar,) = c.iter_issues()
    assert _located(similar) == {
        "code": "BATCH_SIMILAR_PROJECT", "severity": "warning", "department": "甲局", "project": "提高政策决策科学性",
        "message": "项目名称“提高政策决策科学性”(甲2.xlsx '项目1'!B4)与“提高政府决策科学性”(甲.xlsx '项目1'!B4)"
                   "只差一个字,实施单位相同,两者都已计入汇总;若是同一项目请只保留一份,若是不同项目请确认名称。",
        "params": {"rows_excluded": 0, "found": ["提高政府决策科学性", "提高政策决策科学性"],
                   "places": ["甲.xlsx '项目1'!B4", "甲2.xlsx '项目1'!B4"]},
        "at": ("甲2.xlsx", "项目1", "B4"),
    }  # fmt: skip
    assert c.projects_counted == 2


def test_inputs_that_never_reached_a_reader_are_listed_last_and_counted():
    c = resolve([_result("a.xlsx", "甲局")])
    extra = {"code": "BATCH_UNREADABLE", "severity": "error", "department": "乙局", "message": "m", "params": {}}
    c.extra_issues.append(extra)
    assert list(c.iter_issues())[-1] is extra
    assert c.department_counts() == {("乙局", "error"): 1} and c.severities() == {"error": 1}
    c.extra_issues.append({**extra, "message": "another"})
    assert c.department_counts() == {("乙局", "error"): 2}
    with c as same:
        assert same is c
    assert c.spool is None


def _finding(code: str, severity: str, project: str | None) -> dict:
    return {"code": code, "severity": severity, "message": "m", "params": {}, "project": project, "fix": None,
            "location": {"file": "混合.xlsx", "sheet": "项目1", "cell": "D7", "line": None}}  # fmt: skip


def test_a_files_own_findings_go_to_the_department_of_their_project():
    projects = department_projects("乙局", 1, 2021, random.Random(0), "混合.xlsx")
    outcome = FileOutcome(path="混合.xlsx", sha256="m", year=2021, template_version="2021.1", department="甲局",
                          projects=1, rows=len(projects[0].indicators))  # fmt: skip
    findings = [_finding("VALUE_EMPTY", "error", projects[0].name), _finding("HEADER_MISSING", "warning", None)]
    c = resolve([file_result(outcome, projects, findings, full=True)])
    assert [(i["code"], i["department"]) for i in c.iter_issues()] == [("VALUE_EMPTY", "乙局"), ("HEADER_MISSING", "甲局")]
    assert c.department_counts() == {("乙局", "error"): 1, ("甲局", "warning"): 1}
    assert [record["name"] for record in c.iter_records()] == [projects[0].name]


def test_findings_after_a_left_out_project_are_still_listed():
    older = department_projects("甲局", 2, 2021, random.Random(0), "旧.xlsx")
    newer = department_projects("甲局", 1, 2021, random.Random(0), "新.xlsx")  # the first project again
    findings = [_finding("VALUE_EMPTY", "error", older[0].name), _finding("VALUE_EMPTY", "error", older[1].name)]
    old_outcome = FileOutcome(path="旧.xlsx", sha256="o", mtime=1, year=2021, template_version="2021.1",
                              department="甲局", projects=2, rows=24)  # fmt: skip
    c = resolve([file_result(old_outcome, older, findings), _file("新.xlsx", newer, 2)])
    assert [(i["code"], i["project"]) for i in c.iter_issues()] == [
        ("BATCH_DUPLICATE_PROJECT", older[0].name), ("VALUE_EMPTY", older[1].name)
    ]  # fmt: skip


def test_three_copies_in_one_file_are_two_errors_of_the_department():
    copies = [department_projects("甲局", 1, 2021, random.Random(0), "甲.xlsx")[0] for _ in range(3)]
    for n, copy in enumerate(copies[1:], start=2):
        copy.locations = {k: Location(loc.file, f"项目1 ({n})", loc.cell) for k, loc in copy.locations.items()}
    c = resolve([_file("甲.xlsx", copies)])
    assert c.department_counts() == {("甲局", "error"): 2} and c.projects_counted == 1


def test_a_copy_without_a_name_cell_is_placed_by_its_file():
    first = department_projects("甲局", 1, 2021, random.Random(0), "甲.xlsx")
    again = department_projects("甲局", 1, 2021, random.Random(0), "乙.xlsx")
    again[0].locations = {}
    c = resolve([_file("甲.xlsx", first, 2), _file("乙.xlsx", again, 1)])
    (dup,) = c.iter_issues()
    assert dup["params"]["places"] == ["甲.xlsx '项目1'!B4", "乙.xlsx"]
    assert dup["location"] == {"file": "乙.xlsx", "sheet": None, "cell": None, "line": None}


def test_the_same_name_under_another_unit_or_department_is_another_project():
    a = department_projects("甲局", 1, 2021, random.Random(0), "甲.xlsx")
    b = department_projects("甲局", 1, 2021, random.Random(0), "甲2.xlsx")
    b[0].unit = "甲局下属中心"
    c = department_projects("乙局", 1, 2021, random.Random(0), "乙.xlsx")
    d = department_projects("丙局", 1, 2021, random.Random(0), "丙.xlsx")
    c[0].name = d[0].name = a[0].name
    c[0].unit = d[0].unit = ""  # no 实施单位: the department tells them apart
    result = resolve([_file("甲.xlsx", a), _file("甲2.xlsx", b), _file("乙.xlsx", c), _file("丙.xlsx", d)])
    assert result.projects_counted == 4 and list(result.iter_issues()) == []
