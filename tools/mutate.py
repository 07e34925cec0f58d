"""`make mutate`: mutation testing of the core, one module at a time, with the tests that cover it.

Runs mutmut 3 on each module in its own copy of the checkout (build/mutate/<module>/), so a run
never touches the working tree and a module's tests are the only ones collected: mutmut's first
pass runs those tests once to learn which test reaches which function, then each mutant runs only
the tests that reach the mutated function. One worker (the machine is shared), at nice 10.

    python tools/mutate.py                 # every module, in order
    python tools/mutate.py values rules    # some of them
    python tools/mutate.py --report values # score of the last run, without running again
    python tools/mutate.py --again values  # re-test the last run's survivors with the current tests
    python tools/mutate.py --show values   # the survivors' diffs, into build/mutate/<module>/survivors.diff

Prints, per module, killed / total and the score; the surviving mutants of a module are listed in
build/mutate/<module>/survivors.txt (`mutmut show NAME` in build/mutate/<module>/ shows the diff).
Survivors judged equivalent (no input can tell them apart) are listed in docs/mutation.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "mutate"

# module -> (files to mutate, tests that cover them, the score the module must keep)
MODULES: dict[str, tuple[list[str], list[str], float]] = {
    "values": (
        ["lubudget_xl/values/*"],
        ["tests/test_values.py", "tests/test_values_amounts.py", "tests/test_values_edges.py"],
        90.0,
    ),
    "rules": (
        ["lubudget_xl/rules/*"],
        ["tests/test_rules_cases.py", "tests/test_rules_registry.py", "tests/test_rules_robust.py",
         "tests/test_rules_docs.py", "tests/test_rules_edges.py"],
        90.0,
    ),
    "across": (
        ["lubudget_xl/consolidate/across.py"],
        ["tests/test_consolidate_across.py"],
        80.0,
    ),
    "grid": (
        ["lubudget_xl/reader/grid.py"],
        ["tests/test_reader_layout.py", "tests/test_reader_roundtrip.py"],
        80.0,
    ),
    "layout": (
        ["lubudget_xl/reader/layout.py"],
        ["tests/test_reader_layout.py", "tests/test_reader_roundtrip.py"],
        80.0,
    ),
    "textimport": (
        ["lubudget_xl/textimport/*"],
        ["tests/test_textimport_robust.py", "tests/test_textimport_seed.py", "tests/test_textimport_variants.py"],
        80.0,
    ),
}

KILLED = {1, 3, 36, 24, -24, 152, 255, 37}  # a failing test, an internal error, a timeout
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34}


def _config(only: list[str], tests: list[str]) -> str:
    def lines(values: list[str]) -> str:
        return "".join(f"\n    {v}" for v in values)

    return (
        "[mutmut]\n"
        "source_paths = lubudget_xl\n"
        f"only_mutate ={lines(only)}\n"
        f"pytest_add_cli_args_test_selection ={lines(tests)}\n"
        # Property tests (hundreds of generated examples) and LibreOffice runs would cost seconds per
        # mutant on a shared 2-core machine; the example-based tests are what a mutant must fail.
        "pytest_add_cli_args =\n    -q\n    -p\n    no:cacheprovider\n    -m\n    not hypothesis and not libreoffice\n"
        "use_git_change_detection = false\n"
        "use_setproctitle = false\n"
    )


def prepare(module: str) -> Path:
    only, tests, _ = MODULES[module]
    work = BUILD / module
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    shutil.copytree(ROOT / "lubudget_xl", work / "lubudget_xl", ignore=ignore)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
    present = [t for t in tests if (ROOT / t).exists()]
    (work / "setup.cfg").write_text(_config(only, present), encoding="utf-8")
    return work


def _mutmut(work: Path, *args: str, log: Path) -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    env = dict(os.environ, CI="1", PYTHONHASHSEED="0")
    with log.open("w", encoding="utf-8") as out:
        return subprocess.run([str(mutmut), *args], cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT).returncode


def run(module: str, again: bool = False) -> int:
    """A fresh run of every mutant; `again`: only the last run's survivors, with the current tests."""
    work = BUILD / module
    names: list[str] = []
    if again and (work / "survivors.txt").exists():
        names = [line.split("\t")[0] for line in (work / "survivors.txt").read_text(encoding="utf-8").splitlines()]
        shutil.rmtree(work / "tests")
        shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        if not names:
            return 0
    else:
        work = prepare(module)
    print(f"== {module}: mutmut in {work.relative_to(ROOT)}" + (f", {len(names)} survivors again" if again else ""),
          flush=True)
    log = work / "mutmut.log"
    code = _mutmut(work, "run", "--max-children", "1", *names, log=log)
    if code != 0:
        print(f"   mutmut exited {code}; see {log.relative_to(ROOT)}", flush=True)
    return code


def report(module: str) -> tuple[int, int, list[str]] | None:
    """(killed, total, survivors) of the last run of a module, from mutmut's .meta files."""
    metas = sorted((BUILD / module / "mutants").rglob("*.py.meta"))
    if not metas:
        return None
    killed = total = 0
    survivors: list[str] = []
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for name, code in sorted(codes.items()):
            if code in SKIPPED:
                continue
            total += 1
            if code in KILLED:
                killed += 1
            else:
                status = "survived" if code in SURVIVED else "no tests" if code in NO_TESTS else f"exit {code}"
                survivors.append(f"{name}\t{status}")
    (BUILD / module / "survivors.txt").write_text("".join(s + "\n" for s in survivors), encoding="utf-8")
    return killed, total, survivors


def show(module: str) -> None:
    """Write each survivor's diff (mutmut show) into build/mutate/<module>/survivors.diff."""
    work = BUILD / module
    diffs = []
    for line in (work / "survivors.txt").read_text(encoding="utf-8").splitlines():
        name = line.split("\t")[0]
        out = work / "show.log"
        _mutmut(work, "show", name, log=out)
        diffs.append(out.read_text(encoding="utf-8"))
    (work / "survivors.diff").write_text("\n".join(diffs), encoding="utf-8")
    print(f"   {module}: {len(diffs)} diffs in build/mutate/{module}/survivors.diff")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"some of: {' '.join(MODULES)} (default: all)")
    parser.add_argument("--report", action="store_true", help="only print the scores of the last runs")
    parser.add_argument("--again", action="store_true", help="re-test only the survivors of the last runs")
    parser.add_argument("--show", action="store_true", help="write the survivors' diffs of the last runs")
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; known: {' '.join(MODULES)}")
    if args.show:
        for module in modules:
            show(module)
        return 0
    if not args.report:
        os.nice(10)
    failed = False
    rows = []
    for module in modules:
        if not args.report and run(module, again=args.again) != 0:
            failed = True
        result = report(module)
        if result is None:
            rows.append((module, "-", "-", "not run", ""))
            failed = True
            continue
        killed, total, survivors = result
        score = 100.0 * killed / total if total else 100.0
        target = MODULES[module][2]
        verdict = "ok" if score >= target else f"below {target:.0f}%"
        failed |= score < target
        rows.append((module, str(killed), str(total), f"{score:.1f}%", verdict))
        print(f"   {module}: {killed}/{total} killed, {score:.1f}%  ({len(survivors)} left, "
              f"build/mutate/{module}/survivors.txt)", flush=True)
    print(f"\n{'module':<12}{'killed':>8}{'total':>8}{'score':>9}  target")
    for module, killed, total, score, verdict in rows:
        print(f"{module:<12}{killed:>8}{total:>8}{score:>9}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
