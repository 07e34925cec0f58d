"""Fund figures in published text: 156万 is an amount, nan/inf are not, and no NaN reaches the JSON."""

from __future__ import annotations

import json
import math

import pytest
from conftest import SEED, run_cli

from lubudget_xl.errors import UserError
from lubudget_xl.model import Funds, ProjectTarget
from lubudget_xl.records import dumps
from lubudget_xl.textimport.labels import parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [("156.0", (156.0, True)), ("156万", (156.0, True)), ("72.3万元", (72.3, True)), ("1,200", (1200.0, True)),
     ("nan", (None, False)), ("inf", (None, False)), ("-Infinity", (None, False)), ("壹佰", (None, False))],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


def test_nan_in_a_fund_cell_is_a_warning_not_a_number(tmp_path):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert "156.0" in lines[11]
    lines[11] = lines[11].replace("156.0", "nan")
    lines[150] = lines[150].replace("55.0", "55万")
    src = tmp_path / "t.txt"
    src.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "r.json"
    done = run_cli("import", str(src), "-o", str(out))
    assert done.returncode == 1
    assert "第12行" in done.stderr.decode("utf-8") and "nan" in done.stderr.decode("utf-8")
    projects = json.loads(out.read_text(encoding="utf-8"))["projects"]  # strict JSON: no NaN token
    assert projects[0]["funds"]["total"] is None
    assert projects[5]["funds"]["total"] == 55.0


def test_records_never_carry_nan():
    project = ProjectTarget(year=2021, department="d", name="p", funds=Funds(total=math.nan))
    with pytest.raises(UserError, match="NaN"):
        dumps([project])


@pytest.mark.parametrize("cell", ["156", "１５６", "156万", "1,560.5", "50000元", "72.3万元", 156, 72.3])
def test_workbook_cells_and_published_text_read_amounts_alike(cell):
    from lubudget_xl.reader.cells import to_number

    text_amount, understood = parse_amount(str(cell))
    assert understood and to_number(cell) == text_amount


@pytest.mark.parametrize("cell", ["nan", "inf", "壹佰", True, math.inf])
def test_workbook_cells_that_are_not_amounts(cell):
    from lubudget_xl.reader.cells import to_number

    with pytest.raises(ValueError):
        to_number(cell)
