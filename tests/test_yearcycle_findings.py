"""Findings a reviewer trusts (issue 14, item 4): a blank form is "nothing to check", another year's
file is an error for its department."""

from __future__ import annotations

import json
import random
from importlib import resources

import jsonschema
from conftest import run_cli

from lubudget_xl.catalog import load_catalog
from lubudget_xl.consolidate.across import resolve
from lubudget_xl.consolidate.batch import FileOutcome, file_result
from lubudget_xl.consolidate.samples import department_projects
from lubudget_xl.template import build_template


def test_a_blank_form_is_nothing_to_check_with_one_message(tmp_path):
    blank = tmp_path / "空白.xlsx"
    build_template(load_catalog("2022")).save(blank)
    out = run_cli("check", str(blank), "--format", "json")
    assert out.returncode == 2, out.stderr.decode()
    report = json.loads(out.stdout)
    schema = json.loads(resources.files("lubudget_xl.schemas").joinpath("check.schema.json").read_text("utf-8"))
    jsonschema.validate(report, schema)
    assert report["files"][0]["status"] == "blank"
    (issue,) = report["issues"]
    assert issue["code"] == "READ_NO_PROJECT" and issue["message"].startswith("空白表格")
    text = run_cli("check", str(blank))
    assert text.returncode == 2 and "FILE_NO_PROJECTS" not in text.stdout.decode()


def test_a_blank_form_beside_a_filled_one_does_not_stop_the_check(tmp_path):
    blank = tmp_path / "空白.xlsx"
    build_template(load_catalog("2022")).save(blank)
    from lubudget_xl.template import fill_workbook

    filled = fill_workbook(department_projects("甲局", 1, 2022, random.Random(0)), load_catalog("2022"), tmp_path / "甲局.xlsx")
    out = run_cli("check", str(blank), str(filled), "--format", "json")
    report = json.loads(out.stdout)
    assert report["files"][0]["status"] == "blank" and report["files"][1]["status"] in ("clean", "findings")
    assert out.returncode == (1 if any(i["severity"] == "error" for i in report["issues"]) else 0)


def test_another_years_file_is_an_error_in_its_departments_list():
    def result(path, department, year):
        projects = department_projects(department, 2, year, random.Random(0), path)
        outcome = FileOutcome(path=path, sha256=path, year=year, template_version=f"{year}.1", department=department,
                              projects=2, rows=sum(len(p.indicators) for p in projects))  # fmt: skip
        return file_result(outcome, projects, [])

    c = resolve([result("a.xlsx", "甲局", 2022), result("b.xlsx", "乙局", 2022), result("old.xlsx", "丙局", 2021)])
    (issue,) = [i for i in c.iter_issues() if i["code"] == "BATCH_OTHER_YEAR"]
    assert issue["severity"] == "error" and issue["department"] == "丙局"
    assert "2022 年的模板" in issue["message"]
    assert c.department_counts()[("丙局", "error")] == 1
