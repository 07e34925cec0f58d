"""Nothing lost: an interrupted run keeps the previous master book; parallel equals serial;
discovery lists what it skips; progress is shown the way the terminal allows."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, run_cli

from lubudget_xl.cli._progress import TerminalProgress
from lubudget_xl.consolidate.batch import read_files
from lubudget_xl.consolidate.discover import discover
from lubudget_xl.consolidate.samples import write_records_batch, write_workbook_batch

# Run by the killed process: before the master book's finished temporary file is renamed onto the
# target, it tells the test through a pipe and waits. The test kills it then: no race with the clock.
_PAUSE_BEFORE_RENAME = """
import os, sys, time
fd, prefix = int(sys.argv[1]), sys.argv[2]
rename = os.replace
def replace(src, dst, *args, **kwargs):
    if os.path.basename(os.fspath(src)).startswith(prefix) and os.getpid() == main_pid:
        os.write(fd, b"w")
        time.sleep(600)
    return rename(src, dst, *args, **kwargs)
main_pid = os.getpid()
os.replace = replace
from lubudget_xl.cli import main
sys.exit(main(sys.argv[3:]))
"""


def _kill_while_writing(inbox: Path, master: Path) -> None:
    """Start a run and SIGKILL it (workers too) when the master book's temporary file is written."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-c", _PAUSE_BEFORE_RENAME, str(write_end), f".{master.name}.",
         "consolidate", str(inbox), "-o", str(master), "--quiet", "--fail-on", "never"],
        env=env, start_new_session=True, pass_fds=(write_end,),
    )  # fmt: skip
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            event = pipe.read(1)  # blocks until the run signals, or ends without signalling (EOF)
        assert event == b"w", f"the run ended (exit {proc.wait(timeout=60)}) without writing a master book"
        assert [p for p in master.parent.iterdir() if p.name.startswith(f".{master.name}.")]
        os.killpg(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def test_kill_9_while_writing_leaves_the_previous_master_book_intact(tmp_path):
    inbox = tmp_path / "inbox"
    write_records_batch(inbox, files=3, projects_per_file=2)
    master = inbox / "汇总表.xlsx"  # inside the input folder: never read as an input
    assert run_cli("consolidate", str(inbox), "-o", str(master), "--quiet", "--fail-on", "never").returncode == 0
    before = hashlib.sha256(master.read_bytes()).hexdigest()
    write_workbook_batch(inbox, files=24, projects_per_file=10, seed=3, bases=2)
    _kill_while_writing(inbox, master)
    assert hashlib.sha256(master.read_bytes()).hexdigest() == before
    book = openpyxl.load_workbook(master, read_only=True)
    assert "文件清单" in book.sheetnames
    book.close()
    # A later run is not confused by the interrupted one's temporary file (hidden: skipped, listed).
    done = run_cli("consolidate", str(inbox), "-o", str(master), "--quiet", "--fail-on", "never")
    assert done.returncode == 0, done.stderr.decode()
    rows = list(openpyxl.load_workbook(master)["文件清单"].iter_rows(min_row=2, values_only=True))
    assert sum(1 for r in rows if r[1] == "已读取") == 27
    leftovers = [r for r in rows if Path(r[0]).name.startswith(f".{master.name}.")]
    assert leftovers and all(r[1] == "已跳过" for r in leftovers)


def test_parallel_reading_returns_the_same_results_in_input_order(tmp_path):
    paths = [str(p) for p in write_records_batch(tmp_path, files=9, projects_per_file=2)]
    paths.append(str(tmp_path / "坏.json"))
    Path(paths[-1]).write_text("{not json", encoding="utf-8")
    seen = []
    serial = read_files(paths, jobs=1)
    parallel = read_files(paths, jobs=2, on_progress=lambda d, t, c: seen.append((d, t)))
    spawned = read_files(paths, jobs=2, start_method="spawn")  # how Windows starts workers
    assert [r.outcome.path for r in parallel] == paths
    assert [r.payload for r in parallel] == [r.payload for r in serial] == [r.payload for r in spawned]
    assert [r.keys for r in parallel] == [r.keys for r in serial] and parallel[0].keys
    assert parallel[-1].outcome.status == "failed" and "JSON" in parallel[-1].outcome.reason
    assert parallel[-1].payload.issues[0]["code"] == "FILE_UNREADABLE"
    assert seen[-1] == (10, 10) and all(t == 10 for _, t in seen)


def test_spools_left_by_killed_runs_are_removed_later(tmp_path):
    from lubudget_xl.consolidate.spool import PREFIX, STALE_SECONDS, remove_stale_spools

    old, fresh, other = tmp_path / f"{PREFIX}old", tmp_path / f"{PREFIX}running", tmp_path / "部门报送"
    for folder in (old, fresh, other):
        folder.mkdir()
        (folder / "1.spool").write_bytes(b"x")
    past = time.time() - STALE_SECONDS - 60
    for path in (old, old / "1.spool", other, fresh):  # fresh: a spool file still being written
        os.utime(path, (past, past))
    (fresh / "1.spool").write_bytes(b"xy")
    assert remove_stale_spools(str(tmp_path)) == [str(old)]
    assert not old.exists() and fresh.exists() and other.exists()


def test_the_parent_does_its_own_work_while_the_workers_read(tmp_path):
    import threading

    paths = [str(p) for p in write_records_batch(tmp_path, files=4, projects_per_file=1)]
    ran = threading.Event()
    results = read_files(paths, jobs=2, start_method="fork" if hasattr(os, "fork") else None, while_waiting=ran.set)
    assert ran.wait(10) and [r.outcome.status for r in results] == ["ok"] * 4


def test_spooled_payloads_read_back_equal_to_those_kept_in_memory(tmp_path):
    """Workers write each file's rows to their own spool file; the parent holds only keys."""
    from lubudget_xl.consolidate.spool import PARTS, Spool, SpoolRef

    paths = [str(p) for p in write_records_batch(tmp_path, files=7, projects_per_file=3)]
    memory = read_files(paths, jobs=1, full=True)
    spool = Spool()
    try:
        for jobs, method in ((1, None), (2, None), (2, "spawn")):  # spawn: how Windows starts workers
            spooled = read_files(paths, jobs=jobs, full=True, spool=spool.writer, start_method=method)
            assert all(isinstance(r.payload, SpoolRef) for r in spooled)
            files = {r.payload.path for r in spooled}
            assert 1 <= len(files) <= jobs  # one spool file per process that read files
            for kept, back in zip(memory, spooled, strict=True):
                assert back.keys == kept.keys and back.outcome.path == kept.outcome.path
                for part in PARTS:
                    assert spool.load(back.payload, part) == getattr(kept.payload, part), part
        folder = Path(spool.folder)
        assert any(folder.iterdir())
    finally:
        spool.close()
    assert not folder.exists()  # the spool folder goes with the consolidation


def test_discovery_skips_lock_hidden_and_foreign_files_and_lists_them(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "部门.xlsx").write_bytes(b"x")
    (tmp_path / "a" / "~$部门.xlsx").write_bytes(b"x")
    (tmp_path / "a" / ".hidden.xlsx").write_bytes(b"x")
    (tmp_path / "a" / "扫描件.pdf").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.json").write_bytes(b"x")
    (tmp_path / "b.xlsm").write_bytes(b"x")
    (tmp_path / "退回修改").mkdir()
    (tmp_path / "退回修改" / "退回修改_甲局.xlsx").write_bytes(b"x")
    found = discover([tmp_path, tmp_path / "b.xlsm"], exclude=[tmp_path / "a" / "部门.xlsx", tmp_path / "退回修改"])
    assert found.files == [str(tmp_path / "b.xlsm")]
    reasons = {Path(s.path).name: s.reason for s in found.skipped}
    assert set(reasons) == {"~$部门.xlsx", ".hidden.xlsx", "扫描件.pdf", ".git"}
    assert "锁定" in reasons["~$部门.xlsx"] and "隐藏" in reasons[".hidden.xlsx"]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_plain_lines_otherwise_nothing_when_quiet():
    tty = _Tty()
    bar = TerminalProgress(stream=tty)
    for done in range(1, 51):
        bar(done, 50, f"部门{done}.xlsx")
    bar.finish()
    text = tty.getvalue()
    assert "\r[" in text and "50/50 个文件" in text and "个/秒" in text and "剩余" in text and text.endswith("\n")
    plain = io.StringIO()
    lines = TerminalProgress(stream=plain)
    for done in range(1, 51):
        lines(done, 50, "x")
    out = plain.getvalue().splitlines()
    assert "\r" not in plain.getvalue() and 2 <= len(out) <= 12 and "50/50" in out[-1]
    quiet = io.StringIO()
    silent = TerminalProgress(quiet=True, stream=quiet)
    silent(1, 2, "x")
    silent.finish()
    assert quiet.getvalue() == ""


def test_a_master_book_that_cannot_be_replaced_is_a_clear_error(tmp_path, monkeypatch, capsys):
    """The last step, renaming the finished book onto 汇总表.xlsx, is refused (Windows does that while
    the book is open in Excel; Linux lets root rename over anything, so the refusal is planted)."""
    from lubudget_xl.cli import main

    inbox = tmp_path / "inbox"
    write_records_batch(inbox, files=1, projects_per_file=1)
    taken = tmp_path / "汇总表.xlsx"
    taken.write_bytes(b"last year's book")
    real_replace = os.replace

    def refuse(src, dst):
        if Path(dst) == taken:
            raise PermissionError(13, "Permission denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    assert main(["consolidate", str(inbox), "-o", str(taken), "--quiet"]) == 2
    stderr = capsys.readouterr().err
    assert "无法写入" in stderr and "汇总表.xlsx" in stderr and "Traceback" not in stderr
    assert "Permission denied" not in stderr
    assert taken.read_bytes() == b"last year's book"  # the previous book is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to plant the crash in the workers")
def test_a_worker_that_dies_costs_time_never_files(tmp_path, monkeypatch):
    from lubudget_xl.consolidate import batch

    paths = [str(p) for p in write_records_batch(tmp_path, files=6, projects_per_file=1)]
    parent, real = os.getpid(), batch.read_one

    def crashing(path, catalog_ref=None, full=False):
        if path == paths[2] and os.getpid() != parent and not (tmp_path / "crashed").exists():
            (tmp_path / "crashed").touch()
            os._exit(9)  # a hard crash (the OOM killer): no exception, no result; once
        return real(path, catalog_ref, full)

    monkeypatch.setattr(batch, "read_one", crashing)
    results = batch.read_files(paths, jobs=2, start_method="fork")
    assert [r.outcome.path for r in results] == paths
    assert all(r.outcome.status == "ok" and r.keys for r in results)
    assert (tmp_path / "crashed").exists()  # the worker did die; the file was read again in a fresh one
