"""Demo step: the 2021 targets become the 项目支出绩效自评表, a department fills it, the rules score
and check it, and a bureau's inbox of self-evaluations is consolidated (财预〔2020〕10号)."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def step_selfeval(context: dict) -> None:
    import openpyxl

    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.checking import check_file
    from lubudget_xl.consolidate import consolidate
    from lubudget_xl.consolidate.frames import build_frames
    from lubudget_xl.consolidate.master import write_master
    from lubudget_xl.loading import load_any
    from lubudget_xl.rules import RuleContext
    from lubudget_xl.selfeval.form import write_selfeval
    from lubudget_xl.selfeval.samples import fill_workbook_met, write_selfeval_batch
    from lubudget_xl.selfeval.summary import summarize

    out: Path = context["out"] / "绩效自评"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    catalog = load_catalog("2021")
    targets = load_any(context["sample"], catalog).projects
    form = write_selfeval(targets, catalog, out / "自评表_2021.xlsx")
    rows = sum(len(p.indicators) for p in targets)
    _say(f"由 2021 年绩效目标生成自评表:{len(targets)} 个项目、{rows} 行指标,分值按 预算执行率 10、产出 50、"
         f"效益 30、满意度 10 分配到各行:{form}")
    # A department's filled copy: most targets met, a few missed (with and without a reason), one over-scored.
    wb = openpyxl.load_workbook(form)
    fill_workbook_met(wb, catalog, rate=0.96, miss=lambda sheet, i: 0.75 if i in (1, 4) else None)
    first = wb.sheetnames[0]
    wb[first]["H17"] = 12  # 得分 above its 分值 of 10
    filled = out / "自评表_已填.xlsx"
    wb.save(filled)
    outcome = check_file(filled)
    codes = Counter(i.code for i in outcome.issues)
    _say(f"校验填好的自评表:{len(outcome.issues)} 条问题(" + "、".join(f"{c} {n}" for c, n in codes.items()) + ")")
    ctx = RuleContext.create(outcome.catalog)
    for project in outcome.projects[:3]:
        s = summarize(project, ctx)
        _say(f"  {project.name}:执行率 {s.rate * 100:.2f}%,自评总分 {s.stated_total},复核得分 {s.computed_total}"
             f"({s.grade}),未达成指标 {s.missed} 行")
    # The bureau's inbox: 12 departments' self-evaluations and the filled copy, consolidated.
    inbox = out / "自评报送"
    write_selfeval_batch(inbox, 12, targets, catalog, start=1)  # department 0 is the sample's own
    shutil.copy(filled, inbox / "样例_自评表_已填.xlsx")
    master = out / "自评汇总表.xlsx"
    with consolidate([inbox], jobs=2) as result:
        written = write_master(result, build_frames(result), master)
    grades = Counter(r[8] for r in openpyxl.load_workbook(master, read_only=True)["自评汇总"].iter_rows(
        min_row=2, values_only=True) if r[0] != "合计")
    _say(f"汇总 {len(result.outcomes)} 份自评表:自评汇总 {written['自评汇总']} 个项目、自评部门汇总 "
         f"{written['自评部门汇总']} 个部门;等级 " + "、".join(f"{g} {grades.get(g, 0)}" for g in "优良中差")
         + f";校验问题 {written['校验问题']} 条:{master}")
