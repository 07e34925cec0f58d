"""The same project written twice: one key per project, groups of copies, and near-identical names.

A department copies a project sheet and forgets to rename it; it resubmits a corrected file beside
the first; a unit's project is sent by the unit and again by its department. Each time the same
project would be counted twice. The key is the project's name and its 实施单位 (the department
when the unit is blank), both normalised: full-width letters and digits folded (NFKC), every space
removed, Latin letters case-folded. Names the key tells apart but a reader would not (one character
apart: 提高政策决策科学性 / 提高政府决策科学性) are only similar: a reviewer asks, nothing is dropped.
Numbers are not a typo: 第1批 / 第2批 are different projects.

Pure and stdlib only: `checking` uses it for one file, `consolidate.across` for a batch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

_NUMERALS = frozenset("0123456789〇零一二三四五六七八九十百千万两")
MIN_SIMILAR_LENGTH = 4  # shorter names (会议费, 培训费) differ by one character legitimately


def normalise(text: str | None) -> str:
    """Name or unit as the comparison sees it: NFKC, no whitespace at all, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def project_key(name: str | None, unit: str | None, department: str | None) -> tuple[str, str]:
    """(normalised name, normalised unit — the department's when no unit was written)."""
    return normalise(name), normalise(unit) or normalise(department)


def duplicate_groups(keys: Sequence[tuple[str, str]]) -> list[list[int]]:
    """Indices of `keys` that share a key, each group in input order; groups of one left out.
    Projects without a name are never duplicates of each other (the rules report the missing name)."""
    groups: dict[tuple[str, str], list[int]] = {}
    for index, key in enumerate(keys):
        if key[0]:
            groups.setdefault(key, []).append(index)
    return [members for members in groups.values() if len(members) > 1]


def _one_apart(a: str, b: str) -> bool:
    """One character substituted, inserted or deleted, and that character is not part of a number."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1 or a == b:
        return False
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        if a[start + 1 :] != b[start + 1 :]:
            return False
        return not (a[start] in _NUMERALS and b[start] in _NUMERALS)
    if a[start:] != b[start + 1 :]:
        return False
    return b[start] not in _NUMERALS


def similar_pairs(keys: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """(i, j), i < j: same unit, names one character apart (see `_one_apart`), neither shorter than
    MIN_SIMILAR_LENGTH. Candidates are found through one-deletion variants, unit by unit, so a batch
    of 50,000 projects is neither compared pairwise nor indexed all at once."""
    by_unit: dict[str, list[int]] = {}
    for index, (name, unit) in enumerate(keys):
        if len(name) >= MIN_SIMILAR_LENGTH:
            by_unit.setdefault(unit, []).append(index)
    pairs: set[tuple[int, int]] = set()
    for members in by_unit.values():
        if len(members) < 2:
            continue
        variants: dict[str, list[int]] = {}
        for index in members:
            name = keys[index][0]
            for variant in {name, *(name[:i] + name[i + 1 :] for i in range(len(name)))}:
                variants.setdefault(variant, []).append(index)
        for found in variants.values():
            for n, i in enumerate(found):
                for j in found[n + 1 :]:
                    if keys[i][0] != keys[j][0] and _one_apart(keys[i][0], keys[j][0]):
                        pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def differs_in_writing(names: Sequence[str | None]) -> bool:
    """Whether copies with one key are written differently (full-width, spaces): worth saying."""
    return len({name or "" for name in names}) > 1
