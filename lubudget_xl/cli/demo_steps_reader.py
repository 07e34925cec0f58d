"""Demo step: read the filled workbook back into records and show where each field was found."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _content(project) -> dict:
    d = project.to_dict()
    for key in ("locations", "source_file", "template"):
        d.pop(key)
    for ind in d["indicators"]:
        ind.pop("locations")
    return d


def step_read(context: dict) -> None:
    from lubudget_xl.reader import read_workbook

    filled = context.get("filled")
    if not filled:
        _say("  没有已填写的工作簿,跳过读取。")
        return
    result = read_workbook(Path(filled))  # the first call also loads the libraries; time the second
    start = time.perf_counter()
    result = read_workbook(Path(filled))
    elapsed = (time.perf_counter() - start) * 1000
    context["read"] = result
    info = result.template
    identity = f"模板 {info.template_id} {info.template_version},指标目录 {info.catalog_version}" if info else "无模板标识"
    _say(f"已读取 {Path(filled).name}:{len(result.projects)} 个项目、{result.rows_read} 行指标,"
         f"用时 {elapsed:.0f} 毫秒({identity})")
    _say("  按标签(项目名称、年度资金总额、一级指标……)定位,不依赖固定行列;插入行、复制工作表也能读取。")
    if result.projects:
        p = result.projects[0]
        ind = p.indicators[0] if p.indicators else None
        _say(f"  例:项目名称“{p.name}”位于 {p.location('name')},年度资金总额 {p.funds.total} 万元位于 "
             f"{p.location('funds.total')}")
        if ind:
            _say(f"      第一行指标“{ind.level3}”= {ind.value},位于 {ind.locations['value']}")
    records = context.get("records")
    if records:
        same = len(records) == len(result.projects) and all(
            _content(a) == _content(b) for a, b in zip(records, result.projects, strict=False)
        )
        _say("  与导入的记录逐字段比对:" + ("完全一致" if same else "存在差异(请查看问题清单)"))
    for issue in result.issues[:5]:
        _say(f"  [{issue.severity.label}] {issue.message}({issue.location})")
