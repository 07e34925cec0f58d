"""Self-evaluation workbook grids → `SelfEvaluation` records, with the A1 cell of every field.

Fields are found by their labels (`LABELS`, `VARIANTS`), never by fixed positions: a sheet holds
one or more tables, each starting at a 项目名称 row; the 项目资金 block by its heading row (年初预算数
· 全年预算数 · 全年执行数 · 分值 · 执行率 · 得分, any order and subset), the 年度总体目标 by 预期目标 /
实际完成情况, the grid by its heading row (一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分,
偏差原因…), ending at 总分. Our own form and the common published 10号 layout read alike. The hidden
自评来源 sheet (written by the builder) says where each target indicator came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from lubudget_xl.annotations import RESULT_SHEET
from lubudget_xl.catalog import Catalog
from lubudget_xl.errors import UserError
from lubudget_xl.model import Funds, Indicator, Location
from lubudget_xl.read_result import ReadResult
from lubudget_xl.reader.cells import UncalculatedFormula, a1, cell_text, label_key
from lubudget_xl.reader.grid import _parsed
from lubudget_xl.reader.identity import INFO_SHEET, identity_values, template_info
from lubudget_xl.selfeval.labels import LABELS, OPTIONS_SHEET, SOURCES_SHEET, VARIANTS
from lubudget_xl.selfeval.model import FundExecution, IndicatorResult, SelfEvaluation, TargetRef
from lubudget_xl.values import parse_amount

__all__ = ["LABELS", "read_selfeval_sheets"]

_NOT_PROJECTS = (INFO_SHEET, RESULT_SHEET, SOURCES_SHEET, OPTIONS_SHEET)
_YEAR = re.compile(r"(20\d\d)\s*年")
Grid = Sequence[Sequence[Any]]


def _keys(field: str) -> set[str]:
    return {label_key(t) for t in (LABELS[field], *VARIANTS.get(field, ()))}


_FUND_HEADS = {f: _keys(f) for f in ("initial", "budget", "executed", "weight", "rate", "score")}
_FUND_ROWS = {f: _keys(f) for f in ("total", "fiscal", "carryover", "other")}
_GRID_HEADS = {f: _keys(f) for f in ("level1", "level2", "level3", "value", "actual", "weight", "score", "reason")}
_SINGLE = {f: _keys(f) for f in ("name", "competent_department", "unit", "department", "goal", "goal_target",
                                 "goal_actual", "total_score")}
_SINGLE["department"] |= {label_key("填报单位")}


class _Sheet:
    """One sheet's grid and, built in one pass, where each known label sits (row → [(col, key)])."""

    def __init__(self, file: str, name: str, grid: Grid) -> None:
        self.file, self.name, self.grid = file, name, grid
        self.rows: dict[int, list[tuple[int, str]]] = {}
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                # labels are short and start with a label's first character: other texts are not folded
                if type(v) is str and len(v) <= _LONGEST_LABEL and v.lstrip()[:1] in _FIRST_CHARS:
                    k = label_key(v)
                    if k in _LABEL_KEYS:
                        self.rows.setdefault(r, []).append((c, k))

    def get(self, r: int, c: int) -> Any:
        if r < len(self.grid) and c < len(self.grid[r]):
            return self.grid[r][c]
        return None

    def label_in(self, r: int, keys: set[str], before: int) -> bool:
        """Whether row r holds one of `keys` left of column `before`."""
        return any(c < before and k in keys for c, k in self.rows.get(r, ()))

    def loc(self, r: int, c: int) -> Location:
        return Location(self.file, self.name, a1(r, c))

    def right_of(self, r: int, c: int) -> tuple[Any, int]:
        """The first filled cell right of (r, c) on its row (merged labels span several cells)."""
        row = self.grid[r] if r < len(self.grid) else ()
        labels = {cc for cc, _ in self.rows.get(r, ())}
        for cc in range(c + 1, len(row)):
            if cell_text(row[cc]) or isinstance(row[cc], int | float):
                if cc in labels:
                    return None, c + 1
                return row[cc], cc
        return None, c + 1

    def find(self, keys: set[str], rows: range) -> tuple[int, int] | None:
        for r in sorted(self.rows):
            if r in rows:
                for c, k in self.rows[r]:
                    if k in keys:
                        return r, c
        return None


_LONGEST_LABEL = 16
_LABEL_KEYS = {k for group in (_FUND_HEADS, _FUND_ROWS, _GRID_HEADS, _SINGLE) for ks in group.values() for k in ks}
_FIRST_CHARS = {k[:1] for k in _LABEL_KEYS}


def _text(value: Any) -> str:
    return value.strip().replace("\r\n", "\n") if type(value) is str else cell_text(value)


def _number(value: Any) -> float | None:
    if isinstance(value, UncalculatedFormula) or value is None:
        return None
    return parse_amount(value)


def _rate(value: Any) -> float | None:
    """执行率 as a fraction: "90.00%" → 0.9, 0.9 → 0.9, 90 → 0.9."""
    text = cell_text(value)
    if not text:
        return None
    if text.endswith(("%", "％")):
        number = parse_amount(text[:-1])
        return None if number is None else number / 100
    number = _number(value)
    if number is None:
        return None
    return number / 100 if number > 1.5 else number


def _heading_row(sheet: _Sheet, heads: Mapping[str, set[str]], rows: range, need: Sequence[str]) -> tuple[int, dict[str, int]] | None:
    for r in sorted(sheet.rows):
        if r not in rows:
            continue
        found: dict[str, int] = {}
        for c, k in sheet.rows[r]:
            for field, keys in heads.items():
                if k in keys and field not in found:
                    found[field] = c
                    break
        if all(f in found for f in need):
            return r, found
    return None


def _sources(grid: Grid | None, file: str) -> dict[str, list[TargetRef]] | None:
    if grid is None:
        return None
    out: dict[str, list[TargetRef]] = {}
    for row in list(grid)[1:]:
        if len(row) < 2 or not _text(row[0]):
            continue
        try:
            targets = json.loads(_text(row[1]) or "[]")
            out[_text(row[0])] = [TargetRef(str(l1), str(l2), str(l3), "", Location(str(f or file), s or None, c or None,
                                                                                    int(n) if n else None))
                                  for l1, l2, l3, f, s, c, n in targets]
        except (ValueError, TypeError):  # edited by hand: this sheet's targets are unknown, not wrong
            continue
    return out


def read_selfeval_sheets(
    file: str, sheets: Mapping[str, Grid], catalog: Catalog | None = None, properties: Mapping[str, Any] | None = None
) -> ReadResult:
    """Every self-evaluation table of the workbook's sheets (row 0/column 0 = A1)."""
    result = ReadResult(file=file)
    info = template_info(identity_values(properties or {}, sheets.get(INFO_SHEET)))
    result.template = info
    sources = _sources(sheets.get(SOURCES_SHEET), file)
    for name, grid in sheets.items():
        if name in _NOT_PROJECTS:
            continue
        sheet = _Sheet(file, name, grid)
        starts = [r for r in sorted(sheet.rows) if any(k in _SINGLE["name"] for _, k in sheet.rows[r])]
        for n, start in enumerate(starts):
            top = starts[n - 1] + 1 if n else 0
            end = starts[n + 1] if n + 1 < len(starts) else len(grid)
            project = _read_block(sheet, top, start, end)
            if project is None:
                continue
            project.template = info
            if project.year is None and info is not None and info.year:
                project.year = info.year
            if sources is not None:
                project.targets = list(sources.get(name, [])) if name in sources else None
            result.projects.append(project)
    if not result.projects:
        raise UserError(f"{file}: 没有找到项目支出绩效自评表(没有任何工作表含“项目名称”和绩效指标表头)")
    return result


def _read_block(sheet: _Sheet, top: int, start: int, end: int) -> SelfEvaluation | None:
    rows = range(start, end)
    loc: dict[str, Location] = {}
    texts: dict[str, str] = {}
    for field in ("name", "competent_department", "unit"):
        at = sheet.find(_SINGLE[field], rows)
        if at:
            value, c = sheet.right_of(*at)
            texts[field] = cell_text(value)
            loc[field] = sheet.loc(at[0], c)
    department, year = "", None
    at = sheet.find(_SINGLE["department"], range(top, end))
    if at:
        value, c = sheet.right_of(*at)
        department = cell_text(value)
        loc["department"] = sheet.loc(at[0], c)
    for r in range(top, start):
        for c, v in enumerate(sheet.grid[r] if r < len(sheet.grid) else ()):
            m = _YEAR.search(v) if isinstance(v, str) and "年" in v else None
            if m and year is None:
                year, loc["year"] = int(m.group(1)), sheet.loc(r, c)
    grid_head = _heading_row(sheet, _GRID_HEADS, rows, ("level3", "actual"))
    if grid_head is None:
        return None
    evaluation = SelfEvaluation(year=year, department=department or texts.get("competent_department", ""),
                                name=texts.get("name", ""), unit=texts.get("unit", ""),
                                competent_department=texts.get("competent_department"), source_file=sheet.file,
                                locations=loc)
    _read_funds(sheet, range(start, grid_head[0]), evaluation)
    _read_goal(sheet, range(start, grid_head[0]), evaluation)
    _read_grid(sheet, grid_head, end, evaluation)
    return evaluation


def _read_funds(sheet: _Sheet, rows: range, ev: SelfEvaluation) -> None:
    head = _heading_row(sheet, _FUND_HEADS, rows, ("executed",))
    if head is None:
        return
    r0, cols = head
    first_amount = min(cols.values())
    for r in range(r0 + 1, rows.stop):
        key = next((f for c, k in sheet.rows.get(r, ()) if c < first_amount
                    for f, keys in _FUND_ROWS.items() if k in keys), None)
        if key is None or ev.fund_row(key) is not None:
            continue
        row = FundExecution(key)
        for field in ("initial", "budget", "executed"):
            if field in cols:
                setattr(row, field, _number(sheet.get(r, cols[field])))
                row.locations[field] = sheet.loc(r, cols[field])
        ev.execution.append(row)
        if key == "total":
            for field, attr in (("weight", "execution_weight"), ("score", "execution_score")):
                if field in cols:
                    setattr(ev, attr, _number(sheet.get(r, cols[field])))
                    ev.locations[f"selfeval.execution_{field}"] = sheet.loc(r, cols[field])
            if "rate" in cols:
                ev.execution_rate = _rate(sheet.get(r, cols["rate"]))
                ev.locations["selfeval.execution_rate"] = sheet.loc(r, cols["rate"])
            ev.locations["funds.total"] = row.locations.get("budget") or row.locations.get("initial") or ev.location("name")
    amounts = {f.key: f.budget if f.budget is not None else f.initial for f in ev.execution}
    ev.funds = Funds(total=amounts.get("total"), fiscal=amounts.get("fiscal"), other=amounts.get("other"),
                     extra={"上年结转资金": amounts["carryover"]} if amounts.get("carryover") is not None else {})


def _read_goal(sheet: _Sheet, rows: range, ev: SelfEvaluation) -> None:
    head = _heading_row(sheet, {"goal_target": _SINGLE["goal_target"], "goal_actual": _SINGLE["goal_actual"]}, rows,
                        ("goal_actual",))
    if head is not None:
        r, cols = head
        below = r + 1
        if "goal_target" in cols:
            ev.goal = cell_text(sheet.get(below, cols["goal_target"]))
            ev.locations["goal"] = sheet.loc(below, cols["goal_target"])
        ev.goal_actual = cell_text(sheet.get(below, cols["goal_actual"]))
        ev.locations["selfeval.goal_actual"] = sheet.loc(below, cols["goal_actual"])
        return
    at = sheet.find(_SINGLE["goal"], rows)
    if at:
        value, c = sheet.right_of(*at)
        ev.goal, ev.locations["goal"] = cell_text(value), sheet.loc(at[0], c)
        ev.locations["selfeval.goal_actual"] = sheet.loc(at[0], c)


def _read_grid(sheet: _Sheet, head: tuple[int, dict[str, int]], end: int, ev: SelfEvaluation) -> None:
    r0, cols = head
    ev.locations["selfeval.grid"] = sheet.loc(r0, cols["level3"])
    carry = {"level1": "", "level2": ""}
    text_cols = [(f, c) for f, c in cols.items() if f not in ("weight", "score")]
    first_col = min(cols.values()) + 1
    for r in range(r0 + 1, end):
        if r in sheet.rows and sheet.label_in(r, _SINGLE["total_score"], first_col):
            if "score" in cols:
                ev.total_score = _number(sheet.get(r, cols["score"]))
                ev.locations["selfeval.total_score"] = sheet.loc(r, cols["score"])
            if "weight" in cols:
                ev.locations["selfeval.total_weight"] = sheet.loc(r, cols["weight"])
            break
        line = sheet.grid[r] if r < len(sheet.grid) else ()
        width = len(line)
        values = {f: _text(line[c]) if c < width else "" for f, c in text_cols}
        if not (values.get("level3") or values.get("value") or values.get("actual")):
            continue
        for level in ("level1", "level2"):
            if values.get(level):
                carry[level] = values[level]
                if level == "level1":
                    carry["level2"] = values.get("level2", "")
        locations = {f: sheet.loc(r, cols[f]) for f in ("level3", "value") if f in cols}
        locations["row"] = locations["level3"]
        value = values.get("value", "")
        ev.indicators.append(Indicator(carry["level1"], carry["level2"], values.get("level3", ""), value,
                                       _parsed(value, None, None), locations=locations))
        ev.results.append(IndicatorResult(
            actual=values.get("actual", ""),
            weight=_number(line[cols["weight"]]) if "weight" in cols and cols["weight"] < width else None,
            score=_number(line[cols["score"]]) if "score" in cols and cols["score"] < width else None,
            reason=values.get("reason", ""),
            locations={f: sheet.loc(r, cols[f]) for f in ("actual", "weight", "score", "reason") if f in cols},
        ))
    if ev.total_score is None and "selfeval.total_score" not in ev.locations:
        ev.locations["selfeval.total_score"] = ev.locations["selfeval.grid"]

