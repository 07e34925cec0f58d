"""Demo step: roll the 2021 sample over into the 2022 template and show the report."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def step_rollover(context: dict) -> None:
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.loading import load_any
    from lubudget_xl.rollover import rollover
    from lubudget_xl.rollover.report import render_report, where_text
    from lubudget_xl.rollover.workbook import write_rollover_workbook

    out = Path(context["out"])
    sample = Path(context["sample"])
    source = load_any(sample).projects
    catalog = load_catalog("2022")
    result = rollover(source, catalog, 2022)
    target = out / "结转_2022.xlsx"
    write_rollover_workbook(result.projects, catalog, target, 2021)
    report = render_report(result, sources=[sample.name], to_year=2022, catalog_version=catalog.version)
    (out / "结转_2022_结转报告.txt").write_text(report, encoding="utf-8")
    counts = Counter(issue.code for issue in result.issues)
    _say(report.split("\n\n", 1)[0])
    _say(f"  顺延预算年度 {counts['ROLLOVER_YEAR_SHIFTED']} 处,可疑年份 {counts['ROLLOVER_YEAR_SUSPECT']} 处(未改动),"
         f"待确认的上年资金 {counts['ROLLOVER_FUNDS_CARRIED']} 处(已在工作簿中标注)")
    for issue in result.issues:
        if issue.code == "ROLLOVER_YEAR_SUSPECT":
            _say(f"  {where_text(issue.location)}:{issue.message}")
    moved = rollover(source, load_catalog("2022-101"), 2022)
    moved_rows = sum(1 for issue in moved.issues if issue.code == "ROLLOVER_ROW_MOVED")
    _say(f"  若改用101号目录(2022-101):{moved_rows} 行成本指标移到一级指标 成本指标/经济成本指标")
    _say(f"  工作簿 {target},报告 {out / '结转_2022_结转报告.txt'}")
    context["rolled"] = target
