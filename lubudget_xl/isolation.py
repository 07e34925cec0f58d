"""Untrusted files are read in worker processes that may die (DESIGN.md §4, issue 13).

A parser that aborts the process (calamine's failed allocations end in abort(), not an
exception), segfaults, hangs or eats memory ends only its worker. The parent hands each worker
one item at a time, so it always knows which file a dead worker was on. That file is tried once
more in a fresh worker (the machine may have killed a healthy worker to free memory); if it ends
that one too, it gets a Chinese reason and the batch goes on. Nothing is retried in the parent,
which never parses a file itself. Each worker has an address-space cap (RLIMIT_AS, where the platform has
it), ignores Ctrl-C (the parent stops it), sends its stderr (Rust panic text) to the run's log,
and exits when its parent dies, so a killed run leaves no worker blocked on a pipe.

Stdlib only: the reading function and its initializer are passed in by module path, so a
worker started by spawn (Windows) needs nothing but its arguments.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

# A form reads in well under a second; a 100,000-row sheet in a few. Past this, the file is stuck.
FILE_SECONDS = 300.0
# Per worker: a 10-million-cell sheet (the reader's limit) fits with room to spare.
WORKER_MEMORY = 4 * 2**30
_POLL = 0.2  # seconds between checks for time limits and Ctrl-C


@dataclass(frozen=True)
class Task:
    """What a worker runs: `module.function(item)` after `module.init(*init_args)` once."""

    module: str
    function: str
    init: str | None = None
    init_args: tuple = ()


@dataclass
class Failure:
    """An item whose worker did not answer: `reason` is Chinese, for 文件清单 and return lists."""

    reason: str
    internal: bool = False  # our own code raised (a bug): the log holds the traceback


def _resolve(module: str, name: str) -> Callable[..., Any]:
    import importlib

    return getattr(importlib.import_module(module), name)


def _watch_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)  # the run was killed: do not outlive it

    threading.Thread(target=watch, daemon=True).start()


def _limit_memory(limit: int | None) -> None:
    if not limit:
        return
    try:
        import resource
    except ImportError:  # Windows: no RLIMIT_AS; the time limit and crash isolation still hold
        return
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _worker(conn: Connection, task: Task, memory: int | None, log_path: str | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent()
    if log_path:
        with contextlib.suppress(OSError):
            fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(fd, 2)
            os.close(fd)
    _limit_memory(memory)
    if task.init:
        _resolve(task.module, task.init)(*task.init_args)
    run = _resolve(task.module, task.function)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, item = message
        try:
            answer: tuple = ("ok", index, run(item))
        except MemoryError:
            answer = ("memory", index, None)
        except BaseException as exc:  # noqa: BLE001 - a bug of ours or a binding's panic: reported, not fatal
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            answer = ("error", index, "".join(traceback.format_exception(exc)))
        try:
            conn.send(answer)
        except MemoryError:
            conn.send(("memory", index, None))
        except Exception as exc:  # noqa: BLE001 - an answer that cannot be sent (pickling)
            conn.send(("error", index, "".join(traceback.format_exception(exc))))


def death_reason(exitcode: int | None) -> str:
    """Why a worker ended, in words a department can act on."""
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        if number == getattr(signal, "SIGKILL", 9):
            return "读取时进程被系统终止(多半是内存不足:文件过大或结构异常)"
        kinds = {getattr(signal, "SIGABRT", 6): "程序中止", getattr(signal, "SIGSEGV", 11): "内存访问错误"}
        kind = kinds.get(number, f"信号 {number}")
        return f"读取时解析程序异常终止({kind}),文件可能已损坏或是恶意构造的,请在 Excel 中另存后重新提交"
    return f"读取时解析程序异常退出(退出码 {exitcode}),文件可能已损坏,请在 Excel 中另存后重新提交"


def _safe(context: Any) -> Any:
    """`context`, unless it forks while another thread of this process runs (the caller's
    `while_waiting` import, say): a forked child would inherit that thread's import locks, held
    forever, and hang on its first import. Then a worker starts by forkserver (or spawn)."""
    if context.get_start_method() != "fork" or threading.active_count() == 1:
        return context
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Slot:
    def __init__(self, context: Any, task: Task, memory: int | None, log_path: str | None) -> None:
        context = _safe(context)
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, task, memory, log_path), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.started = 0.0

    def give(self, index: int, item: Any) -> None:
        self.index, self.started = index, time.monotonic()
        self.conn.send((index, item))

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def run_isolated(
    task: Task,
    items: Sequence[Any],
    jobs: int = 1,
    seconds: float | None = FILE_SECONDS,
    memory: int | None = WORKER_MEMORY,
    start_method: str | None = None,
    log_path: str | None = None,
    on_internal: Callable[[str], None] | None = None,
) -> Iterator[tuple[int, Any]]:
    """Yield (index, answer) for every item as workers finish, answer being the function's return
    value or a `Failure`. `on_internal(traceback)` hears about exceptions our code raised.
    Stops (killing its workers) when the caller stops iterating or Ctrl-C arrives."""
    context = multiprocessing.get_context(start_method) if start_method else multiprocessing.get_context()
    queue = list(range(len(items)))[::-1]
    slots: list[_Slot] = []
    died: set[int] = set()  # items whose first worker died: tried once more, then failed
    finished = False
    try:
        for _ in range(max(1, min(jobs, len(items)))):
            slots.append(_Slot(context, task, memory, log_path))
        idle = list(slots)
        while queue or any(s.index is not None for s in slots):
            while queue and idle:
                slot = idle.pop()
                index = queue.pop()
                try:
                    slot.give(index, items[index])
                except (BrokenPipeError, OSError):  # it died before its first item: replace it
                    slot.index = None
                    queue.append(index)
                    slots.remove(slot)
                    slot.stop()
                    fresh = _Slot(context, task, memory, log_path)
                    slots.append(fresh)
                    idle.append(fresh)
            busy = [s for s in slots if s.index is not None]
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=_POLL)
            now = time.monotonic()
            for slot in busy:
                answer: Any = None
                if slot.conn in ready or slot.process.sentinel in ready:
                    try:
                        kind, index, value = slot.conn.recv() if slot.conn.poll() else (None, slot.index, None)
                    except (EOFError, OSError):
                        kind, index, value = None, slot.index, None
                    if kind == "ok":
                        answer = value
                    elif kind == "memory":
                        answer = Failure("读取时内存超出限制(文件过大或结构异常),请删除多余内容或另存后重新提交")
                    elif kind == "error":
                        if on_internal is not None:
                            on_internal(value)
                        answer = Failure("读取时程序内部出错(已记入日志),请将此文件发给维护人员", internal=True)
                    else:
                        slot.process.join(1)
                        answer = Failure(death_reason(slot.process.exitcode))
                        if slot.index not in died:
                            died.add(slot.index)
                            queue.append(slot.index)
                            answer = None
                elif seconds is not None and now - slot.started > seconds:
                    answer = Failure(f"读取超时(超过 {seconds:g} 秒仍未读完),文件可能结构异常,请另存后重新提交")
                else:
                    continue
                index = slot.index
                assert index is not None
                slot.index = None
                if answer is None or isinstance(answer, Failure) and not answer.internal or not slot.process.is_alive():
                    slots.remove(slot)  # a dead, stuck or memory-starved worker is not reused
                    slot.stop()
                    if queue:
                        fresh = _Slot(context, task, memory, log_path)
                        slots.append(fresh)
                        idle.append(fresh)
                else:
                    idle.append(slot)
                if answer is not None:
                    yield index, answer
        finished = True
    finally:
        _shut_down(slots, gently=finished)


def _shut_down(slots: list[_Slot], gently: bool) -> None:
    """Idle workers are asked to leave and given a moment; anything else (Ctrl-C, the caller
    stopped early, a worker still busy) is killed at once."""
    if gently:
        for slot in slots:
            with contextlib.suppress(Exception):
                slot.conn.send(None)
        deadline = time.monotonic() + 1.0
        for slot in slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
    for slot in slots:
        slot.stop()


def log_path() -> str:
    """This run's log: worker stderr (a parser's panic text) and tracebacks of our own errors.
    In the temporary folder, named by date and process, so old ones are easy to find and remove."""
    import tempfile

    folder = os.path.join(tempfile.gettempdir(), "lubudget-logs")
    with contextlib.suppress(OSError):
        os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"lubudget-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log")


def append_log(path: str, text: str) -> None:
    with contextlib.suppress(OSError), open(path, "a", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(text if text.endswith("\n") else text + "\n")
