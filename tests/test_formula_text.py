"""Issue 13: department text that starts with =, +, - or @ is written as text by every command,
never as a formula: fill, check --annotate, rollover, consolidate (master book and return lists).
Each output's XML is inspected: the text is in a string cell and no <f> element holds it."""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path

from conftest import SEED, run_cli

HOSTILE = {
    "name": '=HYPERLINK("http://example.invalid","点此")',
    "unit": "+1+2单位",
    "goal": "-3 完成目标",
    "level3": "@SUM(1,2)",
    "value": "=1+1",
}


def _hostile_records(tmp_path: Path) -> Path:
    source = tmp_path / "records.json"
    done = run_cli("import", str(SEED), "-o", str(source))
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(source.read_text(encoding="utf-8"))
    project = data["projects"][0]
    project["name"], project["unit"], project["goal"] = HOSTILE["name"], HOSTILE["unit"], HOSTILE["goal"]
    project["indicators"][0]["level3"], project["indicators"][0]["value"] = HOSTILE["level3"], HOSTILE["value"]
    project["indicators"][0]["parsed"] = {"raw": HOSTILE["value"], "kind": "qualitative", "sign": None,
                                          "number": None, "unit": "", "parts": [], "years": []}
    data["projects"] = [project]
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return source


def _cells(path: Path) -> tuple[list[str], list[str]]:
    """(texts of string cells and shared strings, texts of formulas) in every sheet of `path`."""
    strings, formulas = [], []
    with zipfile.ZipFile(path) as zf:
        shared = []
        if "xl/sharedStrings.xml" in zf.namelist():
            sst = zf.read("xl/sharedStrings.xml").decode("utf-8")
            shared = ["".join(re.findall(r"<t[^>]*>([^<]*)</t>", si)) for si in re.findall(r"<si>(.*?)</si>", sst, re.S)]
        strings += shared
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = zf.read(name).decode("utf-8")
                strings += re.findall(r"<is><t[^>]*>([^<]*)</t></is>", xml)
                formulas += re.findall(r"<f[^>]*>([^<]*)</f>", xml)
    # XML escapes and character references (openpyxl over lxml writes non-ASCII text as &#N;) undone
    return [html.unescape(t) for t in strings], [html.unescape(f) for f in formulas]


def _assert_text_only(path: Path, expected: list[str]) -> None:
    strings, formulas = _cells(path)
    for text in expected:
        assert any(text in s for s in strings), f"{path.name}: {text!r} not a string cell"
        assert not any(text.lstrip("=+-@") in f for f in formulas), \
            f"{path.name}: {text!r} became a formula"


def test_formula_like_text_stays_text_in_every_output(tmp_path):
    source = _hostile_records(tmp_path)
    filled = tmp_path / "部门报送" / "甲.xlsx"
    filled.parent.mkdir()
    done = run_cli("fill", str(source), "-o", str(filled))
    assert done.returncode == 0, done.stderr.decode()
    _assert_text_only(filled, list(HOSTILE.values()))

    annotated = tmp_path / "批注"
    done = run_cli("check", str(filled), "--annotate", str(annotated))
    assert done.returncode in (0, 1), done.stderr.decode()
    (copy,) = annotated.iterdir()
    _assert_text_only(copy, list(HOSTILE.values()))  # the form and the 校验结果 sheet's project column

    rolled = tmp_path / "结转.xlsx"
    done = run_cli("rollover", str(filled), "--to-year", "2022", "-o", str(rolled))
    assert done.returncode in (0, 1), done.stderr.decode()
    _assert_text_only(rolled, [HOSTILE["name"], HOSTILE["unit"], HOSTILE["level3"]])

    master, feedback = tmp_path / "汇总表.xlsx", tmp_path / "退回"
    done = run_cli("consolidate", str(filled.parent), "-o", str(master), "--feedback", str(feedback), "--quiet")
    assert done.returncode in (0, 1), done.stderr.decode()
    _assert_text_only(master, [HOSTILE["name"], HOSTILE["unit"], HOSTILE["level3"], HOSTILE["value"]])
    lists = list(feedback.iterdir())
    assert lists
    for path in lists:
        _assert_text_only(path, [HOSTILE["name"]])
