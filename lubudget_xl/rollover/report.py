"""The rollover report a department reads: per project, what was carried, moved, shifted or left."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lubudget_xl.model import Location
from lubudget_xl.rollover.core import RolloverResult

TOPICS = {
    "ROLLOVER_FUNDS_CARRIED": "资金沿用上年待确认",
    "ROLLOVER_YEAR_SHIFTED": "预算年度已顺延",
    "ROLLOVER_YEAR_SUSPECT": "可疑年份未改动",
    "ROLLOVER_ROW_MOVED": "指标按新目录移动",
    "ROLLOVER_ROW_UNMAPPED": "指标在新目录中无对应",
    "ROLLOVER_NOT_CARRIED": "未结转的项目",
    "ROLLOVER_ATTRIBUTE_UNKNOWN": "项目属性不明",
}


def where_text(location: Location) -> str:
    """File name and line or sheet!cell: the folder the source sat in means nothing to the reader."""
    name = Path(location.file).name
    if location.sheet:
        return f"{name} {location.sheet}!{location.cell or ''}".rstrip("!")
    return f"{name} 第{location.line}行" if location.line else name


def render_report(result: RolloverResult, *, sources: list[str], to_year: int, catalog_version: str) -> str:
    outcomes = result.outcomes
    carried = [o for o in outcomes if o.carried]
    rows_in = sum(o.rows_in for o in outcomes)
    rows_out = sum(o.rows_out for o in carried)
    rows_left = sum(o.rows_in for o in outcomes if not o.carried)
    lines = [
        f"结转报告:结转到 {to_year} 年(指标目录 {catalog_version})",
        f"来源:{'、'.join(sources)}",
        f"项目 {len(outcomes)} 个:结转 {len(carried)} 个,未结转 {len(outcomes) - len(carried)} 个;"
        f"指标 {rows_in} 行:结转 {rows_out} 行,随未结转项目列出 {rows_left} 行。",
    ]
    counts = Counter(issue.code for issue in result.issues)
    if counts:
        lines.append("事项:" + ",".join(f"{TOPICS.get(code, code)} {n} 处" for code, n in sorted(counts.items())))
    for outcome in outcomes:
        status = "结转" if outcome.carried else "未结转"
        lines.append("")
        lines.append(f"[{status}] {outcome.name}({outcome.reason};指标 {outcome.rows_in} 行)")
        for issue in outcome.issues:
            lines.append(f"  {issue.severity.label} {where_text(issue.location)}:{issue.message}")
    return "\n".join(lines) + "\n"
