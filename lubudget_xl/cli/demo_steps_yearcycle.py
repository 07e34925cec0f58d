"""Demo step (and the scenario test's engine): two budget years end to end, where one meets the next.

Year one (2022): 30 department files — 24 ordinary (23 from one batch, one filled alone), one with a project sheet copied and not renamed,
one with a copy whose name is written differently (a space) and a near-identical name, a renamed
copy of a whole file, a blank form, last year's (2021) file and a broken file — checked,
consolidated, returned to the departments. Year two (2023): the maintainer makes the catalogue
(`catalog new`), last year's counted recurring projects roll over, the departments enter this year's
funds, and the bureau consolidates again. `run_cycle` returns what happened so a test can assert it
exactly; `step_yearcycle` prints it.
"""

from __future__ import annotations

import copy
import os
import random
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CYCLE_CODES = (
    "BATCH_DUPLICATE_PROJECT", "BATCH_SIMILAR_PROJECT", "BATCH_DUPLICATE_FILE", "BATCH_OTHER_YEAR",
    "READ_NO_PROJECT", "FILE_UNREADABLE", "FILE_DUPLICATE_PROJECT", "FILE_SIMILAR_PROJECT", "CATALOG_YEAR_MISSING",
    "READ_TEMPLATE_YEAR",
)  # fmt: skip
FUND_RISE = 1.05  # the departments' 2023 figures: last year's plus 5 %


@dataclass
class YearResult:
    files: int = 0
    statuses: Counter = field(default_factory=Counter)
    projects_counted: int = 0
    rows_read: int = 0
    rows_counted: int = 0
    rows_excluded: int = 0
    funds_counted: float = 0.0
    cycle_findings: list[tuple[str, str, str]] = field(default_factory=list)  # (code, file name, sheet)
    rule_findings: int = 0
    check_findings: list[tuple[str, str, str]] = field(default_factory=list)
    feedback_books: list[str] = field(default_factory=list)
    feedback: dict[str, list[str]] = field(default_factory=dict)  # return list → codes in it


@dataclass
class Cycle:
    inbox: dict[str, list] = field(default_factory=dict)  # what was sent, for the expectations
    year1: YearResult = field(default_factory=YearResult)
    year2: YearResult = field(default_factory=YearResult)
    refused_before_catalogue: str = ""
    catalogue: str = ""
    carried: int = 0
    not_carried: int = 0
    expected_funds_year1: float = 0.0
    expected_funds_year2: float = 0.0


def _copied(project, name: str | None = None):
    twin = copy.deepcopy(project)
    if name is not None:
        twin.name = name
    return twin


def build_inbox_2022(folder: Path) -> dict[str, list]:
    """The 30 files of 2022 and, per kind, what they hold (records before writing)."""
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.consolidate.samples import department_name, department_projects, write_workbook_batch
    from lubudget_xl.template import build_template, fill_workbook

    if folder.exists():
        shutil.rmtree(folder)
    ordinary = write_workbook_batch(folder, files=23, projects_per_file=4, year=2022, seed=2022, bases=4, vary=True)
    c2022, rng = load_catalog("2022"), random.Random(14)
    copied_dept, similar_dept, old_dept = department_name(24), department_name(25), department_name(26)
    a = department_projects(copied_dept, 3, 2022, rng)
    b = department_projects(similar_dept, 3, 2022, rng)
    a_file = fill_workbook([*a, _copied(a[0])], c2022, folder / f"0025_{copied_dept}.xlsx")
    spaced = b[0].name[:2] + " " + b[0].name[2:]  # typed with a space: the same project
    near = b[1].name[:-1] + ("费" if not b[1].name.endswith("费") else "款")  # one character apart
    b_file = fill_workbook([*b, _copied(b[0], spaced), _copied(b[1], near)], c2022, folder / f"0026_{similar_dept}.xlsx")
    renamed = Path(shutil.copy(ordinary[0], folder / f"{ordinary[0].stem}_副本.xlsx"))
    old = fill_workbook(department_projects(old_dept, 3, 2021, rng), load_catalog("2021"), folder / f"0027_{old_dept}_2021.xlsx")
    blank = folder / "0028_空白模板.xlsx"
    build_template(c2022).save(blank)
    broken = folder / "0029_损坏的文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    # the 30th: one more ordinary department, filled on its own
    extra = fill_workbook(department_projects(department_name(27), 2, 2022, rng), c2022, folder / f"0030_{department_name(27)}.xlsx")
    return {"ordinary": [*ordinary, extra], "copied": [a_file], "similar": [b_file], "renamed": [renamed],
            "old": [old], "blank": [blank], "broken": [broken], "near": [near], "spaced": [spaced]}  # fmt: skip


def _consolidate(inbox: Path, master: Path, feedback: Path, result: YearResult) -> list:
    """Consolidate, write the master book and the return lists; returns the counted records."""
    from lubudget_xl.consolidate import consolidate
    from lubudget_xl.consolidate.feedback import read_issue_rows, write_feedback
    from lubudget_xl.consolidate.frames import build_frames
    from lubudget_xl.consolidate.master import write_master
    from lubudget_xl.model import ProjectTarget

    with consolidate([inbox], jobs=2, full=True) as c:
        write_master(c, build_frames(c), master)
        result.files = len(c.outcomes)
        result.statuses = Counter(o.status for o in c.outcomes)
        result.projects_counted = c.projects_counted
        result.rows_read, result.rows_counted, result.rows_excluded = c.rows_read, c.rows_counted, c.rows_excluded
        result.funds_counted = round(sum(k.funds_total or 0 for _, k in c.counted_keys()), 4)
        issues = list(c.iter_issues())
        records = [ProjectTarget.from_dict(r) for r in c.iter_records()]
    result.cycle_findings = sorted(
        (i["code"], Path(i["location"]["file"]).name, i["location"].get("sheet") or "") for i in issues
        if i["code"] in CYCLE_CODES or i["code"].startswith("BATCH_")
    )  # fmt: skip
    result.rule_findings = len(issues) - len(result.cycle_findings)
    if feedback.exists():
        shutil.rmtree(feedback)
    books = write_feedback(master, feedback)
    result.feedback_books = sorted(p.name for p in books)
    by_book: dict[str, list[str]] = {}
    for row in read_issue_rows(master):
        by_book.setdefault(row.get("部门") or "", []).append(row.get("问题代码"))
    result.feedback = {k: sorted(v) for k, v in by_book.items()}
    return records


def _check(inbox: Path, result: YearResult) -> None:
    from lubudget_xl.checking import check_files
    from lubudget_xl.cli.check_cmd import expand_paths

    outcomes = check_files(expand_paths([str(inbox)], None, True))
    result.check_findings = sorted(
        (i.code, Path(i.location.file).name, i.location.sheet or "") for o in outcomes for i in o.issues
        if i.code in CYCLE_CODES
    )  # fmt: skip


def run_cycle(out: Path) -> Cycle:
    """Both years under `out` (the maintainer's catalogue folder is `out/指标目录` for the run)."""
    from lubudget_xl.catalog.new_year import write_new_year
    from lubudget_xl.cli.rollover_cmd import _target_catalog
    from lubudget_xl.errors import UserError
    from lubudget_xl.rollover import rollover
    from lubudget_xl.rollover.workbook import write_rollover_workbook
    from lubudget_xl.template import fill_workbook

    cycle = Cycle()
    saved = os.environ.get("LUBUDGET_CATALOG_DIR")
    os.environ["LUBUDGET_CATALOG_DIR"] = str(out / "指标目录")  # workers inherit it
    try:
        if (out / "指标目录").exists():
            shutil.rmtree(out / "指标目录")
        inbox1 = out / "2022年报送"
        cycle.inbox = build_inbox_2022(inbox1)
        _check(inbox1, cycle.year1)
        records = _consolidate(inbox1, out / "2022年汇总表.xlsx", out / "2022年退回修改", cycle.year1)
        cycle.expected_funds_year1 = round(sum(p.funds.total or 0 for p in records), 4)
        try:
            _target_catalog(None, 2023)
        except UserError as err:
            cycle.refused_before_catalogue = str(err)
        path, catalogue = write_new_year(2023)
        cycle.catalogue = catalogue.version
        rolled = rollover(records, catalogue, 2023)
        cycle.carried = len(rolled.projects)
        cycle.not_carried = sum(1 for o in rolled.outcomes if not o.carried)
        inbox2, sent = out / "2023年报送", out / "2023年结转"
        for folder in (inbox2, sent):
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
        by_department: dict[str, list] = {}
        for project in rolled.projects:
            by_department.setdefault(project.department, []).append(project)
        filled = []
        for n, (department, projects) in enumerate(sorted(by_department.items()), start=1):
            write_rollover_workbook(projects, catalogue, sent / f"{n:04d}_{department}_结转.xlsx", 2022)
            for project in projects:  # the department enters this year's figures
                project.funds.fiscal = round((project.funds.fiscal or 0) * FUND_RISE, 2)
                project.funds.other = round((project.funds.other or 0) * FUND_RISE, 2)
                project.funds.total = round(project.funds.fiscal + project.funds.other, 2)
            filled += projects
            fill_workbook(projects, catalogue, inbox2 / f"{n:04d}_{department}.xlsx")
        cycle.expected_funds_year2 = round(sum(p.funds.total for p in filled), 4)
        _check(inbox2, cycle.year2)
        _consolidate(inbox2, out / "2023年汇总表.xlsx", out / "2023年退回修改", cycle.year2)
    finally:
        if saved is None:
            os.environ.pop("LUBUDGET_CATALOG_DIR", None)
        else:
            os.environ["LUBUDGET_CATALOG_DIR"] = saved
    return cycle


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def step_yearcycle(context: dict) -> None:
    from lubudget_xl.consolidate.batch import STATUS_LABELS

    out: Path = context["out"] / "两个年度"
    cycle = run_cycle(out)
    for year, result in ((2022, cycle.year1), (2023, cycle.year2)):
        found = Counter(code for code, _, _ in result.cycle_findings)
        _say(f"{year} 年:收到 {result.files} 个文件(" + "、".join(f"{STATUS_LABELS[s]} {n}" for s, n in result.statuses.items())
             + f"),计入 {result.projects_counted} 个项目、资金 {result.funds_counted:g} 万元;"
             f"读取 {result.rows_read} 行 = 计入 {result.rows_counted} + 未计入 {result.rows_excluded}")  # fmt: skip
        if found:
            _say("  批次问题:" + "、".join(f"{code} {n}" for code, n in sorted(found.items())))
        if year == 2022:
            _say(f"  结转前:{cycle.refused_before_catalogue}")
            _say(f"  lubudget catalog new --year 2023 → {cycle.catalogue};结转 {cycle.carried} 个经常性项目,"
                 f"一次性项目 {cycle.not_carried} 个不结转")  # fmt: skip
    _say(f"两年的汇总表和退回修改清单在 {out}/")
