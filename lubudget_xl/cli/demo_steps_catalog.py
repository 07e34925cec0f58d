"""Demo step: the year's indicator catalogue, and what changes under the 101号 tree."""

from __future__ import annotations

import sys

from lubudget_xl.catalog import load_catalog
from lubudget_xl.fsutil import write_text_atomic


def step_catalog(context: dict) -> None:
    """Loads the sample's catalogue into context["catalog"] and writes the 2021 → 101号 diff."""
    from lubudget_xl.catalog.diff import diff_catalogs, render_diff

    catalog = load_catalog("2021")
    context["catalog"] = catalog
    count = sum(len(catalog.suggestions(l2, l1)) for l1, l2 in catalog.pairs())
    print(
        f"指标目录 {catalog.version}:{len(catalog.level1_names())} 个一级指标、{len(catalog.pairs())} 个二级指标、"
        f"{count} 条建议三级指标(多数取自样例表)",
        file=sys.stderr,
    )
    newer = load_catalog("2022-101")
    report = diff_catalogs(catalog, newer, "2021", "2022-101")
    path = context["out"] / "catalog_diff_2021_to_2022-101.txt"
    write_text_atomic(path, render_diff(report))
    moved = "、".join(f"{'/'.join(m['old'])} → {'/'.join(m['new'])}" for m in report["level2"]["moved"])
    print(f"改用101号指标体系时:{moved};差异报告 {path}", file=sys.stderr)
