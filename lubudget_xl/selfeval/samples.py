"""Filled self-evaluations, for the demo, the benchmark and the tests: what departments send back.

`fill_workbook_met` fills a built 自评表 the way a department would: the year's budget and spending,
实际完成情况, each row's 实际完成值 (the target itself where the target is a number, 达成年度指标
otherwise), 得分 and 总分 typed over the suggestions. `miss` lowers chosen rows to a share of their
target (with a reason on every other one), so a batch carries real findings. `write_selfeval_batch`
builds a few such workbooks once and copies them with each department's own name (rewriting the
shared strings only), as `consolidate.samples.write_workbook_batch` does for targets.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from lubudget_xl.catalog import Catalog
from lubudget_xl.consolidate.samples import department_name, rename_in_xml
from lubudget_xl.model import ProjectTarget
from lubudget_xl.rules import effective_settings
from lubudget_xl.selfeval.form import FUND_ROW0, GOAL_ROW, GRID_HEAD, build_selfeval
from lubudget_xl.selfeval.labels import LABELS, OPTIONS_SHEET, SOURCES_SHEET
from lubudget_xl.selfeval.scoring import effective_sign, score_quantitative
from lubudget_xl.values import parse_value

MET = "达成年度指标"
_PLACEHOLDER = "自评单位{k}"
Miss = Callable[[str, int], float | None]  # (sheet, row index) → share of the target reached, None: met


def project_sheets(wb: Workbook) -> list[str]:
    return [n for n in wb.sheetnames if n not in (SOURCES_SHEET, OPTIONS_SHEET, "模板信息")]


def fill_workbook_met(wb: Workbook, catalog: Catalog, rate: float = 0.95, miss: Miss | None = None) -> None:
    """Fill every project sheet of a workbook from `build_selfeval` (in place)."""
    settings = effective_settings(catalog)
    exec_weight = float(settings["selfeval_weights"].get("预算执行率", 0))
    cost_level2 = set(settings["cost_level2"])
    for name in project_sheets(wb):
        ws = wb[name]
        r = FUND_ROW0 + 1
        budget = float(ws.cell(r, 4).value or 0)
        ws.cell(r, 5).value = budget
        ws.cell(r, 6).value = round(budget * rate, 4)
        ws.cell(r, 8).value = rate
        total = ws.cell(r, 9).value = round(exec_weight * min(rate, 1), 2)
        ws.cell(GOAL_ROW + 1, 6).value = "年度目标已按计划完成。"
        row = GRID_HEAD + 1
        while ws.cell(row, 1).value != LABELS["total_score"] and ws.cell(row, 4).value is not None:
            weight = float(ws.cell(row, 7).value or 0)
            target = parse_value(ws.cell(row, 5).value or "")
            share = miss(name, row - GRID_HEAD - 1) if miss else None
            level1, level2 = catalog.canonical_levels(ws.cell(row, 2).value or "", ws.cell(row, 3).value or "")
            percent = target.unit in ("%", "％", "百分比")
            if target.quantified:
                number = float(target.number)  # type: ignore[arg-type]
                sign = effective_sign(target.sign, level2 in cost_level2 or level1 == "成本指标")
                reverse = sign in ("≤", "＜")
                actual = number if share is None else (number / share if reverse else number * share)
                actual = round(actual, 2)
                score = score_quantitative(sign, number, actual, weight).high
                ws.cell(row, 6).value = actual / 100 if percent else actual
            else:
                grade = MET if share is None else "部分达成年度指标并具有一定效果"
                score = weight if share is None else round(weight * 0.7, 2)
                ws.cell(row, 6).value = grade
            ws.cell(row, 8).value = score
            if share is not None and row % 2 == 0:
                ws.cell(row, 9).value = "受年度内工作安排调整影响,部分任务顺延至下年度完成。"
            total += score
            row += 1
        ws.cell(row, 8).value = round(total, 2)


# Per base: every n-th row missed, and the share of its target reached (grades 优, 良, 中 in turn).
BASE_MISSES = ((5, 0.8), (3, 0.5), (2, 0.3))


def write_selfeval_batch(
    folder: str | Path, files: int, projects: Sequence[ProjectTarget], catalog: Catalog, bases: int = 3,
    start: int = 0,
) -> list[Path]:
    """`files` filled self-evaluation workbooks, one per department (department_name(start + i)).

    Base k misses rows as BASE_MISSES[k % 3] says; the copies differ by department only, so each
    file's findings and scores are those of its base."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    parts_of = []
    for k in range(min(bases, files)):
        renamed = [_with_department(p, _PLACEHOLDER.format(k=k)) for p in projects]
        wb = build_selfeval(renamed, catalog)
        period, share = BASE_MISSES[k % len(BASE_MISSES)]
        fill_workbook_met(wb, catalog, rate=0.98 - 0.05 * k,
                          miss=lambda _s, i, p=period, s=share: s if i % p == p - 1 else None)
        raw = io.BytesIO()
        wb.save(raw)
        with zipfile.ZipFile(raw) as z:
            parts_of.append((k, [(info, z.read(info)) for info in z.infolist()]))
    written = []
    for i in range(files):
        department = department_name(start + i)
        k, parts = parts_of[i % len(parts_of)]
        target = folder / f"{i + 1:04d}_{department}_自评.xlsx"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in parts:
                if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml":
                    data = rename_in_xml(data.decode("utf-8"), _PLACEHOLDER.format(k=k), department).encode("utf-8")
                out.writestr(info, data)
        written.append(target)
    return written


def _with_department(project: ProjectTarget, department: str) -> ProjectTarget:
    copy = ProjectTarget.from_dict(project.to_dict())
    copy.department = department
    copy.competent_department = department
    copy.unit = f"{department}本级"  # the same project of another unit is another project, not a duplicate
    return copy

