"""`lubudget check` end to end in a fresh interpreter: reports, JSON schema, exit codes, batches."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from conftest import SEED, run_cli
from test_rules_cases import apply_overrides, base_project, build_project

from lubudget_xl.records import write_records


@pytest.fixture(scope="module")
def schema():
    return json.loads(resources.files("lubudget_xl.schemas").joinpath("check.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """A clean records file and one with only a warning (满意度 below the floor is policy)."""
    folder = tmp_path_factory.mktemp("records")
    clean, _ = build_project(base_project(), "clean.json")
    warned, _ = build_project(
        apply_overrides(base_project(), {"set_indicators": {"6": ["满意度指标", "服务对象满意度指标", "参会单位满意度", "≥80%"]}}),
        "warned.json",
    )
    write_records([clean], folder / "clean.json")
    write_records([warned], folder / "warned.json")
    return folder


def test_seed_json_report_follows_the_schema(schema):
    out = run_cli("check", str(SEED), "--format", "json")
    assert out.returncode == 1, out.stderr.decode()
    report = json.loads(out.stdout)
    jsonschema.validate(report, schema)
    assert report["files"] == [
        {"file": str(SEED), "status": "findings", "projects": 10, "catalog": "anhui-88-2021.1", "annotated": None}
    ]
    codes = {i["code"] for i in report["issues"]}
    assert {"VALUE_PLACEHOLDER", "COST_EXCEEDS_FUNDS", "YEAR_OUTSIDE_BUDGET", "TEXT_DOUBLED"} <= codes
    assert all(i["location"]["file"] == str(SEED) and i["location"]["line"] for i in report["issues"])


def test_text_report_groups_by_file_and_project_with_counts(tmp_path):
    out = run_cli("check", str(SEED), "--annotate", str(tmp_path / "copies"))
    assert "不是 .xlsx/.xlsm 工作簿,不生成批注副本" in out.stderr.decode("utf-8")
    assert not (tmp_path / "copies").exists()
    text = out.stdout.decode("utf-8")
    assert out.returncode == 1
    assert f"{SEED}:10 个项目" in text
    assert "项目「市长热线工作经费」" in text and "第20行 VALUE_PLACEHOLDER" in text
    assert text.rstrip().splitlines()[-1].startswith("合计:1 个文件,10 个项目,错误 ")


def test_clean_records_exit_zero_and_fail_on_decides(records, schema):
    clean = run_cli("check", str(records / "clean.json"), "--format", "json")
    assert clean.returncode == 0, clean.stdout.decode()
    report = json.loads(clean.stdout)
    jsonschema.validate(report, schema)
    assert report["files"][0]["status"] == "clean" and report["issues"] == []
    warned = str(records / "warned.json")
    assert run_cli("check", warned).returncode == 0  # a warning is below the default --fail-on error
    out = run_cli("check", warned, "--fail-on", "warning", "--format", "json")
    assert out.returncode == 1
    assert [(i["code"], i["severity"]) for i in json.loads(out.stdout)["issues"]] == [("SATISFACTION_FLOOR", "warning")]


def test_batch_goes_on_past_an_unreadable_file(records, tmp_path, schema):
    broken = tmp_path / "坏文件.json"
    broken.write_text("{not json", encoding="utf-8")
    missing = tmp_path / "没有这个文件.xlsx"
    out = run_cli("check", str(broken), str(records / "clean.json"), str(missing), "--format", "json")
    assert out.returncode == 1  # something was checked; the unreadable files are error findings
    report = json.loads(out.stdout)
    jsonschema.validate(report, schema)
    assert [f["status"] for f in report["files"]] == ["unreadable", "clean", "unreadable"]
    unreadable = [i for i in report["issues"] if i["code"] == "FILE_UNREADABLE"]
    assert [i["location"]["file"] for i in unreadable] == [str(broken), str(missing)]
    assert all("Traceback" not in i["message"] for i in unreadable)
    assert "已读取 3/3 个文件" in out.stderr.decode("utf-8")


def test_nothing_checkable_exits_two_with_a_chinese_report(tmp_path):
    missing = tmp_path / "无.txt"
    out = run_cli("check", str(missing))
    assert out.returncode == 2
    text = out.stdout.decode("utf-8")
    assert "FILE_UNREADABLE" in text and "文件不存在" in text
    assert b"Traceback" not in out.stderr


def test_a_folder_is_checked_file_by_file_without_lock_files_or_its_own_copies(records, tmp_path, schema):
    import shutil

    inbox = tmp_path / "收件箱"
    (inbox / "二级").mkdir(parents=True)
    shutil.copy(records / "clean.json", inbox / "clean.json")
    shutil.copy(SEED, inbox / "二级" / "六安.txt")
    (inbox / "~$锁定.xlsx").write_bytes(b"lock")
    (inbox / "批注").mkdir()
    (inbox / "批注" / "旧副本_校验.json").write_text("{}", encoding="utf-8")  # inside the --annotate folder
    out = run_cli("check", str(inbox), "--format", "json", "--annotate", str(inbox / "批注"))
    report = json.loads(out.stdout)
    jsonschema.validate(report, schema)
    assert [f["file"] for f in report["files"]] == [str(inbox / "clean.json"), str(inbox / "二级" / "六安.txt")]
    assert out.returncode == 1 and "Excel 临时锁定文件" in out.stderr.decode("utf-8")
    empty = tmp_path / "空"
    empty.mkdir()
    nothing = run_cli("check", str(empty))
    assert nothing.returncode == 2 and "没有可校验的文件" in nothing.stderr.decode("utf-8")


def test_demo_check_step_shows_whole_messages_or_marks_the_cut(tmp_path, capsys):
    """The demo's examples once stopped mid-word ("没有单", "本表是2021年的目") with no sign of a cut."""
    from lubudget_xl.checking import check_file
    from lubudget_xl.cli.demo_steps_check import shorten, step_check

    step_check({"out": tmp_path, "sample": SEED})
    examples = [line for line in capsys.readouterr().err.splitlines() if "×" in line and " — " in line]
    assert examples
    messages = {" ".join(i.message.split()) for i in check_file(SEED).issues}
    for line in examples:
        shown = line.split(" — ", 1)[1]
        assert shown in messages or (shown.endswith("…") and any(m.startswith(shown[:-1]) for m in messages)), line
    long = "本表是2021年的目标表,但指标值写的是2020年的数据,应改为本年度的目标值;" * 3
    cut = shorten(long)
    assert cut.endswith("…") and len(cut) <= 80 and long.startswith(cut[:-1]) and long[len(cut) - 1] in "。;;,,"  # cut at a clause break
