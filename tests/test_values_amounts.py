"""The one 万元 amount parser/formatter shared by the text importer and the workbook reader."""

import json
import math
from pathlib import Path

import pytest
from conftest import run_cli

from lubudget_xl.values import format_wan, parse_amount

SEED = "lubudget_xl/samples/liuan_2021_gov_office_targets.txt"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (156, 156.0),
        (72.3, 72.3),
        ("156.0", 156.0),
        (" 156 ", 156.0),
        ("156万", 156.0),
        ("156万元", 156.0),
        ("156 万元", 156.0),
        ("１５６．５", 156.5),
        ("1,234.5", 1234.5),
        ("１,２３４万元", 1234.0),
        ("50000元", 5.0),
        (":12", 12.0),
        ("-3", -3.0),
        ("nan", None),
        ("inf", None),
        ("-Infinity", None),
        (math.nan, None),
        (math.inf, None),
        ("壹佰", None),
        ("一百", None),
        ("1,23", None),
        ("", None),
        (None, None),
        (True, None),
        ("1e400", None),
    ],
)
def test_parse_amount(given, expected):
    assert parse_amount(given) == expected


@pytest.mark.parametrize(
    ("number", "text"),
    [(72.3, "72.3"), (156.0, "156"), (0.05, "0.05"), (12345.67, "12345.67"), (0.1 + 0.2, "0.3"), (-0.0, "0")],
)
def test_format_wan(number, text):
    assert format_wan(number) == text


def _seed_with(tmp_path, amount: str):
    lines = Path(SEED).read_text(encoding="utf-8").split("\n")
    assert "156.0" in lines[11]
    lines[11] = lines[11].replace("156.0", amount)
    path = tmp_path / "seed.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_import_nan_amount_is_a_warning_not_nan_json(tmp_path):
    out = tmp_path / "r.json"
    proc = run_cli("import", str(_seed_with(tmp_path, "nan")), "-o", str(out))
    assert "金额“nan”不是数字" in proc.stderr.decode("utf-8")
    text = out.read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text)


def test_import_wan_suffix_is_read(tmp_path):
    out = tmp_path / "r.json"
    run_cli("import", str(_seed_with(tmp_path, "156万")), "-o", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert 156.0 in [p["funds"]["total"] for p in doc["projects"]]


def test_records_refuse_nan():
    from lubudget_xl.errors import UserError
    from lubudget_xl.records import dumps
    from lubudget_xl.textimport import import_text

    projects = import_text(SEED, None).projects
    projects[0].funds.total = math.nan
    with pytest.raises(UserError, match="NaN"):
        dumps(projects)


def test_read_records_refuses_nan(tmp_path):
    from lubudget_xl.errors import UserError
    from lubudget_xl.records import dumps, read_records
    from lubudget_xl.textimport import import_text

    text = dumps(import_text(SEED, None).projects)
    path = tmp_path / "r.json"
    path.write_text(text.replace('"total": 156.0', '"total": NaN', 1), encoding="utf-8")
    assert "NaN" in path.read_text(encoding="utf-8")
    with pytest.raises(UserError, match="NaN"):
        read_records(path)
