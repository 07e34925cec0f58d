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
import ast
import difflib
import json
import os
import random
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
        ["tests/test_values.py", "tests/test_values_amounts.py"],
        90.0,
    ),
    "rules": (
        ["lubudget_xl/rules/*"],
        ["tests/test_rules_cases.py", "tests/test_rules_registry.py", "tests/test_rules_robust.py",
         "tests/test_rules_docs.py", "tests/test_check_seed.py", "tests/test_selfeval_scoring.py",
         "tests/test_mut_rules.py"],
        90.0,
    ),
    "across": (
        ["lubudget_xl/consolidate/across.py"],
        ["tests/test_consolidate_across.py", "tests/test_duplicates.py", "tests/test_mut_across.py"],
        80.0,
    ),
    "grid": (
        ["lubudget_xl/reader/grid.py"],
        ["tests/test_reader_layout.py", "tests/test_reader_roundtrip.py", "tests/test_reader_form_shapes.py",
         "tests/test_real_forms_workbooks.py", "tests/test_mut_reader.py"],
        80.0,
    ),
    "layout": (
        ["lubudget_xl/reader/layout.py"],
        ["tests/test_reader_layout.py", "tests/test_reader_roundtrip.py", "tests/test_reader_form_shapes.py",
         "tests/test_real_forms_workbooks.py", "tests/test_mut_reader.py"],
        80.0,
    ),
    "textimport": (
        ["lubudget_xl/textimport/*"],
        ["tests/test_textimport_robust.py", "tests/test_textimport_seed.py", "tests/test_textimport_variants.py",
         "tests/test_textimport_layouts.py", "tests/test_textimport_findings.py", "tests/test_textimport_real_layouts.py",
         "tests/test_textimport_other_forms.py", "tests/test_textimport_real_grids.py", "tests/test_mut_textimport.py"],
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
        "also_copy =\n    docs\n"  # tests compare docs/rules.md with the rules' docstrings
        f"only_mutate ={lines(only)}\n"
        f"pytest_add_cli_args_test_selection ={lines(tests)}\n"
        # Property tests (hundreds of generated examples) and LibreOffice runs would cost seconds per
        # mutant on a shared 2-core machine; the example-based tests are what a mutant must fail.
        "pytest_add_cli_args =\n    -q\n    -p\n    no:cacheprovider\n    -m\n    not hypothesis and not libreoffice\n"
        # It counts the lines of the source files: mutmut's copies are ten times longer.
        "    --deselect\n    tests/test_rules_registry.py::test_rule_modules_are_small\n"
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
    shutil.copytree(ROOT / "docs", work / "docs")
    present = [t for t in tests if (ROOT / t).exists()]
    (work / "setup.cfg").write_text(_config(only, present), encoding="utf-8")
    return work


def _mutmut(work: Path, *args: str, log: Path) -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    env = dict(os.environ, CI="1", PYTHONHASHSEED="0")
    with log.open("w", encoding="utf-8") as out:
        return subprocess.run([str(mutmut), *args], cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT).returncode


def _codes(module: str) -> dict[str, int | None]:
    """Every mutant of the module's runs and its last exit code (None: not tested yet).

    mutmut forgets every result when its configuration changes (a test file added to the module's
    list for `--again`), so the results are also kept in build/mutate/<module>/results.json: a
    mutant tested once keeps its last code until it is tested again (a fresh run starts a new file)."""
    codes: dict[str, int | None] = {}
    for meta in sorted((BUILD / module / "mutants").rglob("*.py.meta")):
        codes.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    ledger = BUILD / module / "results.json"
    kept = json.loads(ledger.read_text(encoding="utf-8")) if ledger.exists() else {}
    kept.update({name: code for name, code in codes.items() if code is not None})
    if kept:
        ledger.write_text(json.dumps(kept, indent=0, sort_keys=True), encoding="utf-8")
    return {name: kept.get(name, code) for name, code in codes.items()}


def run(module: str, again: bool = False, sample: int | None = None) -> int:
    """Test a module's mutants: all of them in a fresh copy; with `again`, the last run's survivors
    (and untested ones) with the current tests; with `sample`, N of the untested mutants drawn with a
    fixed seed (the score is then an estimate over the mutants tested)."""
    work = BUILD / module
    if (again or sample) and (work / "mutants").exists():
        shutil.rmtree(work / "tests")
        shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        only, tests, _ = MODULES[module]  # the module's test list may have grown since the first run
        (work / "setup.cfg").write_text(_config(only, [t for t in tests if (ROOT / t).exists()]), encoding="utf-8")
    else:
        work = prepare(module)
    log = work / "mutmut.log"
    names: list[str] = []
    if again or sample:
        if not _codes(module):  # generate the mutants (and the test map) without testing any
            _mutmut(work, "run", "--max-children", "1", "nothing.matches.this*", log=work / "generate.log")
        codes = _codes(module)
        if again:
            names += [n for n, c in codes.items() if c is not None and c not in KILLED | SKIPPED]
        if sample:
            untested = sorted(n for n, c in codes.items() if c is None)
            names += random.Random(0).sample(untested, min(sample, len(untested)))
        if not names:
            return 0
    what = f", {len(names)} mutants" if names else ""
    print(f"== {module}: mutmut in {work.relative_to(ROOT)}{what}", flush=True)
    code = _mutmut(work, "run", "--max-children", "1", *names, log=log)
    if code != 0:
        print(f"   mutmut exited {code}; see {log.relative_to(ROOT)}", flush=True)
    return code


def report(module: str) -> tuple[int, int, int, list[str]] | None:
    """(killed, tested, all mutants, survivors) of a module's last runs, from mutmut's .meta files."""
    codes = _codes(module)
    if not codes:
        return None
    killed = tested = 0
    survivors: list[str] = []
    for name, code in sorted(codes.items()):
        if code is None or code in SKIPPED:
            continue
        tested += 1
        if code in KILLED:
            killed += 1
        else:
            status = "survived" if code in SURVIVED else "no tests" if code in NO_TESTS else f"exit {code}"
            survivors.append(f"{name}\t{status}")
    (BUILD / module / "survivors.txt").write_text("".join(s + "\n" for s in survivors), encoding="utf-8")
    return killed, tested, len(codes), survivors


def _functions(path: Path) -> dict[str, str]:
    """Name → source of every function in one of mutmut's mutated files (its originals and mutants)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = "".join(lines[node.lineno - 1:node.end_lineno])
    return found


def show(module: str) -> None:
    """Write each survivor's diff into build/mutate/<module>/survivors.diff, read from mutmut's
    mutated files (`mutmut show` per mutant costs a second each)."""
    work = BUILD / module
    files: dict[str, dict[str, str]] = {}
    diffs = []
    for line in (work / "survivors.txt").read_text(encoding="utf-8").splitlines():
        name, status = line.split("\t")
        dotted, _, function = name.rpartition(".x")  # lubudget_xl.rules.cost.x__parts__mutmut_4
        path = work / "mutants" / (dotted.replace(".", "/") + ".py")
        if not path.exists():
            path = path.with_suffix("") / "__init__.py"
        if str(path) not in files:
            files[str(path)] = _functions(path)
        functions = files[str(path)]
        mutant = "x" + function  # a method is xǁClassǁname__mutmut_N
        original = mutant.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"
        before, after = functions.get(original, ""), functions.get(mutant, "").replace(mutant, original)
        diff = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                    f"{dotted}: {original}", name, n=1)
        diffs.append(f"# {name} ({status})\n" + "".join(diff))
    (work / "survivors.diff").write_text("\n".join(diffs), encoding="utf-8")
    print(f"   {module}: {len(diffs)} diffs in build/mutate/{module}/survivors.diff")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"some of: {' '.join(MODULES)} (default: all)")
    parser.add_argument("--report", action="store_true", help="only print the scores of the last runs")
    parser.add_argument("--again", action="store_true", help="re-test the survivors of the last runs")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="test N untested mutants drawn with a fixed seed (an estimate, when time is short)")
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
        if not args.report and run(module, again=args.again, sample=args.sample) != 0:
            failed = True
        result = report(module)
        if result is None:
            rows.append((module, "-", "-", "-", "not run", ""))
            failed = True
            continue
        killed, tested, total, survivors = result
        score = 100.0 * killed / tested if tested else 0.0
        target = MODULES[module][2]
        verdict = "ok" if score >= target else f"below {target:.0f}%"
        if tested < total:
            verdict += f" (estimate: {total - tested} mutants not tested)"
        failed |= score < target or tested < total
        rows.append((module, str(killed), str(tested), str(total), f"{score:.1f}%", verdict))
        print(f"   {module}: {killed}/{tested} killed, {score:.1f}%  ({len(survivors)} left, "
              f"build/mutate/{module}/survivors.txt)", flush=True)
    print(f"\n{'module':<12}{'killed':>8}{'tested':>8}{'mutants':>9}{'score':>9}  target")
    for module, killed, tested, total, score, verdict in rows:
        print(f"{module:<12}{killed:>8}{tested:>8}{total:>9}{score:>9}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
