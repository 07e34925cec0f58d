"""How long the rules take per department file: `check_projects` on one 10-project workbook's projects.

Run: python benchmarks/rules.py [FILES] [REPEATS] [--profile]   (default 200 files, 7 repeats)
Consolidation (issue 6) calls `check_projects` once per department file of 10 projects (~100
indicator rows); goal: at most 2 ms CPU per file. The files are the consolidation samples
(`write_workbook_batch`, seed 2021), read once; then every file's projects are checked, and the best
repeat's CPU time per file is printed (CPU, not wall: other processes share the machine).
`--profile` adds the top of a cProfile run by own time.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lubudget_xl.catalog import load_catalog  # noqa: E402
from lubudget_xl.consolidate.samples import write_workbook_batch  # noqa: E402
from lubudget_xl.reader import read_workbook  # noqa: E402
from lubudget_xl.rules import REGISTRY, check_projects  # noqa: E402


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    files = int(args[0]) if args else 200
    repeats = int(args[1]) if len(args) > 1 else 7
    catalog = load_catalog("2021")
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_workbook_batch(Path(tmp), files, 10, seed=2021)
        batches = [read_workbook(p, catalog).projects for p in paths]

    def run() -> int:
        return sum(len(check_projects(projects, catalog)) for projects in batches)

    findings = run()  # warm: the catalogue's memo and the regex caches fill on first use
    best = min(_cpu(run) for _ in range(repeats))
    rows = sum(len(p.indicators) for projects in batches for p in projects)
    print(f"check_projects, {len(REGISTRY)} rules, {files} files of 10 projects ({rows / files:.0f} indicator rows "
          f"each), {findings} findings; best of {repeats}:")  # fmt: skip
    per_file = best / files * 1000
    print(f"  {per_file:.2f} ms CPU per file   goal <= 2 ms: {'met' if per_file <= 2 else 'NOT met'}")
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.runcall(run)
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


if __name__ == "__main__":
    main()
