"""Build the 项目支出绩效自评表 from last year's targets: one sheet per project (openpyxl).

Layout (columns A–I, the official 10号 form): title, (年度), 填报单位(盖章); 项目名称; 主管部门 |
实施单位; the 项目资金 block (年初预算数 · 全年预算数 · 全年执行数 · 分值 · 执行率 · 得分 by 年度资金总额 ·
其中:当年财政拨款 · 上年结转资金 · 其他资金); 年度总体目标 with 预期目标 beside 实际完成情况; the 绩效指标
grid pre-filled from the targets (一级/二级/三级指标, 年度指标值) with 实际完成值 · 分值 · 得分 ·
偏差原因分析及改进措施; 总分. Native formulas suggest each 得分 (the rules recompute it in Python);
hidden helper cells right of the print area hold each row's target number and direction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lubudget_xl.catalog import Catalog
from lubudget_xl.fsutil import write_bytes_atomic
from lubudget_xl.model import ProjectTarget
from lubudget_xl.rules import effective_settings
from lubudget_xl.selfeval.labels import LABELS, OPTIONS_SHEET, SOURCES_SHEET, TEMPLATE_ID
from lubudget_xl.selfeval.scoring import effective_sign, spread_weights
from lubudget_xl.template.determinism import workbook_bytes
from lubudget_xl.template.filler import clean_text
from lubudget_xl.template.layout import (
    BORDER,
    CENTER,
    FONT,
    FONT_BOLD,
    FONT_TITLE,
    LEFT,
    LEFT_TOP,
    NUMBER_FORMAT_FUNDS,
)
from lubudget_xl.template.names import safe_sheet_name
from lubudget_xl.template.sheet import protect
from lubudget_xl.values.types import REVERSE_SIGNS

LAYOUT_REVISION = 1
RATE_FORMAT = '0.00"％"'
UNLOCKED = Protection(locked=False)
WIDTHS = {"A": 10, "B": 11, "C": 14, "D": 22, "E": 16, "F": 14, "G": 8, "H": 9, "I": 24}
LAST_COL = 9  # I
HELPER_COLS = (11, 12, 13)  # hidden K: target number, L: 1 forward / -1 reverse, M: 1 on a percentage row
FUND_ROW0 = 6  # the block's heading row
GOAL_ROW = 11
GRID_HEAD = 13
GRADE_NAME, SHARE_NAME = "SE_grades", "SE_shares"
# 自评来源: one row per project sheet; its targets as one JSON cell, each [一级, 二级, 三级指标, 目标表文件,
# 工作表, 单元格, 行号] (one cell, not a row per indicator: read ~10x faster, and the sheet is hidden).
SOURCE_HEADINGS = ("自评表工作表", "绩效目标(JSON:一级指标、二级指标、三级指标、目标表文件、工作表、单元格、文本行号)")


def _put(ws: Worksheet, row: int, c1: int, c2: int, value=None, *, font=FONT, align=CENTER, unlocked=False, fmt=None,
         formula=False):
    for col in range(c1, c2 + 1):
        cell = ws.cell(row, col)
        cell.border, cell.font, cell.alignment = BORDER, font, align
        if unlocked:
            cell.protection = UNLOCKED
        if fmt:
            cell.number_format = fmt
    if c2 > c1:
        ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)
    if value is not None:
        anchor = ws.cell(row, c1)
        anchor.value = value
        if isinstance(value, str) and value.startswith("=") and not formula:
            anchor.data_type = "s"  # department text is never a formula


def _lines(text: object, width: float) -> int:
    """Printed lines of `text` in a column `width` characters wide (a Chinese character is two)."""
    size = sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text or ""))
    return max(1, -(-size // max(1, int(width) - 1)))


def _text(value: object) -> str:
    return clean_text(value or "").strip()


def _target_number(project: ProjectTarget, i: int, catalog: Catalog, cost_level2: set[str]) -> tuple[float | None, int, bool]:
    """The row's target as the formula compares it: number, direction (a cost row without a sign
    is reverse, as the rules score it), and whether the row is a percentage."""
    ind = project.indicators[i]
    parsed = ind.parsed
    if not parsed.quantified:
        return None, 1, False
    level1, level2 = catalog.canonical_levels(ind.level1, ind.level2)
    sign = effective_sign(parsed.sign, level2 in cost_level2 or level1 == "成本指标")
    percent = parsed.unit in ("%", "％", "百分比") and float(parsed.number) > 1.5  # type: ignore[arg-type]
    return float(parsed.number), (-1 if sign in REVERSE_SIGNS else 1), percent  # type: ignore[arg-type]


def score_formula(row: int) -> str:
    """Suggested 得分 of an indicator row: graded results by their band's top share, numbers by
    completion ratio against the helper target (K) in the row's direction (L), blank otherwise.
    On a percentage row (M) a typed 96% (0.96) counts as 96, as the Python scoring counts it."""
    g, k, lcol = f"G{row}", f"K{row}", f"L{row}"
    f = f"IF(AND(M{row}=1,F{row}<=1.5),F{row}*100,F{row})"
    quant = (f'IF(ISNUMBER({k}),IF({lcol}=-1,IF({f}<={k},1,IF({f}>0,{k}/{f},0)),'
             f'IF({k}>0,MIN({f}/{k},1),IF({f}>={k},1,0))),NA())')
    return (f'=IF(OR(F{row}="",{g}=""),"",IFERROR(ROUND({g}*IFERROR(INDEX({SHARE_NAME},MATCH(F{row},{GRADE_NAME},0)),'
            f'{quant}),2),""))')


def _header(ws: Worksheet, project: ProjectTarget, year: int | None) -> None:
    title = ws.cell(1, 1, LABELS["title"])
    title.font, title.alignment = FONT_TITLE, CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=LAST_COL)
    ws.row_dimensions[1].height = 30
    ws.cell(2, 1, f"({year}年度)" if year else "(年度)").font = FONT
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=LAST_COL)
    ws.cell(2, 1).alignment = CENTER
    ws.cell(3, 1, LABELS["department"]).font = FONT_BOLD
    ws.merge_cells("A3:B3")
    dept = ws.cell(3, 3, _text(project.department))
    dept.font, dept.alignment, dept.protection = FONT, LEFT, UNLOCKED
    ws.merge_cells("C3:I3")
    _put(ws, 4, 1, 1, LABELS["name"], font=FONT_BOLD)
    _put(ws, 4, 2, LAST_COL, _text(project.name), align=LEFT)
    _put(ws, 5, 1, 1, LABELS["competent_department"], font=FONT_BOLD)
    _put(ws, 5, 2, 5, _text(project.competent_department or project.department), align=LEFT, unlocked=True)
    _put(ws, 5, 6, 6, LABELS["unit"], font=FONT_BOLD)
    _put(ws, 5, 7, LAST_COL, _text(project.unit), align=LEFT, unlocked=True)


def _funds(ws: Worksheet, project: ProjectTarget, weight: float) -> None:
    r0 = FUND_ROW0
    _put(ws, r0, 1, 1, LABELS["funds"], font=FONT_BOLD)
    ws.merge_cells(start_row=r0, start_column=1, end_row=r0 + 4, end_column=1)
    _put(ws, r0, 2, 3)
    for col, key in zip(range(4, 10), ("initial", "budget", "executed", "weight", "rate", "score"), strict=True):
        _put(ws, r0, col, col, LABELS[key], font=FONT_BOLD)
    known = {"total": project.funds.total, "fiscal": project.funds.fiscal, "other": project.funds.other}
    for n, key in enumerate(("total", "fiscal", "carryover", "other"), start=1):
        row = r0 + n
        ws.cell(row, 1).border = BORDER
        _put(ws, row, 2, 3, LABELS[key], align=LEFT)
        initial = known.get(key)
        _put(ws, row, 4, 4, initial, unlocked=True, fmt=NUMBER_FORMAT_FUNDS)  # 年初预算数: last year's target
        _put(ws, row, 5, 5, None, unlocked=True, fmt=NUMBER_FORMAT_FUNDS)
        _put(ws, row, 6, 6, None, unlocked=True, fmt=NUMBER_FORMAT_FUNDS)
        if key == "total":
            _put(ws, row, 7, 7, weight)
            # 执行率 in percent (95.24), shown 95.24％: a full-width sign keeps the readers' percent scan
            # off these sheets (measured: a third of reading a self-evaluation); a typed fraction also works
            _put(ws, row, 8, 8, f'=IF(AND(ISNUMBER(E{row}),E{row}>0,ISNUMBER(F{row})),ROUND(F{row}/E{row}*100,2),"")',
                 unlocked=True, fmt=RATE_FORMAT, formula=True)
            _put(ws, row, 9, 9, f'=IF(OR(H{row}="",G{row}=""),"",ROUND(G{row}*MAX(MIN(IF(H{row}>1.5,H{row}/100,H{row}),1),0),2))',
                 unlocked=True, formula=True)
        else:
            for col in (7, 8, 9):
                _put(ws, row, col, col, "—")


def _goal(ws: Worksheet, project: ProjectTarget) -> None:
    r = GOAL_ROW
    _put(ws, r, 1, 1, LABELS["goal"], font=FONT_BOLD)
    ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
    ws.cell(r + 1, 1).border = BORDER
    _put(ws, r, 2, 5, LABELS["goal_target"], font=FONT_BOLD)
    _put(ws, r, 6, LAST_COL, LABELS["goal_actual"], font=FONT_BOLD)
    _put(ws, r + 1, 2, 5, _text(project.goal), align=LEFT_TOP)
    _put(ws, r + 1, 6, LAST_COL, None, align=LEFT_TOP, unlocked=True)
    ws.row_dimensions[r + 1].height = max(45, 15 * _lines(project.goal, sum(WIDTHS[c] for c in "BCDE")))


def _grid(ws: Worksheet, project: ProjectTarget, weights: list[float], options: DataValidation, catalog: Catalog,
          cost_level2: set[str]) -> int:
    head = GRID_HEAD
    _put(ws, head, 1, 1, LABELS["indicators"], font=FONT_BOLD)
    for col, key in enumerate(("level1", "level2", "level3", "value", "actual", "weight", "score", "reason"), start=2):
        _put(ws, head, col, col, LABELS[key], font=FONT_BOLD)
    rows = max(1, len(project.indicators))
    for i in range(rows):
        row = head + 1 + i
        ind = project.indicators[i] if i < len(project.indicators) else None
        ws.cell(row, 1).border = BORDER
        for col, value in enumerate((ind.level1, ind.level2, ind.level3, ind.value) if ind else ("", "", "", ""), start=2):
            _put(ws, row, col, col, _text(value) or None, align=LEFT if col >= 4 else CENTER)
        number, direction, percent = _target_number(project, i, catalog, cost_level2) if ind else (None, 1, False)
        _put(ws, row, 6, 6, None, align=LEFT, unlocked=True)  # 96% typed is 0.96 (Excel formats it itself)
        _put(ws, row, 7, 7, weights[i] if i < len(weights) else None)
        _put(ws, row, 8, 8, score_formula(row), unlocked=True, formula=True)
        _put(ws, row, 9, 9, None, align=LEFT, unlocked=True)
        if ind is not None:
            ws.row_dimensions[row].height = 15 * max(1, _lines(ind.level3, WIDTHS["D"]), _lines(ind.value, WIDTHS["E"]),
                                                     _lines(ind.level2, WIDTHS["C"]))
        ws.cell(row, HELPER_COLS[0], number)
        ws.cell(row, HELPER_COLS[1], direction)
        ws.cell(row, HELPER_COLS[2], 1 if percent else 0)
        if ind is not None and number is None:
            options.add(f"F{row}")
    last = head + rows
    if rows > 1:
        ws.merge_cells(start_row=head, start_column=1, end_row=last, end_column=1)
    total = last + 1
    _put(ws, total, 1, 6, LABELS["total_score"], font=FONT_BOLD)
    _put(ws, total, 7, 7, f"=G{FUND_ROW0 + 1}+SUM(G{head + 1}:G{last})", font=FONT_BOLD, formula=True)
    _put(ws, total, 8, 8, f'=ROUND(IF(ISNUMBER(I{FUND_ROW0 + 1}),I{FUND_ROW0 + 1},0)+SUM(H{head + 1}:H{last}),2)',
         font=FONT_BOLD, unlocked=True, formula=True)
    _put(ws, total, 9, 9)
    return total


def _finish(ws: Worksheet, total_row: int) -> None:
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    for col in ("K", "L", "M"):
        ws.column_dimensions[col].hidden = True
    ws.print_area = f"A1:I{total_row}"
    ws.print_title_rows = f"{GRID_HEAD}:{GRID_HEAD}"
    ps = ws.page_setup
    ps.paperSize, ps.orientation = ws.PAPERSIZE_A4, ws.ORIENTATION_PORTRAIT
    ps.fitToWidth, ps.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页,共 &N 页"
    ws.sheet_view.showGridLines = False
    protect(ws)


def _options_sheet(wb: Workbook, bands: Sequence[Sequence]) -> None:
    ws = wb.create_sheet(OPTIONS_SHEET)
    for n, (name, _low, high) in enumerate(bands, start=1):
        ws.cell(n, 1, str(name))
        ws.cell(n, 2, float(high) / 100)
    last = len(bands)
    wb.defined_names[GRADE_NAME] = DefinedName(GRADE_NAME, attr_text=f"'{OPTIONS_SHEET}'!$A$1:$A${last}")
    wb.defined_names[SHARE_NAME] = DefinedName(SHARE_NAME, attr_text=f"'{OPTIONS_SHEET}'!$B$1:$B${last}")
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _identity(wb: Workbook, catalog: Catalog, year: int) -> None:
    values = (("LubudgetTemplateId", TEMPLATE_ID), ("LubudgetYear", year),
              ("LubudgetCatalogVersion", catalog.version), ("LubudgetTemplateVersion", f"{year}.{LAYOUT_REVISION}"))
    ws = wb.create_sheet("模板信息")
    for n, (key, value) in enumerate(values, start=1):
        prop = IntProperty(name=key, value=value) if isinstance(value, int) else StringProperty(name=key, value=value)
        wb.custom_doc_props.append(prop)
        ws.cell(n, 1, key)
        ws.cell(n, 2, value)
    ws.cell(6, 1, "本表记录自评表身份,供校验和汇总识别年度与版本,请勿修改。")
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def build_selfeval(projects: Sequence[ProjectTarget], catalog: Catalog) -> Workbook:
    """A workbook with one 绩效自评表 sheet per project, the hidden sources, options and identity."""
    settings = effective_settings(catalog)
    wb = Workbook()
    wb.remove(wb.active)
    _options_sheet(wb, settings["selfeval_qualitative"])
    sources = wb.create_sheet(SOURCES_SHEET, 0)
    sources.append(SOURCE_HEADINGS)
    weights_map, groups = settings["selfeval_weights"], settings["selfeval_weight_groups"]
    year = next((p.year for p in projects if p.year), catalog.year)
    for n, project in enumerate(projects, start=1):
        ws = wb.create_sheet(safe_sheet_name(project.name or f"项目{n}", wb.sheetnames), n - 1)
        levels = [catalog.canonical_levels(i.level1, i.level2)[0] or i.level1 for i in project.indicators]
        weights = spread_weights(levels, weights_map, groups)
        options = DataValidation(type="list", formula1=GRADE_NAME, allow_blank=True)
        options.showErrorMessage = False  # a number or words are accepted too; the rules judge them
        options.prompt, options.promptTitle, options.showInputMessage = "定性指标请选择完成档次", "填写提示", True
        ws.add_data_validation(options)
        _header(ws, project, project.year or year)
        _funds(ws, project, float(weights_map.get("预算执行率", 0)))
        _goal(ws, project)
        total = _grid(ws, project, weights, options, catalog, set(settings["cost_level2"]))
        _finish(ws, total)
        targets = []
        for ind in project.indicators:
            loc = ind.locations.get("value") or ind.locations.get("row") or project.location("name")
            targets.append([ind.level1, ind.level2, ind.level3, Path(loc.file).name, loc.sheet, loc.cell, loc.line])
        sources.append((ws.title, json.dumps(targets, ensure_ascii=False, separators=(",", ":"))))
    sources.sheet_state = "hidden"
    sources.protection.sheet = True
    _identity(wb, catalog, int(year))
    wb.active = 1 if projects else 0
    return wb


def write_selfeval(projects: Sequence[ProjectTarget], catalog: Catalog, path: str | os.PathLike[str]) -> Path:
    """Write the self-evaluation workbook atomically (deterministic bytes, dated 1 January after the year)."""
    path = Path(path)
    year = next((p.year for p in projects if p.year), catalog.year)
    write_bytes_atomic(path, workbook_bytes(build_selfeval(projects, catalog), datetime(int(year) + 1, 1, 1)))
    return path
