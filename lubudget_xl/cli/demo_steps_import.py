"""Demo step: import the built-in sample (the seed text) into records JSON and say what it holds."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from lubudget_xl.loading import load_any


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def step_import(context: dict[str, Any]) -> None:
    from lubudget_xl.records import write_records  # jsonschema: loaded when the demo runs, not per command

    sample: Path = context["sample"]
    out: Path = context["out"]
    result = load_any(sample)
    projects = result.projects
    path = out / "records.json"
    write_records(projects, path)
    context["records"], context["records_path"] = projects, path

    skipped = sum(1 for i in result.issues if i.code == "IMPORT_SKIPPED_LINE")
    total = sum(p.funds.total or 0 for p in projects)
    _say(f"导入 {sample.name}:{len(projects)} 个项目,{result.rows_read} 行指标,跳过 {skipped} 行")
    _say(f"年度资金总额合计 {total:.1f} 万元(单位:{projects[0].department if projects else '-'},{projects[0].year if projects else '-'}年)")
    by_level: Counter[tuple[str, str]] = Counter((i.level1, i.level2) for p in projects for i in p.indicators)
    for level1 in dict.fromkeys(l1 for l1, _ in by_level):
        count = sum(n for (l1, _), n in by_level.items() if l1 == level1)
        parts = "、".join(f"{l2} {n}" for (l1, l2), n in by_level.items() if l1 == level1)
        _say(f"  {level1} {count} 行:{parts}")
    placeholders = [(p, i) for p in projects for i in p.indicators if i.parsed.placeholder]
    _say(f"未填写的占位值 {len(placeholders)} 处:")
    for project, ind in placeholders:
        _say(f"  第{ind.locations['row'].line}行 {project.name} / {ind.level3}:“{ind.value}”")
    _say(f"记录文件:{path}")
