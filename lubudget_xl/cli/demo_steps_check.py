"""Demo step: the reviewer's check on the filled sample workbook, and its annotated copy."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

from lubudget_xl.issues import Severity


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def shorten(text: str, limit: int = 80) -> str:
    """A finding's message for a one-line example: whole up to `limit` characters, else cut at the
    last sentence or clause break before it (never inside a word's run of Chinese) and marked "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = max(head.rfind(mark) for mark in "。;;,,:: ")
    return (head[:cut] if cut >= limit // 2 else head).rstrip() + "…"


def step_check(context: dict) -> None:
    """Checks context["filled"] (else the sample text); writes the annotated copy and a JSON report."""
    import json

    from lubudget_xl.checking import check_file
    from lubudget_xl.fsutil import write_text_atomic

    out = Path(context["out"])
    filled = context.get("filled")
    if filled and importlib.util.find_spec("lubudget_xl.reader") is not None:
        source = Path(filled)
    else:
        source = Path(context["sample"])
        _say("  (尚无已填工作簿或工作簿读取功能,改为校验样例文本)")
    outcome = check_file(source)
    counts = Counter(i.severity for i in outcome.issues)
    codes = Counter(i.code for i in outcome.issues)
    _say(
        f"已校验 {source.name}:{len(outcome.projects)} 个项目,错误 {counts[Severity.ERROR]} 条,"
        f"警告 {counts[Severity.WARNING]} 条,提示 {counts[Severity.INFO]} 条。"
    )
    severity = {i.code: i.severity.rank for i in outcome.issues}
    for code, n in sorted(codes.items(), key=lambda kv: (-severity[kv[0]], -kv[1]))[:6]:
        example = next(i for i in outcome.issues if i.code == code)
        _say(f"  {code} ×{n},例:{example.project or ''} — {shorten(example.message)}")
    report = out / "校验结果.json"
    write_text_atomic(
        report,
        json.dumps({"files": [outcome.to_dict()], "issues": [i.to_dict() for i in outcome.issues]}, ensure_ascii=False, indent=1),
    )
    _say(f"问题清单(JSON):{report}")
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        from lubudget_xl.annotate_copy import write_annotated_copy
        from lubudget_xl.printing import demo_heading

        target, plan = write_annotated_copy(source, outcome.issues, out, heading=demo_heading())
        context["annotated"] = target
        _say(f"批注副本:{target}(首张工作表“校验结果”可点击跳转;{len(plan.marks)} 个单元格加了批注和底色,原文件未改动)")
    context["check"] = outcome
