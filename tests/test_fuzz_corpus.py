"""Issue 13, the fast subset of the fuzzing suite (benchmarks/fuzz.py runs 5,000 and more): seeded
mutants of .xlsx, .xls and .ods forms, each checked as `lubudget check` does in an isolated
worker. None may abort or kill its worker, hang, exhaust memory, raise a traceback of ours, or
answer with a library's English."""

from __future__ import annotations

from fuzzing import MUTATORS, check_mutants, table, write_mutants


def test_seeded_mutants_end_in_a_reading_or_a_chinese_refusal(tmp_path):
    mutants = write_mutants(tmp_path, 160, seed=2026, heavy=False)
    assert {(m.seed, m.mutator) for m in mutants} == {(k, n) for k, ms in MUTATORS.items() for n in ms}
    counts, examples = check_mutants(mutants, jobs=2, seconds=120)
    bad = {k: [(m.path.name, d[-300:]) for m, d in v[:3]] for k, v in examples.items() if k not in ("read", "refused")}
    assert not bad, f"{table(counts, len(mutants))}\n{bad}"
    assert counts["read"] and counts["refused"] and sum(counts.values()) == len(mutants)


def test_the_same_seed_gives_the_same_mutants(tmp_path):
    first = [m.path.read_bytes() for m in write_mutants(tmp_path / "a", 24, seed=5, heavy=False)]
    again = [m.path.read_bytes() for m in write_mutants(tmp_path / "b", 24, seed=5, heavy=False)]
    other = [m.path.read_bytes() for m in write_mutants(tmp_path / "c", 24, seed=6, heavy=False)]
    assert first == again and first != other
