"""How long building the template and filling workbooks takes.

Run: python benchmarks/bench_template.py
- `template_bytes` for each built-in catalogue (build + deterministic save);
- `fill_workbook` of the seed's 10 projects, and of 300 projects (the seed repeated: a large
  department's rollover), with file size.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lubudget_xl.catalog import builtin_names, load_catalog  # noqa: E402
from lubudget_xl.loading import load_any  # noqa: E402
from lubudget_xl.template import fill_workbook, template_bytes  # noqa: E402

SEED = ROOT / "lubudget_xl" / "samples" / "liuan_2021_gov_office_targets.txt"


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    for name in builtin_names():
        seconds, data = timed(lambda name=name: template_bytes(load_catalog(name)))
        print(f"template {name}: {seconds * 1000:.0f} ms, {len(data) / 1024:.0f} KiB")
    seed = load_any(SEED).projects
    catalog = load_catalog("2021")
    with tempfile.TemporaryDirectory() as tmp:
        for count in (10, 300):
            projects = [dataclasses.replace(seed[i % len(seed)], name=f"{seed[i % len(seed)].name}{i}") for i in range(count)]
            out = Path(tmp) / f"fill_{count}.xlsx"
            seconds, _ = timed(lambda projects=projects, out=out: fill_workbook(projects, catalog, out), repeat=1 if count > 10 else 3)
            rows = sum(len(p.indicators) for p in projects)
            print(f"fill {count} projects / {rows} rows: {seconds:.2f} s, {out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
