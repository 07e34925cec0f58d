"""Does a self-evaluation cost what a target costs to consolidate? `lubudget consolidate` on N filled
自评表 workbooks against N filled 绩效目标表 workbooks, each run in its own process.

Run: python benchmarks/selfeval_consolidate.py [--n 1000] [--jobs N] [--repeat 2]
Both batches have 10 projects per file: the targets are `consolidate.samples.write_workbook_batch`
(~10 indicator rows per project), the self-evaluations `selfeval.samples.write_selfeval_batch` built
from the seed's 2021 targets (113 rows per file, findings in every file, three grade profiles).
Measured per run: wall time and the CPU time of the whole process tree (parent and workers, from
the children's rusage), divided by N; the best of --repeat runs is kept for each. The goal is a
self-evaluation costing about what a target costs per file (ratio ~1).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _consolidate(folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(wall s, CPU s) of one `lubudget consolidate` run, process start to exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "lubudget_xl", "consolidate", str(folder), "-o", str(out),
                           "--jobs", str(jobs), "--quiet", "--fail-on", "never"], capture_output=True)  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"consolidate failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="files per batch (default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per batch; the best is kept (default 2)")
    args = parser.parse_args()

    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.consolidate.samples import write_workbook_batch
    from lubudget_xl.loading import load_any
    from lubudget_xl.selfeval.samples import write_selfeval_batch

    catalog = load_catalog("2021")
    seed = ROOT / "lubudget_xl" / "samples" / "liuan_2021_gov_office_targets.txt"
    with tempfile.TemporaryDirectory(prefix="bench-selfeval-") as tmp:
        base = Path(tmp)
        t0 = time.perf_counter()
        write_workbook_batch(base / "targets", args.n, projects_per_file=10)
        write_selfeval_batch(base / "selfeval", args.n, load_any(seed, catalog).projects, catalog)
        print(f"generated 2 x {args.n} files in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        results = {}
        for name in ("targets", "selfeval"):
            runs = [_consolidate(base / name, base / f"{name}_master.xlsx", args.jobs) for _ in range(args.repeat)]
            results[name] = min(runs, key=lambda r: r[1])
            size = sum(p.stat().st_size for p in (base / name).iterdir()) / args.n / 1024
            print(f"{name:9s} {args.n} files ({size:.0f} KB each): wall {results[name][0]:.2f} s, "
                  f"CPU {results[name][1] * 1000 / args.n:.1f} ms/file (best of {args.repeat}: "
                  + ", ".join(f"{c * 1000 / args.n:.1f}" for _, c in runs) + ")")
        (tw, tc), (sw, sc) = results["targets"], results["selfeval"]
        print(f"self-evaluation / target per file: CPU {sc / tc:.2f}x, wall {sw / tw:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
