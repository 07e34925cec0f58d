"""Issue 13, inputs that used to end a run or vanish from it: links that loop, linked and
unreadable sub-folders, file names in GBK, and a full disk when writing."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import run_cli
from reader_forms import PROJECT, Shape, write_form


def _form(path: Path, name: str = PROJECT["name"]) -> Path:
    wb = openpyxl.Workbook()
    write_form(wb.active, {**PROJECT, "name": name}, Shape())
    wb.save(path)
    return path


def _listing(master: Path) -> dict[str, tuple]:
    rows = openpyxl.load_workbook(master)["文件清单"].iter_rows(min_row=2, values_only=True)
    return {r[0]: r[1:3] for r in rows}


def test_links_that_loop_and_linked_folders(tmp_path):
    inbox = tmp_path / "部门报送"
    inbox.mkdir()
    _form(inbox / "甲.xlsx")
    os.symlink(inbox / "环乙.xlsx", inbox / "环甲.xlsx")  # two links pointing at each other
    os.symlink(inbox / "环甲.xlsx", inbox / "环乙.xlsx")
    outside = tmp_path / "别处"
    outside.mkdir()
    _form(outside / "丙.xlsx", "另一个项目")
    os.symlink(outside, inbox / "链接文件夹")  # a linked sub-folder: read, not silently left out
    os.symlink(inbox, inbox / "链接文件夹" / "回到上级")  # and a link back up: a loop of folders
    master = tmp_path / "汇总表.xlsx"
    done = run_cli("consolidate", str(inbox), "-o", str(master), "--quiet")
    assert done.returncode in (0, 1), done.stderr.decode()
    listing = _listing(master)
    assert listing[str(inbox / "甲.xlsx")][0] == "已读取"
    assert listing[str(inbox / "链接文件夹" / "丙.xlsx")][0] == "已读取"
    for name in ("环甲.xlsx", "环乙.xlsx"):
        assert listing[str(inbox / name)] == ("已跳过", "快捷方式(符号链接)互相指向,形成循环,无法读取")
    assert listing[str(inbox / "链接文件夹" / "回到上级")][0] == "已跳过"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder; needs permissions")
def test_unreadable_sub_folder_is_listed(tmp_path):
    inbox = tmp_path / "部门报送"
    (inbox / "锁住").mkdir(parents=True)
    _form(inbox / "甲.xlsx")
    _form(inbox / "锁住" / "乙.xlsx")
    (inbox / "锁住").chmod(0)
    try:
        master = tmp_path / "汇总表.xlsx"
        run_cli("consolidate", str(inbox), "-o", str(master), "--quiet")
        assert _listing(master)[str(inbox / "锁住")] == ("已跳过", "无法打开文件夹(没有权限),其中的文件未读取")
    finally:
        (inbox / "锁住").chmod(0o755)


def test_file_name_in_gbk(tmp_path):
    """A zip made on Chinese Windows unpacks to GBK bytes: the run goes on, the row shows the name
    decoded as GBK, and check's JSON is valid UTF-8."""
    inbox = tmp_path / "部门报送"
    inbox.mkdir()
    _form(inbox / "甲.xlsx")
    gbk = os.path.join(os.fsencode(inbox), "乙单位.xlsx".encode("gbk"))
    with open(gbk, "wb") as out:
        out.write((inbox / "甲.xlsx").read_bytes())
    master = tmp_path / "汇总表.xlsx"
    done = run_cli("consolidate", str(inbox), "-o", str(master), "--quiet")
    assert done.returncode in (0, 1), done.stderr.decode()
    listing = _listing(master)
    assert listing[str(inbox / "乙单位.xlsx")][0] == "已跳过" and "GBK" in listing[str(inbox / "乙单位.xlsx")][1]
    done = run_cli("check", str(inbox), "--format", "json")
    report = json.loads(done.stdout.decode("utf-8"))  # strict: no undecodable bytes
    assert [Path(f["file"]).name for f in report["files"]] == ["甲.xlsx"]
    explicit = subprocess.run(
        [*_python(), "check", os.fsdecode(gbk), "--format", "json"], capture_output=True, env=_env()
    )
    report = json.loads(explicit.stdout.decode("utf-8"))
    assert explicit.returncode in (0, 1) and report["files"][0]["file"].endswith("乙单位.xlsx")


def _python() -> list[str]:
    import sys

    return [sys.executable, "-m", "lubudget_xl"]


def _env() -> dict[str, str]:
    from conftest import ROOT

    return dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")


@pytest.fixture
def tiny_disk(tmp_path):
    folder = tmp_path / "小磁盘"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_full_disk_is_reported_in_chinese_without_excel_advice(tmp_path, tiny_disk):
    inbox = tmp_path / "部门报送"
    inbox.mkdir()
    _form(inbox / "甲.xlsx")
    (tiny_disk / "占位").write_bytes(b"\0" * 40 * 1024)
    done = run_cli("consolidate", str(inbox), "-o", str(tiny_disk / "汇总表.xlsx"), "--quiet")
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2, stderr
    assert "磁盘空间不足" in stderr and "清理磁盘空间" in stderr
    assert "Excel" not in stderr and "No space" not in stderr and "Traceback" not in stderr
    assert [p.name for p in tiny_disk.iterdir()] == ["占位"]  # no temporary file left behind


def test_temporary_files_of_killed_runs_are_removed_by_the_next_write(tmp_path):
    """kill -9 during a write leaves `.<name>.<random>.tmp`; the next write of that output removes
    those older than an hour (a younger one may belong to a run still writing) and leaves others."""
    inbox = tmp_path / "部门报送"
    inbox.mkdir()
    _form(inbox / "甲.xlsx")
    out = tmp_path / "输出"
    out.mkdir()
    stale, fresh, other = out / ".汇总表.xlsx.k3j2h1.tmp", out / ".汇总表.xlsx.a1b2c3.tmp", out / ".其他.xlsx.zz.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"half a book")
    os.utime(stale, (1_600_000_000, 1_600_000_000))
    os.utime(other, (1_600_000_000, 1_600_000_000))
    done = run_cli("consolidate", str(inbox), "-o", str(out / "汇总表.xlsx"), "--quiet")
    assert done.returncode in (0, 1), done.stderr.decode()
    assert not stale.exists() and fresh.exists() and other.exists()


def test_json_records_are_streamed_as_the_same_document(tmp_path):
    """consolidate --json writes project by project (write_records_stream): the file is byte for
    byte what writing the whole list at once gives, and reads back."""
    from lubudget_xl.records import dumps, read_records, write_records_stream

    inbox = tmp_path / "部门报送"
    inbox.mkdir()
    _form(inbox / "甲.xlsx")
    _form(inbox / "乙.xlsx", "另一个项目")
    records = tmp_path / "records.json"
    done = run_cli("consolidate", str(inbox), "-o", str(tmp_path / "汇总表.xlsx"), "--json", str(records), "--quiet")
    assert done.returncode in (0, 1), done.stderr.decode()
    projects = read_records(records)
    assert sorted(p.name for p in projects) == sorted([PROJECT["name"], "另一个项目"])
    assert records.read_text(encoding="utf-8") == dumps(projects) + "\n"
    write_records_stream(iter([]), tmp_path / "空.json")
    assert (tmp_path / "空.json").read_text(encoding="utf-8") == dumps([]) + "\n"


def test_a_failing_later_output_says_what_was_written(tmp_path):
    """The master book is in place when the return lists cannot be written: the message lists what
    was written and what was not, instead of a bare error."""
    inbox = tmp_path / "部门报送"
    inbox.mkdir()
    _form(inbox / "甲.xlsx")
    (tmp_path / "退回").write_text("不是文件夹", encoding="utf-8")
    master, records = tmp_path / "汇总表.xlsx", tmp_path / "records.json"
    done = run_cli("consolidate", str(inbox), "-o", str(master), "--json", str(records),
                   "--feedback", str(tmp_path / "退回"), "--quiet")
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2, stderr
    assert f"已写出:汇总表 {master}、记录 JSON {records};未写出:退回修改清单" in stderr
    assert master.exists() and records.exists()
