"""`lubudget import` through the real command line: exit codes, Chinese messages, no tracebacks."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, SEED, run_cli

from lubudget_xl.cli.demo_steps_import import step_import
from lubudget_xl.records import read_records

TEXT = FIXTURES / "text"


def err(out) -> str:
    text = out.stderr.decode("utf-8")
    assert "Traceback" not in text
    return text


def test_seed_imports_cleanly(tmp_path):
    target = tmp_path / "out" / "records.json"
    out = run_cli("import", str(SEED), "-o", str(target))
    message = err(out)
    assert out.returncode == 0, message
    assert "10 个项目,113 行指标,跳过 0 行" in message and "已写入" in message
    projects = read_records(target)
    assert len(projects) == 10 and sum(len(p.indicators) for p in projects) == 113
    assert list(tmp_path.joinpath("out").iterdir()) == [target]  # no temporary file left behind


@pytest.mark.parametrize("name", ["gbk_two_projects.txt", "bom_two_projects.txt"])
def test_gbk_and_bom_files(tmp_path, name):
    target = tmp_path / "r.json"
    out = run_cli("import", str(TEXT / name), "-o", str(target))
    assert out.returncode == 0, err(out)
    assert "2 个项目,15 行指标,跳过 0 行" in err(out)
    assert [p.name for p in read_records(target)][0] == "市长热线工作经费"


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda d: d / "junk.txt", "不是文本文件"),
        (lambda d: d / "empty.txt", "文件为空"),
        (lambda d: d, "不是文本文件"),  # a folder: its files are imported, and here none is usable
        (lambda d: d / "missing.txt", "文件不存在"),
    ],
    ids=["binary", "empty", "folder_of_unusable_files", "missing"],
)
def test_unusable_sources_exit_2_in_chinese(tmp_path, make, words):
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (tmp_path / "empty.txt").write_bytes(b"")
    source = make(tmp_path)
    target = tmp_path / "r.json"
    out = run_cli("import", str(source), "-o", str(target))
    message = err(out)
    assert out.returncode == 2
    assert words in message and str(source) in message
    assert not target.exists()


def test_batch_goes_on_past_a_broken_file(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00" * 100)
    target = tmp_path / "r.json"
    out = run_cli("import", str(junk), str(SEED), str(TEXT / "pipe_emergency.txt"), "-o", str(target))
    message = err(out)
    assert out.returncode == 2
    assert "[1/3]" in message and "无法导入" in message and "[2/3]" in message and "[3/3]" in message
    assert len(read_records(target)) == 11  # the usable files were still imported


def test_skipped_data_lines_exit_1_but_page_numbers_do_not(tmp_path):
    out = run_cli("import", str(TEXT / "wrapped_values.txt"), "-o", str(tmp_path / "a.json"))
    assert out.returncode == 1
    assert "跳过 2 行" in err(out) and "第25行未导入" in err(out)
    out = run_cli("import", str(TEXT / "pipe_emergency.txt"), "-o", str(tmp_path / "b.json"))
    assert out.returncode == 0, err(out)
    out = run_cli("import", str(TEXT / "stamp_unknown_names.txt"), "-o", str(tmp_path / "c.json"))
    assert out.returncode == 1  # reading warnings: an amount in words, a level name not in the catalogue
    assert "跳过 0 行,2 条警告" in err(out) and "警告:第8行" in err(out)


def test_catalog_option_and_stdout(tmp_path):
    out = run_cli("import", str(TEXT / "cost_level_one_101.txt"), "-o", "-",
                  "--catalog", str(FIXTURES / "catalog_101_test.json"))
    assert out.returncode == 0, err(out)
    doc = json.loads(out.stdout.decode("utf-8"))
    assert {i["level1"] for i in doc["projects"][0]["indicators"]} == {"产出指标", "成本指标", "效益指标", "满意度指标"}
    bad = run_cli("import", str(SEED), "-o", str(tmp_path / "r.json"), "--catalog", "1999")
    assert bad.returncode == 2 and "找不到指标目录" in err(bad)
    usage = run_cli("import", str(SEED))
    assert usage.returncode == 2 and "缺少必需的参数" in err(usage)
    folder = run_cli("import", str(SEED), "-o", str(tmp_path))
    assert folder.returncode == 2 and "是文件夹" in err(folder)
    (tmp_path / "file").write_text("x")
    unwritable = run_cli("import", str(SEED), "-o", str(tmp_path / "file" / "r.json"))
    assert unwritable.returncode == 2 and "无法写入" in err(unwritable) and "不是文件夹" in err(unwritable)


def test_demo_step_writes_records_and_context(tmp_path, capsys):
    context = {"out": tmp_path, "sample": SEED}
    step_import(context)
    assert context["records_path"] == tmp_path / "records.json"
    assert len(context["records"]) == 10
    assert [p.to_dict() for p in read_records(tmp_path / "records.json")] == [p.to_dict() for p in context["records"]]
    said = capsys.readouterr().err
    assert "10 个项目,113 行指标" in said and "710.4 万元" in said
    assert "产出指标 80 行" in said and "满意度指标 10 行" in said and "第20行" in said


def test_text_to_workbook_and_back_through_import(tmp_path):
    """The seed imported from text, filled into the official form, imported again from the workbook."""
    workbook = tmp_path / "已填.xlsx"
    filled = run_cli("fill", str(SEED), "-o", str(workbook), "--quiet")
    assert filled.returncode == 0, err(filled)
    out = run_cli("import", str(SEED), str(workbook), "-o", str(tmp_path / "r.json"))
    assert out.returncode == 0, err(out)
    assert f"[2/2] {workbook}:10 个项目,113 行指标" in err(out)
    projects = read_records(tmp_path / "r.json")
    from_text, from_book = projects[:10], projects[10:]

    def key(p):
        rows = [(i.level1, i.level2, i.level3, i.value) for i in p.indicators]
        return (p.name, p.unit, p.attribute, p.funds.total, p.funds.fiscal, p.funds.other, p.goal, rows)

    assert [key(p) for p in from_book] == [key(p) for p in from_text]
    assert all(p.locations["name"].sheet for p in from_book)  # workbook fields point at cells
    assert all(p.locations["name"].line for p in from_text)  # text fields point at lines
