"""What a spreadsheet program makes of the template: LibreOffice round trip, dependent dropdowns judged
on typed values, check formulas computed, and the printed form (A4, one project per page).

One LibreOffice session (UNO, system Python) does everything for the module.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest
from conftest import SEED
from openpyxl.utils import get_column_letter

from lubudget_xl.catalog import load_catalog
from lubudget_xl.loading import load_any
from lubudget_xl.template import fill_workbook, layout_for, name_problem, read_identity, write_template
from lubudget_xl.template.checks import CHECK_TITLES
from lubudget_xl.template.layout import EXTRA_ROWS

SYSTEM_PYTHON = "/usr/bin/python3"
SESSION = Path(__file__).with_name("lo_uno_session.py")


def _has_uno() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed"),
]


@pytest.fixture(scope="module")
def lo(tmp_path_factory):
    if not _has_uno():
        pytest.skip("system Python has no uno module (python3-uno)")
    d = tmp_path_factory.mktemp("lo")
    catalog = load_catalog("2022")
    template = write_template(catalog, d / "template.xlsx")
    projects = load_any(SEED).projects
    filled = fill_workbook(projects, load_catalog("2021"), d / "seed.xlsx")
    layout = layout_for(catalog)
    r = layout.grid_first
    check_col = get_column_letter(layout.check_value_col)
    checks = [f"{check_col}{layout.department_row + i}" for i in range(1, len(CHECK_TITLES) + 1)]
    typed = {
        "B3": "六安市人民政府办公室",
        layout.value_cell("name"): "测试项目",
        layout.value_cell("funds.total"): 100,
        layout.value_cell("funds.fiscal"): 60,
        layout.value_cell("funds.other"): 30,
        f"B{r}": "产出指标", f"C{r}": "数量指标", f"D{r}": "受理留言件次", f"E{r}": "≥100件次",
        f"B{r + 1}": "产出指标", f"C{r + 1}": "服务对象满意度指标",  # level two of another level one
        f"B{r + 2}": "满意度指标", f"C{r + 2}": "服务对象满意度指标", f"D{r + 2}": "自拟三级指标", f"E{r + 2}": "≥90%",
        f"B{r + 3}": "效益指标", f"C{r + 3}": "社会效益指标",
        f"B{r + 4}": "不是一级指标",
        # the last row the validations cover (rows inserted in the grid keep them)
        f"B{layout.grid_last + EXTRA_ROWS}": "效益指标", f"C{layout.grid_last + EXTRA_ROWS}": "数量指标",
    }
    spec = {
        "profile": f"/tmp/lo-lubudget-{uuid.uuid4().hex}",
        "pipe": f"lubudget_{uuid.uuid4().hex}",
        "roundtrip": [str(template), str(d / "roundtrip.xlsx")],
        "entries": [
            {"file": str(template), "sheet": "项目1", "cells": typed, "read": ["A1", *checks]},
            {"file": str(filled), "sheet": openpyxl.load_workbook(filled, read_only=True).sheetnames[0], "read": checks},
            # a copied sheet with rows inserted inside the grid: rows r+2 .. r+4 are new
            {"file": str(template), "sheet": "项目1", "copy_to": "项目2", "insert_rows": [r + 2, 3], "read": checks,
             "cells": {f"B{r + 3}": "产出指标", f"C{r + 3}": "质量指标", f"B{r + 4}": "产出指标", f"C{r + 4}": "满意度指标"}},
        ],
        "pdf": [str(filled), str(d / "seed.pdf")],
    }
    (d / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    try:
        done = subprocess.run([SYSTEM_PYTHON, str(SESSION), str(d / "spec.json")], capture_output=True, timeout=300)
    finally:
        shutil.rmtree(spec["profile"], ignore_errors=True)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    report = json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])
    return {"dir": d, "layout": layout, "checks": checks, "typed": typed, "report": report, "projects": projects}


def test_dependent_dropdowns_reject_a_level_two_of_another_level_one(lo):
    r, last = lo["layout"].grid_first, lo["layout"].grid_last + EXTRA_ROWS
    entered = lo["report"]["entries"][0]
    # Circled as invalid: the wrong pair, the unknown level one, the wrong pair on the last covered
    # row, and the free-text level three (a suggestion list only: its error alert is off).
    assert entered["invalid"] == sorted([f"C{r + 1}", f"B{r + 4}", f"C{last}", f"D{r + 2}"])
    assert entered["validation"][f"D{r + 2}"]["show_error"] is False
    assert entered["validation"][f"C{r + 1}"]["show_error"] is True
    assert "INDIRECT" in entered["validation"][f"C{r}"]["formula"]


def test_check_area_computes_in_chinese(lo):
    read = lo["report"]["entries"][0]["read"]
    funds, required, level1, level2, level3, values, total = (read[c] for c in lo["checks"])
    assert read["A1"] == "六安市人民政府办公室2022年项目支出预算绩效目标表"
    assert funds == "✘ 年度资金总额≠财政拨款+其他资金"  # 100 ≠ 60 + 30
    assert required == "✘ 有必填项未填写(黄色单元格)"
    assert level1 == "✔ 一级指标齐全"
    assert level2.startswith("✘ 缺少:") and "质量指标" in level2 and "数量指标" not in level2
    assert level3 == "✘ 有3行缺三级指标"
    assert values == "✔ 指标值已填写"
    assert total == "✘ 有4项未通过"


def test_a_filled_seed_table_passes_every_check(lo):
    read = lo["report"]["entries"][1]["read"]
    assert [read[c] for c in lo["checks"]][-1] == "✔ 全部通过", read


def test_copied_sheet_and_inserted_rows_keep_dropdowns_and_checks(lo):
    r = lo["layout"].grid_first
    copied = lo["report"]["entries"][2]
    assert copied["invalid"] == [f"C{r + 4}"]  # the wrong pair in an inserted row of the copy
    assert "INDIRECT" in copied["validation"][f"C{r + 3}"]["formula"]
    level2 = copied["read"][lo["checks"][3]]
    assert level2.startswith("✘ 缺少:") and "质量指标" not in level2 and "数量指标" in level2


def test_round_trip_keeps_validations_names_protection_and_identity(lo):
    wb = openpyxl.load_workbook(lo["dir"] / "roundtrip.xlsx")
    ws = wb["项目1"]
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "L1_list" in formulas and any(f and "INDIRECT" in f and "_L2_" in f for f in formulas)
    assert any(f and "_L3_" in f for f in formulas)
    names = set(wb.defined_names)
    assert {"L1_list", "L2_keys", "_L2_1", "_L3_1", "Attr_list"} <= names
    assert all(name_problem(n) is None for n in names if not n.startswith("_xlnm"))
    assert ws.protection.sheet and ws.protection.insertRows is False and ws.protection.deleteRows is False
    assert ws[lo["layout"].value_cell("name")].protection.locked is False and ws["A4"].protection.locked
    info = read_identity(wb)
    assert (info.template_id, info.year, info.template_version) == ("lubudget-pt", 2022, "2022.1")
    assert wb["模板信息"].sheet_state == "hidden" and wb["下拉列表"].sheet_state == "hidden"


def _pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_prints_on_a4_one_project_per_page(lo):
    pdf = lo["dir"] / "seed.pdf"
    pages = _pdf_pages(pdf)
    assert len(pages) == len(lo["projects"]) + 1  # + the 填报说明 page
    assert all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in pages)  # A4 portrait
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    for page, project in zip(text, lo["projects"], strict=False):
        assert page.count("项目名称") == 1
        assert project.name[:10] in page.replace("\n", "")
