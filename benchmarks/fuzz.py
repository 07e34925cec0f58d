"""The long fuzz run of issue 13: seeded mutants of .xlsx, .xls and .ods forms (tests/fuzzing.py),
each checked as `lubudget check` does in an isolated worker; prints the outcome table.

Run: python benchmarks/fuzz.py [mutants] [seed] [jobs]   (default 5000, 13, 2)
Goal: zero in every row but read and refused. Examples of anything else are printed and the
mutants kept in the folder named at the end, to reproduce with `lubudget check FILE`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from fuzzing import check_mutants, table, write_mutants  # noqa: E402

from lubudget_xl.isolation import log_path  # noqa: E402


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 13
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    folder = Path(tempfile.mkdtemp(prefix="lubudget-fuzz-"))
    started = time.perf_counter()
    mutants = write_mutants(folder, count, seed=seed)
    written = time.perf_counter() - started
    counts, examples = check_mutants(mutants, jobs=jobs, log=log_path())
    elapsed = time.perf_counter() - started
    print(f"{count} 个变异文件(种子 {seed}),生成 {written:.0f} 秒,共 {elapsed:.0f} 秒,{jobs} 个进程")
    print(table(counts, len(mutants)))
    by_kind: dict[str, dict[str, int]] = {}
    for outcome, found in examples.items():
        for mutant, _ in found:
            key = f"{mutant.seed}/{mutant.mutator}"
            by_kind.setdefault(key, {}).setdefault(outcome, 0)
            by_kind[key][outcome] += 1
    print("\n按种子/变异方式:")
    for key in sorted(by_kind):
        print(f"  {key:<22} " + "  ".join(f"{o} {n}" for o, n in sorted(by_kind[key].items())))
    bad = {k: v for k, v in examples.items() if k not in ("read", "refused")}
    for outcome, found in bad.items():
        print(f"\n{outcome}:")
        for mutant, detail in found[:5]:
            print(f"  {mutant.path}: {detail[-300:]}")
    if bad:
        print(f"\n变异文件保留在 {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
