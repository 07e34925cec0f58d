"""The same project twice — in one file (a copied sheet), across files — is counted once and reported
with every place; near-identical names are a warning (issue 14, item 1)."""

from __future__ import annotations

import json
import random

from conftest import run_cli

from lubudget_xl.consolidate.across import resolve
from lubudget_xl.consolidate.batch import FileOutcome, file_result
from lubudget_xl.consolidate.samples import department_projects
from lubudget_xl.duplicates import duplicate_groups, normalise, project_key, similar_pairs
from lubudget_xl.model import Location
from lubudget_xl.template import fill_workbook


def test_keys_fold_full_width_and_spaces_and_fall_back_to_the_department():
    assert normalise(" 市长热线 工作经费\u3000") == normalise("市长热线工作经费") == "市长热线工作经费"
    assert normalise("１２３４５热线ＡＢ") == "12345热线ab"
    assert project_key("热线经费", "", "甲局") == ("热线经费", "甲局")
    keys = [project_key("热线经费", "甲局本级", "甲局"), project_key("热线经费 ", "甲局本级", "甲局"),
            project_key("热线经费", "乙局本级", "乙局"), project_key("", "甲局本级", "甲局"),
            project_key("", "甲局本级", "甲局")]  # fmt: skip
    assert duplicate_groups(keys) == [[0, 1]]  # another unit is another project; nameless never pair


def test_similar_names_are_one_character_apart_but_numbers_are_not_typos():
    names = ["提高政策决策科学性", "提高政府决策科学性", "第1批项目经费", "第2批项目经费", "会议费", "会务费",
             "档案数字化加工", "档案数字化加工费", "市长热线经费"]  # fmt: skip
    keys = [project_key(n, "甲局本级", "甲局") for n in names]
    assert similar_pairs(keys) == [(0, 1), (6, 7)]
    other_unit = [project_key("提高政策决策科学性", "甲局本级", ""), project_key("提高政府决策科学性", "乙局本级", "")]
    assert similar_pairs(other_unit) == []


def _result(path: str, projects, mtime: float) -> object:
    outcome = FileOutcome(path=path, sha256=path, mtime=mtime, year=2022, template_version="2022.1",
                          department=projects[0].department, projects=len(projects),
                          rows=sum(len(p.indicators) for p in projects))  # fmt: skip
    return file_result(outcome, projects, [])


def _copied_sheet(project, sheet: str, name: str | None = None):
    """A project sheet copied inside its workbook (the name left as it was, unless `name`)."""
    import copy

    twin = copy.deepcopy(project)
    twin.name = project.name if name is None else name
    twin.locations = {k: Location(v.file, sheet, v.cell) for k, v in project.locations.items()}
    for ind in twin.indicators:
        ind.locations = {k: Location(v.file, sheet, v.cell) for k, v in ind.locations.items()}
    return twin


def test_a_copied_sheet_counts_once_and_every_copy_is_named():
    projects = department_projects("甲局", 3, 2022, random.Random(1), "甲局.xlsx")
    copied = _copied_sheet(projects[0], "项目1 (2)", name=projects[0].name + " ")  # trailing space: same project
    c = resolve([_result("甲局.xlsx", [*projects, copied], 1.0)])
    assert c.projects_counted == 3
    assert c.rows_read == c.rows_counted + c.rows_excluded and c.rows_excluded == len(copied.indicators)
    funds = sum(k.funds_total for _, k in c.counted_keys())
    assert funds == sum(p.funds.total for p in projects)  # the copy's money is not counted again
    (dup,) = [i for i in c.iter_issues() if i["code"] == "BATCH_DUPLICATE_PROJECT"]
    assert dup["severity"] == "error" and dup["department"] == "甲局"
    assert dup["location"]["sheet"] == "项目1 (2)" and dup["location"]["cell"] == "B4"
    assert dup["params"]["places"] == ["甲局.xlsx '项目1'!B4", "甲局.xlsx '项目1 (2)'!B4"]
    assert dup["params"]["kept"] == "甲局.xlsx '项目1'!B4"
    assert "写法略有不同" in dup["message"] and "资金不重复计算" in dup["message"]
    # the copy's own findings go with it (its name, as written, is counted nowhere in the file)
    assert c.hidden == {0: {copied.name}} and c.dropped == {0: {3}}


def test_across_files_and_within_the_newer_file_the_newest_first_copy_wins():
    old = department_projects("甲局", 2, 2022, random.Random(1), "甲局.xlsx")
    new = department_projects("甲局", 2, 2022, random.Random(1), "甲局_更正.xlsx")
    new_copy = _copied_sheet(new[0], "项目3")
    c = resolve([_result("甲局.xlsx", old, 1.0), _result("甲局_更正.xlsx", [*new, new_copy], 2.0)])
    assert c.projects_counted == 2 and {p["source_file"] for p in c.iter_projects()} == {"甲局_更正.xlsx"}
    dups = [i for i in c.iter_issues() if i["code"] == "BATCH_DUPLICATE_PROJECT"]
    assert sorted((i["location"]["file"], i["location"]["sheet"]) for i in dups) == [
        ("甲局.xlsx", "项目1"), ("甲局.xlsx", "项目2"), ("甲局_更正.xlsx", "项目3")]  # fmt: skip
    first = next(i for i in dups if i["location"]["sheet"] == "项目3")
    assert first["params"]["places"] == ["甲局.xlsx '项目1'!B4", "甲局_更正.xlsx '项目1'!B4", "甲局_更正.xlsx '项目3'!B4"]
    assert first["params"]["kept"] == "甲局_更正.xlsx '项目1'!B4"
    assert c.rows_read == c.rows_counted + c.rows_excluded


def test_near_identical_names_are_a_warning_and_both_are_counted():
    projects = department_projects("甲局", 2, 2022, random.Random(1), "甲局.xlsx")
    projects[1].name = "提高政府决策科学性"
    other = department_projects("甲局", 1, 2022, random.Random(2), "甲局2.xlsx")
    other[0].name = "提高政策决策科学性"
    c = resolve([_result("甲局.xlsx", projects, 1.0), _result("甲局2.xlsx", other, 2.0)])
    assert c.projects_counted == 3
    (similar,) = [i for i in c.iter_issues() if i["code"].startswith("BATCH_")]
    assert similar["code"] == "BATCH_SIMILAR_PROJECT" and similar["severity"] == "warning"
    assert similar["params"]["found"] == ["提高政府决策科学性", "提高政策决策科学性"]
    assert similar["location"]["file"] == "甲局2.xlsx"


def test_check_reports_a_copied_sheet_in_a_workbook(tmp_path):
    projects = department_projects("甲局", 2, 2022, random.Random(3))
    copied = _copied_sheet(projects[0], "x")
    copied.name = "\u3000" + projects[0].name  # a full-width space typed before it
    from lubudget_xl.catalog import load_catalog

    book = fill_workbook([*projects, copied], load_catalog("2022"), tmp_path / "甲局.xlsx")
    out = run_cli("check", str(book), "--format", "json")
    report = json.loads(out.stdout)
    dups = [i for i in report["issues"] if i["code"] == "FILE_DUPLICATE_PROJECT"]
    assert len(dups) == 1 and dups[0]["severity"] == "error"
    sheets = [ws for ws in dups[0]["params"]["found"]]
    assert dups[0]["location"]["sheet"] != dups[0]["params"]["kept"].split("'")[1]
    assert len(sheets) == 2 and dups[0]["params"]["kept"] == sheets[0]
    assert out.returncode == 1
