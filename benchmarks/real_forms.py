"""Recall on real published forms: every fixture of tests/fixtures/real read with load_any.

Run from the repository root: .venv/bin/python benchmarks/real_forms.py [-v] [SLUG_PART ...]
Prints, per source file (the published text and the workbooks rebuilt from it), the fields read right
against the hand-written expectation, then the totals per field kind and per source type, the
negatives (non-forms) correctly refused, the silent losses (a source read with fewer indicator rows
than the form prints and no error finding) and the sources read with more rows than the form prints.
-v lists every miss. It is a measurement: exit status 0.
"""

from __future__ import annotations

import sys
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from real_corpus import FIELD_KINDS, Score, compare, fixtures, read_and_compare  # noqa: E402

from lubudget_xl.errors import UserError  # noqa: E402

SHORT = {
    "name": "name",
    "department": "dept",
    "unit": "unit",
    "year": "year",
    "funds.total": "total",
    "funds.fiscal": "fisc",
    "funds.other": "other",
    "goal": "goal",
    "level1": "L1",
    "level2": "L2",
    "level3": "L3",
    "value": "value",
}


def _pct(right: int, expected: int) -> str:
    return f"{100 * right / expected:5.1f}%" if expected else "    -"


def _short(error: str | None, width: int = 70) -> str:
    """An error message without the file path it starts with, on one line."""
    text = (error or "").replace("\n", " ")
    if ": " in text and text.split(": ", 1)[0].endswith((".txt", ".xlsx", ".xls", ".ods")):
        text = text.split(": ", 1)[1]
    return text[:width]


def _read(path: Path, expected: dict) -> Score:
    """Score one source; an exception other than UserError is a crash, reported and scored as 0."""
    try:
        return read_and_compare(path, expected)
    except Exception as exc:  # a measurement must survive a reader's crash and say so
        score = Score(source=path.name, target=expected["kind"] == "target")
        score.error = f"CRASH {type(exc).__name__}: {exc}"
        score.misses.append("".join(traceback.format_exception_only(exc)).strip())
        if score.target:
            crashed = compare(UserError(score.error), expected, source=path.name)
            crashed.error = score.error
            return crashed
        return score


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    wanted = [a for a in argv if not a.startswith("-")]
    corpus = [f for f in fixtures() if not wanted or any(w in f.slug for w in wanted)]
    totals: dict[str, Counter] = {"text": Counter(), "workbook": Counter()}
    expected_totals: dict[str, Counter] = {"text": Counter(), "workbook": Counter()}
    negatives: list[tuple[str, Score, str]] = []
    silent: list[Score] = []
    all_scores: list[tuple[str, Score]] = []
    crashes = 0
    print(f"{'source':<58} {'proj':>5} {'rows':>7} {'fields':>9} {'recall':>7}  note")
    for fx in corpus:
        for path in fx.sources:
            score = _read(path, fx.expected)
            all_scores.append((path.name, score))
            if score.error and score.error.startswith("CRASH"):
                crashes += 1
            if not fx.is_target:
                negatives.append((path.name, score, fx.expected["refusal"]))
                continue
            kind = "text" if path.suffix == ".txt" else "workbook"
            totals[kind].update(score.right)
            expected_totals[kind].update(score.expected)
            if score.silent_loss:
                silent.append(score)
            note = _short(score.error) or (
                "SILENT LOSS: fewer rows, no error finding" if score.silent_loss else ""
            )
            print(
                f"{path.name:<58} {score.projects_read:>2}/{score.projects_expected:<2} "
                f"{score.rows_read:>3}/{score.rows_expected:<3} "
                f"{score.fields_right:>4}/{score.fields_expected:<4} "
                f"{_pct(score.fields_right, score.fields_expected)}  {note}"
            )
            if verbose:
                for miss in score.misses:
                    print(f"      {miss}")
    print()
    print("Recall per field kind (fields read right / fields expected)")
    header = f"{'':<10}" + "".join(f"{SHORT[k]:>12}" for k in FIELD_KINDS) + f"{'all':>14}"
    print(header)
    for kind in ("text", "workbook", "all"):
        right = totals["text"] + totals["workbook"] if kind == "all" else totals[kind]
        want = (
            expected_totals["text"] + expected_totals["workbook"] if kind == "all" else expected_totals[kind]
        )
        cells = "".join(f"{f'{right[k]}/{want[k]}':>12}" for k in FIELD_KINDS)
        r, w = sum(right.values()), sum(want.values())
        print(f"{kind:<10}{cells}{f'{r}/{w}':>14}")
        print(
            f"{'':<10}" + "".join(f"{_pct(right[k], want[k]):>12}" for k in FIELD_KINDS) + f"{_pct(r, w):>14}"
        )
    print()
    refused = sum(1 for _, s, _ in negatives if s.refused)
    named = [s.names_the_refusal(why) for _, s, why in negatives]
    print(f"Negatives correctly refused: {refused}/{len(negatives)}", end="")
    print(
        f"; refused with a message that says what they are: {sum(1 for n in named if n)}/{sum(1 for n in named if n is not None)}"
    )
    for name, score, why in negatives:
        verdict = (
            "refused"
            if score.refused
            else f"ACCEPTED ({score.projects_read} projects, {score.rows_read} rows)"
        )
        message = _short(score.error)
        print(f"  {name:<56} {why:<20} {verdict}  {message}")
    print(
        f"\nSilent losses (fewer indicator rows than printed, no error finding, exit 0): {len(silent)} sources"
    )
    for score in silent:
        print(f"  {score.source:<56} {score.rows_read}/{score.rows_expected} rows")
    extra = [(n, s) for n, s in all_scores if s.target and s.rows_read > s.rows_expected]
    print(
        f"\nMore indicator rows read than the form prints (spurious rows; a truncated excerpt may add one): {len(extra)} sources"
    )
    for name, score in extra:
        print(f"  {name:<56} {score.rows_read}/{score.rows_expected} rows")
    if crashes:
        print(f"\nReader crashes (exceptions other than UserError): {crashes}")
    return 0


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception:  # the benchmark measures; it never fails the caller
        traceback.print_exc()
    sys.exit(0)
