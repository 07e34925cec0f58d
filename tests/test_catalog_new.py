"""A new year is the maintainer's first step (issue 14, item 2): `lubudget catalog new`, what check,
consolidate and rollover say when a year has no catalogue, and rollover refusing another year's form."""

from __future__ import annotations

import json
import os
import random

import pytest
from conftest import SEED, run_cli

from lubudget_xl.catalog import load_catalog
from lubudget_xl.catalog.check import schema_problems, semantic_problems
from lubudget_xl.consolidate.samples import department_projects
from lubudget_xl.template import fill_workbook


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty maintainer catalogue folder for this test (and the CLIs it starts)."""
    path = tmp_path / "catalogs"
    monkeypatch.setenv("LUBUDGET_CATALOG_DIR", str(path))
    return path


def test_catalog_new_writes_next_year_validated_and_found_by_name(folder, tmp_path):
    proc = run_cli("catalog", "new", "--year", "2023")
    assert proc.returncode == 0, proc.stderr.decode()
    assert "lubudget template build --catalog 2023" in proc.stderr.decode()
    data = json.loads((folder / "2023.json").read_text(encoding="utf-8"))
    old = load_catalog("2022")
    assert (data["year"], data["revision"], data["supersedes"], data["id"]) == (2023, 1, "2022", "anhui-88")
    def shape(tree):  # the tree itself: names and aliases (the suggestions are the curated lists)
        return [(n["name"], n.get("aliases"), [(c["name"], c.get("aliases")) for c in n["children"]]) for n in tree]

    assert shape(data["tree"]) == shape(old.data["tree"]) and data["settings"] == old.data["settings"]
    assert data["title"].startswith("2023年") and "沿用2022年" in data["title"]
    assert [(m["from"], m["to"]) for m in data["migration"]] == [
        ({"level1": a, "level2": b}, {"level1": a, "level2": b}) for a, b in old.pairs()]  # fmt: skip
    assert schema_problems(data) == [] and semantic_problems(data, old.data["tree"]) == []
    assert run_cli("catalog", "validate", "2023").returncode == 0
    listed = json.loads(run_cli("catalog", "list", "--format", "json").stdout)
    assert {r["name"]: r["version"] for r in listed}["2023"] == "anhui-88-2023.1"
    diff = json.loads(run_cli("catalog", "diff", "2022", "2023", "--format", "json").stdout)
    assert "2023" in json.dumps(diff, ensure_ascii=False)
    template = tmp_path / "2023.xlsx"
    built = run_cli("template", "build", "--catalog", "2023", "-o", str(template))
    assert built.returncode == 0, built.stderr.decode()
    blank = json.loads(run_cli("check", str(template), "--format", "json").stdout)
    assert blank["files"] == [{"file": str(template), "status": "blank", "projects": 0,
                               "catalog": "anhui-88-2023.1", "annotated": None}]  # fmt: skip
    from openpyxl import load_workbook

    props = {p.name: p.value for p in load_workbook(template).custom_doc_props.props}
    assert props["LubudgetYear"] in (2023, "2023") and props["LubudgetCatalogVersion"] == "anhui-88-2023.1"
    again = run_cli("catalog", "new", "--year", "2023")  # never overwrites
    assert again.returncode == 2 and "已有 2023 年的指标目录" in again.stderr.decode()


def test_catalog_new_from_the_101_tree_to_a_file(folder, tmp_path):
    target = tmp_path / "2023-101.json"
    proc = run_cli("catalog", "new", "--year", "2023", "--from", "2022-101", "-o", str(target))
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["supersedes"] == "2022-101" and data["form"]["sign_column"] is True
    assert not folder.exists()  # -o writes only where it was told
    refused = run_cli("catalog", "new", "--year", "2022", "--from", "2022", "-o", str(tmp_path / "x.json"))
    assert refused.returncode == 2 and "应晚于" in refused.stderr.decode()


def _workbook_of_2023(tmp_path, department: str) -> str:
    """A filled 2023 workbook made with a 2023 catalogue that the checking side does not know."""
    draft = tmp_path / "draft" / "2023.json"
    if not draft.exists():
        assert run_cli("catalog", "new", "--year", "2023", "-o", str(draft)).returncode == 0
    projects = department_projects(department, 2, 2023, random.Random(5))
    return str(fill_workbook(projects, load_catalog(draft), tmp_path / f"{department}.xlsx"))


def test_a_year_without_catalogue_is_said_once_to_the_reviewer(folder, tmp_path):
    books = [_workbook_of_2023(tmp_path, "甲局"), _workbook_of_2023(tmp_path, "乙局")]
    out = run_cli("check", *books, "--format", "json")
    report = json.loads(out.stdout)
    (batch,) = report["batch"]
    assert batch["code"] == "CATALOG_YEAR_MISSING" and batch["severity"] == "error"
    assert batch["fix"] == "lubudget catalog new --year 2023" and batch["params"]["files"] == books
    assert not [i for i in report["issues"] if i["code"] in ("READ_TEMPLATE_YEAR", "READ_CATALOG_VERSION")]
    text = run_cli("check", *books).stdout.decode()
    assert text.count("CATALOG_YEAR_MISSING") == 1 and "lubudget catalog new --year 2023" in text
    master = tmp_path / "汇总.xlsx"
    cons = run_cli("consolidate", *books, "-o", str(master), "--json", str(tmp_path / "c.json"), "--jobs", "2")
    import pandas as pd

    issues = pd.read_excel(master, sheet_name="校验问题", engine="openpyxl")
    missing = issues[issues["问题代码"] == "CATALOG_YEAR_MISSING"]
    assert len(missing) == 1 and missing["部门"].fillna("").tolist() == [""]
    assert not issues["问题代码"].isin(["READ_TEMPLATE_YEAR"]).any()
    assert cons.returncode == 1
    # the fix: make the year's catalogue, and the finding is gone
    assert run_cli("catalog", "new", "--year", "2023").returncode == 0
    after = json.loads(run_cli("check", *books, "--format", "json").stdout)
    assert "batch" not in after and {f["catalog"] for f in after["files"]} == {"anhui-88-2023.1"}
    assert not [i for i in after["issues"] if i["code"].startswith(("READ_TEMPLATE", "READ_CATALOG"))]


def test_rollover_refuses_a_catalogue_of_another_year(folder, tmp_path):
    out = tmp_path / "r.xlsx"
    proc = run_cli("rollover", str(SEED), "--to-year", "2023", "--catalog", "2022", "-o", str(out))
    assert proc.returncode == 2 and not out.exists()
    err = proc.stderr.decode()
    assert "2022 年的,与 --to-year 2023 不一致" in err and "lubudget catalog new --year 2023 --from 2022" in err
    none = run_cli("rollover", str(SEED), "--to-year", "2023", "-o", str(out))
    assert none.returncode == 2 and "lubudget catalog new --year 2023" in none.stderr.decode()
    assert run_cli("catalog", "new", "--year", "2023").returncode == 0
    ok = run_cli("rollover", str(SEED), "--to-year", "2023", "-o", str(out))
    assert ok.returncode == 0, ok.stderr.decode()
    checked = json.loads(run_cli("check", str(out), "--format", "json").stdout)
    assert {f["catalog"] for f in checked["files"]} == {"anhui-88-2023.1"}
    assert not [i for i in checked["issues"] if i["code"] == "READ_TEMPLATE_YEAR"]
    assert os.environ["LUBUDGET_CATALOG_DIR"] == str(folder)
