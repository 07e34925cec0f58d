"""Which built-in catalogue reads a table when the user named none: the form decides.

The year comes from the title (else 2021, the seed's year); the tree from the content: a table whose
grid names 101号's level twos under 成本指标 (经济成本指标, 社会成本指标, 生态环境成本指标) was made
for the 101号 tree, whatever its year's default catalogue is. Readers report the choice when the
content, not the year, made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from lubudget_xl.catalog.core import Catalog, builtin_names, load_catalog
from lubudget_xl.catalog.vocabulary import bare

# Level twos only the 101号 tree has: seeing one says the form uses that tree.
_TREE_101_MARKS = frozenset({"经济成本指标", "社会成本指标", "生态环境成本指标"})
DEFAULT_NAME = "2021"


@cache
def builtin(name: str) -> Catalog:
    """A built-in catalogue, loaded once per process (a batch of files shares it)."""
    return load_catalog(name)


def uses_tree_101(texts: Iterable[object]) -> bool:
    """True when any text is one of the level twos only the 101号 tree has."""
    return any(isinstance(t, str) and 4 <= len(t) <= 30 and bare(t) in _TREE_101_MARKS for t in texts)


def choose_catalog(year: int | None, tree_101: bool) -> tuple[Catalog, str | None]:
    """(catalogue, reason) — the reason is a Chinese sentence when the content chose the tree, else None.

    With `tree_101`, the 101号 catalogue of the year, else the latest one of an earlier year, else
    the earliest there is; without, the year's own catalogue, else 2021."""
    names = builtin_names()
    if tree_101:
        revised = sorted(n for n in names if n.endswith("-101"))
        own = f"{year}-101" if year else None
        earlier = [n for n in revised if year is None or int(n[:4]) <= year]
        pick = own if own in revised else (earlier[-1] if earlier else (revised[0] if revised else None))
        if pick is not None:
            return builtin(pick), (f"表中有“成本指标”下的经济成本/社会成本/生态环境成本指标(101号指标体系),"
                                   f"按内置指标目录 {pick} 读取")
    name = str(year) if year is not None and str(year) in names else DEFAULT_NAME
    return builtin(name), None
