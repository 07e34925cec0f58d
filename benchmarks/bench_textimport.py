"""How fast published text becomes records: the seed repeated N times (10 projects, 290 lines each).

Run: python benchmarks/bench_textimport.py [N ...]   (default 1 10 100)
Prints lines per second and milliseconds per project, for import_text alone and with write_records.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lubudget_xl.records import write_records  # noqa: E402
from lubudget_xl.textimport import import_text  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "lubudget_xl" / "samples" / "liuan_2021_gov_office_targets.txt"


def main(counts: list[int]) -> None:
    seed = SEED.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        for n in counts:
            path = Path(tmp) / f"seed_x{n}.txt"
            path.write_text(seed * n, encoding="utf-8")
            lines = len((seed * n).splitlines())
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                result = import_text(path)
                best = min(best, time.perf_counter() - start)
            start = time.perf_counter()
            write_records(result.projects, Path(tmp) / "records.json")
            written = time.perf_counter() - start
            projects = len(result.projects)
            print(
                f"x{n:<4} {lines:>6} lines {projects:>5} projects {result.rows_read:>6} indicators: "
                f"import {best * 1000:8.1f} ms ({lines / best:,.0f} lines/s, {best * 1000 / projects:.2f} ms/project); "
                f"write_records {written * 1000:8.1f} ms"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 10, 100])
