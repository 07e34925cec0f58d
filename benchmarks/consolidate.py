"""What consolidating a year's inbox costs: openpyxl loop vs python-calamine floor vs `lubudget consolidate`.

Run: python benchmarks/consolidate.py [--n 500] [--projects 10] [--jobs N] [--a-limit 500]
Generates N department workbooks (the template filler fills a few, the rest are varied copies,
`lubudget_xl.consolidate.samples.write_workbook_batch`), then measures, each in its own process:
  (a) a plain openpyxl loop: load_workbook + read every cell of every sheet (one process);
  (b) python-calamine reading every cell (one process): the floor for any Python reader;
  (c) `lubudget consolidate DIR -o master.xlsx` end to end: discovery, parallel reading and rule
      checks, cross-file checks, the master book — interpreter start-up included.
Peak memory is the largest sum of resident memory over the process and its children (sampled from
/proc every 50 ms; the tree is rediscovered every 0.5 s; elsewhere the largest single process). (a) is slow: past --a-limit files it is
measured on the first --a-limit files and scaled (printed as such). Goals: a/c >= 15, c/b <= 3.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPENPYXL_LOOP = """
import sys, openpyxl
cells = 0
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cells += cell.value is not None
print(cells)
"""
CALAMINE_LOOP = """
import sys
from python_calamine import CalamineWorkbook
cells = 0
for path in sys.argv[1:]:
    book = CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False):
            cells += sum(v != "" for v in row)
    book.close()
print(cells)
"""


def _descendants(pid: int) -> list[int]:
    """`pid` and all its descendants, from the parent ids in /proc/*/stat (a scan of all of /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def _rss(pids: list[int]) -> int:
    """Resident bytes of the processes still alive among `pids`."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(cmd: list[str]) -> tuple[float, float, int, str]:
    """Run `cmd`; return (seconds, CPU seconds of it and its workers, peak resident bytes of its
    process tree, stdout). CPU seconds do not depend on what else the machine is running."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    on_linux = os.path.isdir("/proc/self")

    def sample() -> None:
        # Reading a few statm files every 50 ms costs next to nothing; the process tree is found
        # by a scan of /proc only every 0.5 s (the scan itself would take CPU from what we measure).
        nonlocal peak
        pids: list[int] = []
        n = 0
        while proc.poll() is None:
            if on_linux:
                if n % 10 == 0:
                    pids = _descendants(proc.pid)
                peak = max(peak, _rss(pids))
            n += 1
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:4]} failed ({proc.returncode}):\n{err.decode('utf-8', 'replace')}")
    if not on_linux:
        import resource

        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # largest single process
    return seconds, _children_cpu() - cpu_before, peak, out.decode("utf-8", "replace").strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=500, help="department workbooks (default 500)")
    parser.add_argument("--projects", type=int, default=10, help="project sheets per workbook (default 10)")
    parser.add_argument("--jobs", type=int, default=None, help="consolidate --jobs (default: CPU count)")
    parser.add_argument("--a-limit", type=int, default=500, help="measure (a) on at most this many files")
    parser.add_argument("--dir", default=None, help="work folder (default: a temporary one, removed)")
    args = parser.parse_args()

    from lubudget_xl.consolidate.samples import write_workbook_batch

    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="lubudget-bench-"))
    inbox = work / "inbox"
    if inbox.exists():
        shutil.rmtree(inbox)
    started = time.perf_counter()
    files = write_workbook_batch(inbox, args.n, args.projects, seed=2021)
    size = sum(p.stat().st_size for p in files)
    print(f"generated {len(files)} workbooks x {args.projects} project sheets ({size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs")  # fmt: skip

    a_files = [str(p) for p in files[: args.a_limit]]
    a_s, a_cpu, a_mem, a_cells = measure([sys.executable, "-c", OPENPYXL_LOOP, *a_files])
    scale = len(files) / len(a_files)
    a_s, a_cpu = a_s * scale, a_cpu * scale
    b_s, b_cpu, b_mem, b_cells = measure([sys.executable, "-c", CALAMINE_LOOP, *map(str, files)])
    master = work / "master.xlsx"
    cmd = [sys.executable, "-m", "lubudget_xl", "consolidate", str(inbox), "-o", str(master), "--quiet"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    c_s, c_cpu, c_mem, _ = measure(cmd)

    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(master))
    rows = {name: len(book.get_sheet_by_name(name).to_python()) - 1 for name in ("项目清单", "绩效指标", "校验问题")}
    book.close()
    n = len(files)
    label_a = "(a) openpyxl loop" + (f" [{len(a_files)} files, scaled]" if len(a_files) < n else "")
    print(f"{'':38} {'seconds':>9} {'files/s':>9} {'CPU s':>9} {'ms CPU/file':>12} {'peak MB':>9}")
    for label, seconds, cpu, mem in ((label_a, a_s, a_cpu, a_mem), ("(b) python-calamine, every cell", b_s, b_cpu, b_mem),
                                     ("(c) lubudget consolidate (end to end)", c_s, c_cpu, c_mem)):  # fmt: skip
        print(f"{label:38} {seconds:9.2f} {n / seconds:9.1f} {cpu:9.2f} {cpu / n * 1000:12.1f} {mem / 2**20:9.0f}")
    print(f"cells read: openpyxl {a_cells} ({len(a_files)} files), calamine {b_cells}")
    print(f"master book: {master.stat().st_size / 1e6:.1f} MB, projects {rows['项目清单']}, "
          f"indicator rows {rows['绩效指标']}, findings {rows['校验问题']}")  # fmt: skip
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"a/c = {a_s / c_s:.1f}x (goal >= 15)   c/b = {c_s / b_s:.2f}x (goal <= 3)   [wall clock]")
    print(f"a/c = {a_cpu / c_cpu:.1f}x               c/b = {c_cpu / b_cpu:.2f}x               [CPU time]")
    print(f"load average at the end: {load:.2f} on {os.cpu_count()} CPUs (other work slows the wall clock)")
    if not args.dir:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
