"""Issue 13, isolation: a file that aborts, hangs, exhausts memory or trips a bug of ours ends
only its worker; the batch goes on, the file gets a Chinese reason, `check` of one such file
exits 2 and `consolidate` lists it as 读取失败."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, ROOT, run_cli
from reader_forms import PROJECT, Shape, write_form

from lubudget_xl.isolation import Failure, Task, run_isolated

TARGETS = Task("isolation_targets", "read")


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_each_way_a_worker_can_end_costs_one_item(start_method):
    items = [1, "abort", 2, "hang", "hog", "bug", "exit", 3]
    internal: list[str] = []
    answers = dict(run_isolated(TARGETS, items, jobs=2, seconds=5, memory=2 * 2**30,
                                start_method=start_method, on_internal=internal.append))
    assert [answers[i] for i in (0, 2, 7)] == [2, 4, 6]
    failures = {items[i]: a for i, a in answers.items() if isinstance(a, Failure)}
    assert set(failures) == {"abort", "hang", "hog", "bug", "exit"}
    assert "异常终止(程序中止)" in failures["abort"].reason
    assert "读取超时(超过 5 秒" in failures["hang"].reason
    assert "内存超出限制" in failures["hog"].reason
    assert failures["bug"].internal and "内部出错" in failures["bug"].reason
    assert "退出码 7" in failures["exit"].reason
    assert len(internal) == 1 and "KeyError: 'a bug of ours'" in internal[0]  # the log gets the traceback


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("isolation") / "部门报送"
    folder.mkdir()
    wb = openpyxl.Workbook()
    write_form(wb.active, PROJECT, Shape())
    wb.save(folder / "甲单位.xlsx")
    shutil.copy(FIXTURES / "issue13_xls_abort.xls", folder / "乙单位.xls")  # calamine aborts the process
    shutil.copy(FIXTURES / "issue13_xls_panic.xls", folder / "丙单位.xls")  # calamine panics
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_consolidate_survives_a_file_that_aborts_the_parser(inbox, tmp_path, jobs):
    master = tmp_path / "汇总表.xlsx"
    done = run_cli("consolidate", str(inbox), "-o", str(master), "--jobs", jobs, "--quiet")
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1, stderr  # findings (three unreadable files are errors), not a crash
    assert "Traceback" not in stderr and "panicked" not in stderr and "PicklingError" not in stderr
    rows = {Path(r[0]).name: r[1:3] for r in openpyxl.load_workbook(master)["文件清单"].iter_rows(min_row=2, values_only=True)}
    assert rows["甲单位.xlsx"][0] == "已读取"
    assert rows["乙单位.xls"] == ("读取失败", "读取时解析程序异常终止(程序中止),文件可能已损坏或是恶意构造的,请在 Excel 中另存后重新提交")
    assert rows["丙单位.xls"][0] == "读取失败" and "已损坏" in rows["丙单位.xls"][1]


def test_check_of_one_file_that_aborts_the_parser(inbox):
    done = run_cli("check", str(inbox / "乙单位.xls"))
    output = done.stdout.decode("utf-8") + done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, output
    assert "读取时解析程序异常终止" in output and "Traceback" not in output and "panicked" not in output


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the workers")
def test_workers_end_when_the_run_is_killed(tmp_path):
    """kill -9 of the parent while workers read: no worker is left behind, blocked on its pipe."""
    from lubudget_xl.consolidate.samples import write_workbook_batch

    inbox = tmp_path / "inbox"
    write_workbook_batch(inbox, files=40, projects_per_file=10, seed=5, bases=2)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "lubudget_xl", "consolidate", str(inbox), "-o",
                             str(tmp_path / "m.xlsx"), "--jobs", "2", "--quiet"], env=env)
    workers: set[int] = set()
    while proc.poll() is None and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.01)
    assert len(workers) >= 2, "the run ended before its workers were seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    for _ in range(500):  # each worker notices within moments; give a loaded machine 50 s
        if not any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0]
    except (OSError, IndexError):
        return "zombie"


def test_a_bug_of_ours_exits_3_with_a_log(tmp_path):
    """Exit 1 means findings; a crash of lubudget itself is exit 3, a short Chinese message and a log."""
    wb = openpyxl.Workbook()
    write_form(wb.active, PROJECT, Shape())
    wb.save(tmp_path / "甲.xlsx")
    script = (
        "import sys, lubudget_xl.cli.check_cmd as c\n"
        "def broken(outcomes): raise RuntimeError('report renderer bug')\n"
        "c.render_text = broken\n"
        "from lubudget_xl.cli import main\n"
        "sys.exit(main(['check', sys.argv[1]]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "甲.xlsx")], capture_output=True, env=env)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 3, stderr
    assert "Traceback" not in stderr and "程序内部出错" in stderr
    log = Path(stderr.split("日志 ")[1].split(",")[0])
    assert "RuntimeError: report renderer bug" in log.read_text(encoding="utf-8")
    log.unlink()
