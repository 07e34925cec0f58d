"""The 绩效指标 grid: rows under the header `一级指标 | 二级指标 | 三级指标 | 本年度指标值 …`.

Level one and two are usually merged down (text only in the top-left cell), so they carry down
until the next non-blank cell; the catalogue decides the canonical names. One pass over the rows.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lubudget_xl.catalog import Catalog, clean_name
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, Location
from lubudget_xl.reader.cells import UncalculatedFormula, a1, cell_text, col_letters, is_blank
from lubudget_xl.reader.context import SheetContext
from lubudget_xl.reader.layout import Block
from lubudget_xl.values import ParsedValue, parse_value


@lru_cache(maxsize=8192)
def _parsed(value: str, sign: str | None, unit: str | None) -> ParsedValue:
    """Values repeat a lot across a batch (100%, ≥95%, 95%以上); a ParsedValue is immutable."""
    return parse_value(value, sign, unit)


_FIELD_NAMES = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "value": "本年度指标值",
    "sign": "指标值符号",
    "unit": "计量单位",
    "note": "指标值说明",
}


def _levels(catalog: Catalog | None, l1_text: str, l2_text: str) -> tuple[str, str]:
    """Canonical (level one, level two) where the catalogue knows them; else the cleaned text."""
    if catalog is None:
        return clean_name(l1_text), clean_name(l2_text)
    l1 = catalog.normalize_level1(l1_text) if l1_text else None
    pair = catalog.normalize_level2(l2_text, l1) if l2_text else None
    level1 = l1 or (pair[0] if pair and not l1_text else clean_name(l1_text))
    level2 = pair[1] if pair else clean_name(l2_text)
    return level1, level2


def _level_of(catalog: Catalog | None, value: Any) -> str | None:
    """"level1"/"level2" when `value` is a level name of the catalogue."""
    if catalog is None or not isinstance(value, str):
        return None
    if catalog.normalize_level1(value) is not None:
        return "level1"
    return "level2" if catalog.normalize_level2(value) is not None else None


def _shifted_issue(ctx: SheetContext, r: int, c: int) -> Issue:
    return Issue(
        "READ_ROW_SHIFTED",
        Severity.WARNING,
        "此行的指标整体左移了(指标名称写在了“绩效指标”列),已按左移读取,请移回正确的列",
        ctx.loc(r, c),
        project=ctx.project,
    )


def _skipped_issue(ctx: SheetContext, r: int, c: int, row: Any, cols: dict[str, int]) -> Issue:
    in_grid = any(c2 < len(row) and not is_blank(row[c2]) for c2 in cols.values())
    return Issue(
        "READ_ROW_SKIPPED",
        Severity.WARNING if in_grid else Severity.INFO,
        f"绩效指标区域中“{cell_text(row[c])[:20]}”写在了“绩效指标”列,此行未作为指标读取"
        + (",请把指标移到对应的列" if in_grid else ""),
        ctx.loc(r, c),
        project=ctx.project,
    )


def read_indicators(ctx: SheetContext, block: Block, catalog: Catalog | None) -> list[Indicator]:
    """One Indicator per grid row holding a level-three name or a value; linear in the rows."""
    if block.grid_row is None:
        return []
    cols = block.grid_cols
    first_col, last_col = min(cols.values()), max(cols.values())
    form_col = min([first_col, *(lb.col for lb in block.labels if lb.field == "grid")])
    # A continued printed page repeats the title, 填报单位, 项目名称 and maybe the header: skip those.
    page_rows = {t.row for t in block.titles}
    page_rows |= {lb.row for lb in block.labels if lb.field in ("name", "department")}
    label_rows = {lb.row for lb in block.labels if lb.field not in ("grid", "name", "department")}
    file, sheet = ctx.file, ctx.sheet
    names = list(cols)
    content_fields = [f for f in ("level3", "value", "sign", "unit", "note") if f in cols]
    levels_cache: dict[tuple[str, str], tuple[str, str]] = {}
    l1_text = l2_text = ""
    l1_loc = l2_loc = None
    indicators: list[Indicator] = []
    grid = ctx.grid
    for r in range(block.grid_row + 1, min(block.end, len(grid))):
        if r in page_rows or r in ctx.index.grid_headers:
            continue
        if r in label_rows:
            break
        row = grid[r]
        shift = 0
        if form_col < first_col and form_col < len(row) and not is_blank(row[form_col]):
            if (r, form_col) in ctx.index.label_at:
                pass  # the 绩效指标 label itself, written on a row of the grid
            elif level := _level_of(catalog, row[form_col]):
                shift = cols[level] - form_col  # a row pasted too far to the left
                ctx.issues.append(_shifted_issue(ctx, r, form_col))
            else:  # text in the form's label column: a signature line, a note, a misplaced row
                ctx.issues.append(_skipped_issue(ctx, r, form_col, row, cols))
                continue
        at = {f: c - shift for f, c in cols.items()} if shift else cols
        n = len(row)
        raw: dict[str, Any] = {f: (row[c] if 0 <= c < n else None) for f, c in at.items()}
        if all(is_blank(v) for v in raw.values()):
            continue
        if not is_blank(raw["level1"]):
            l1_text, l1_loc = cell_text(raw["level1"]), Location(file, sheet, a1(r, at["level1"]))
            l2_text, l2_loc = "", None
        if not is_blank(raw["level2"]):
            l2_text, l2_loc = cell_text(raw["level2"]), Location(file, sheet, a1(r, at["level2"]))
        if all(is_blank(raw[f]) for f in content_fields):
            continue  # a level-one/two row without any indicator
        for f in names:
            if isinstance(raw[f], UncalculatedFormula):
                ctx.check_formula(raw[f], r, at[f], _FIELD_NAMES[f])
        pair = levels_cache.get((l1_text, l2_text))
        if pair is None:
            pair = levels_cache[(l1_text, l2_text)] = _levels(catalog, l1_text, l2_text)
        value = cell_text(raw["value"]) if "value" in raw else ""
        sign = cell_text(raw.get("sign")) or None
        unit = cell_text(raw.get("unit")) or None
        note = cell_text(raw.get("note")) or None
        parsed = _parsed(value, sign, unit)
        number = r + 1
        locations = {
            "row": Location(file, sheet, f"{col_letters(max(0, first_col - shift))}{number}:"
                                         f"{col_letters(last_col - shift)}{number}"),
            "level1": l1_loc or Location(file, sheet, a1(r, at["level1"])),
            "level2": l2_loc or Location(file, sheet, a1(r, at["level2"])),
        }
        for f in content_fields:
            locations[f] = Location(file, sheet, f"{col_letters(at[f])}{number}")
        indicators.append(
            Indicator(
                level1=pair[0],
                level2=pair[1],
                level3=cell_text(raw["level3"]),
                value=value,
                parsed=parsed,
                sign=sign,
                unit=unit,
                note=note,
                locations=locations,
            )
        )
    return indicators
