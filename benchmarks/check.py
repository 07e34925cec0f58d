"""How long `lubudget check` takes on one 20-project workbook, from process start to printed report.

Run: python benchmarks/check.py [RUNS]   (default 7; medians are printed)
Target: < 0.5 s end to end. The split (one instrumented run per repetition, in a fresh interpreter):
- interpreter start: `python -c pass` measured in the same run, beside everything else;
- imports: the CLI and what `check` needs (catalogue, rules, reader) before any file is touched;
- reading: the workbook into records (python-calamine + the label reader);
- rules: every registered rule on the 20 projects;
- report: rendering the Chinese text report and writing it to stdout.
The end-to-end figure is the wall time of `python -m lubudget_xl check FILE --quiet` as a user runs it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "lubudget_xl" / "samples" / "liuan_2021_gov_office_targets.txt"

# Runs in a fresh interpreter; prints its stage times as JSON on stderr.
STAGES = r"""
import sys, time
t0 = time.perf_counter()
from lubudget_xl.cli import build_parser
from lubudget_xl.catalog import load_catalog
from lubudget_xl.checking import check_file
import lubudget_xl.rules, lubudget_xl.reader
from lubudget_xl.cli.check_cmd import render_text
parser = build_parser()
args = parser.parse_args(["check", sys.argv[1], "--quiet"])
t1 = time.perf_counter()
from lubudget_xl.loading import load_any
from lubudget_xl.rules import check_projects
catalog = load_catalog("2021")
result = load_any(sys.argv[1], catalog)
t2 = time.perf_counter()
issues = check_projects(result.projects, catalog)
t3 = time.perf_counter()
outcome = check_file(sys.argv[1], catalog)  # the command's own path (read + rules), for the report
t4 = time.perf_counter()
sys.stdout.write(render_text([outcome]))
sys.stdout.flush()
t5 = time.perf_counter()
print(__import__("json").dumps({"imports": t1 - t0, "reading": t2 - t1, "rules": t3 - t2,
      "report": t5 - t4, "projects": len(result.projects), "issues": len(issues)}), file=sys.stderr)
"""


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    return time.perf_counter() - start


def make_workbook(folder: Path) -> Path:
    """The seed's ten projects twice (the copies renamed): 20 project sheets of the 2021 form."""
    sys.path.insert(0, str(ROOT))
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.loading import load_any
    from lubudget_xl.model import ProjectTarget
    from lubudget_xl.template.filler import fill_workbook

    catalog = load_catalog("2021")
    projects = load_any(SEED, catalog).projects
    copies = [ProjectTarget.from_dict({**p.to_dict(), "name": p.name + "(二)"}) for p in projects]
    return fill_workbook(projects + copies, catalog, folder / "二十个项目.xlsx")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        book = make_workbook(Path(tmp))
        bare, end_to_end, stages = [], [], []
        for _ in range(runs):
            bare.append(wall([python, "-c", "pass"]))
            end_to_end.append(wall([python, "-m", "lubudget_xl", "check", str(book), "--quiet"]))
            done = subprocess.run([python, "-c", STAGES, str(book)], cwd=ROOT, capture_output=True, text=True,
                                  env={"PYTHONPATH": str(ROOT), "PATH": ""}, check=True)  # fmt: skip
            stages.append(json.loads(done.stderr.strip().splitlines()[-1]))
    med = statistics.median
    total = med(end_to_end)
    print(f"lubudget check, one workbook with {stages[0]['projects']} projects ({stages[0]['issues']} findings), "
          f"median of {runs} runs:")  # fmt: skip
    print(f"  python -c pass          {med(bare) * 1000:7.1f} ms   (interpreter start)")
    for key in ("imports", "reading", "rules", "report"):
        print(f"  {key:<22}  {med(s[key] for s in stages) * 1000:7.1f} ms")
    print(f"  end to end (wall)       {total * 1000:7.1f} ms   target < 500 ms: {'met' if total < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
