"""The 绩效指标 grid: rows under the header `一级指标 | 二级指标 | 三级指标 | 本年度指标值 …`.

Level one and two are usually merged down (text only in the top-left cell), so they carry down
until the next non-blank cell; some forms repeat them on every row instead. The catalogue decides
the canonical names; a name it knows only through the form vocabulary (效果指标, 进度指标) is kept
as printed in `Indicator.extra`. Grids without a 三级指标 heading (二级指标 | 当年预期实现值) hold
the indicator in the 二级指标 column. One pass over the rows.
"""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter
from typing import Any

from lubudget_xl.catalog import Catalog, clean_name
from lubudget_xl.catalog.vocabulary import vocabulary
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, Location
from lubudget_xl.reader.cells import UncalculatedFormula, cell_text, col_letters, is_blank
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
    "standard": "绩效标准",
    "weight": "分值",
}
_ORIGINAL = {"level1": "一级指标(原文)", "level2": "二级指标(原文)"}


def _levels(catalog: Catalog | None, l1_text: str, l2_text: str) -> tuple[str, str]:
    """Canonical (level one, level two) where the catalogue knows them; else the cleaned text."""
    if catalog is None:
        return clean_name(l1_text), clean_name(l2_text)
    l1 = catalog.normalize_level1(l1_text) if l1_text else None
    pair = catalog.normalize_level2(l2_text, l1) if l2_text else None
    level1 = l1 or (pair[0] if pair and not l1_text else clean_name(l1_text))
    level2 = pair[1] if pair else clean_name(l2_text)
    if pair and l1 and pair[0] != l1 and level2 in _satisfaction(catalog):
        level1 = pair[0]  # older forms put 满意度 under 效益指标: the tree has it at level one (text reads alike)
    return level1, level2


def _satisfaction(catalog: Catalog) -> tuple[str, ...]:
    return tuple(catalog.settings.get("satisfaction_level2", ()))


def _level_of(catalog: Catalog | None, value: Any) -> str | None:
    """"level1"/"level2" when `value` is a level name of the catalogue."""
    if catalog is None or not isinstance(value, str):
        return None
    if catalog.normalize_level1(value) is not None:
        return "level1"
    return "level2" if catalog.normalize_level2(value) is not None else None


def _is_level2_name(catalog: Catalog | None, text: str) -> bool:
    """In a grid without a 三级指标 column: is this 二级指标 cell a level name or an indicator?"""
    if catalog is not None and catalog.normalize_level2(text) is not None:
        return True
    return vocabulary().level2(text) is not None


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


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_indicators(ctx: SheetContext, block: Block, catalog: Catalog | None) -> list[Indicator]:
    """One Indicator per grid row holding a level-three name or a value; linear in the rows.

    Runs once per indicator row of every file of a batch, so the per-row work is kept to tuple
    lookups: the grid's column letters and the fields' order are worked out once per block."""
    if block.grid_row is None:
        return []
    cols = dict(block.grid_cols)
    two_level = "level3" not in cols or "level2" not in cols
    if two_level:  # one column holds level two and, where its text is no level name, the indicator
        cols.setdefault("level3", cols.get("level2", -1))
        cols.setdefault("level2", cols["level3"])
    first_col, last_col = min(cols.values()), max(cols.values())
    form_col = min([first_col, *(lb.col for lb in block.labels if lb.field == "grid")])
    # A continued printed page repeats the title, 填报单位, 项目名称 and maybe the header: skip those.
    page_rows = {t.row for t in block.titles}
    page_rows |= {lb.row for lb in block.labels if lb.field in ("name", "department")}
    # A fund label inside the grid is an indicator's text (三级指标 "预算金额"), not a new section.
    label_rows = {lb.row for lb in block.labels
                  if lb.field not in ("grid", "name", "department") and not lb.field.startswith("funds.")}
    file, sheet = ctx.file, ctx.sheet
    names = list(cols)  # the values of a row are read in this order
    pos = {f: i for i, f in enumerate(names)}
    i1, i2, i3 = pos["level1"], pos["level2"], pos["level3"]
    iv, isg, iun, ino = (pos.get(f) for f in ("value", "sign", "unit", "note"))
    content_fields = [f for f in ("level3", "value", "sign", "unit", "note") if f in cols]
    extra_fields = [f for f in cols if f in ("standard", "weight") or f.startswith("extra:")]
    header_row = ctx.grid[block.grid_row]
    headings = {f: f[6:] if f.startswith("extra:") else cell_text(header_row[cols[f]]) if cols[f] < len(header_row)
                else _FIELD_NAMES[f] for f in extra_fields}
    content = [pos[f] for f in content_fields]
    straight = _Columns(cols, names, content_fields, 0)
    fetch_all = itemgetter(*straight.indexes)  # three columns at least: a tuple of the row's values
    levels_cache = ctx.levels
    l1_text = l2_text = ""
    l1_loc = l2_loc = None
    indicators: list[Indicator] = []
    grid, grid_headers = ctx.grid, ctx.index.grid_headers
    for r in range(block.grid_row + 1, min(block.end, len(grid))):
        if r in page_rows or r in grid_headers:
            continue
        if r in label_rows:
            break
        row = grid[r]
        n = len(row)
        shift = 0
        if form_col < first_col and form_col < n and not _blank(row[form_col]):
            if (r, form_col) in ctx.index.label_at:
                pass  # the 绩效指标 label itself, written on a row of the grid
            elif level := _level_of(catalog, row[form_col]):
                shift = cols[level] - form_col  # a row pasted too far to the left
                ctx.issues.append(_shifted_issue(ctx, r, form_col))
            else:  # text in the form's label column: a signature line, a note, a misplaced row
                ctx.issues.append(_skipped_issue(ctx, r, form_col, row, cols))
                continue
        at = straight if not shift else _Columns(cols, names, content_fields, shift)
        if not shift and last_col < n:
            values = fetch_all(row)
        else:
            values = tuple(row[c] if 0 <= c < n else None for c in at.indexes)
        texts = [cell_text(v) for v in values]
        # is_blank: no text, and no value that has none (an uncalculated formula, say)
        blank = [not t and (v is None or isinstance(v, str)) for t, v in zip(texts, values, strict=True)]
        if all(blank):
            continue
        number = r + 1
        if two_level and not blank[i1] and _level_of(catalog, texts[i1]) != "level1" and _is_level2_name(
                catalog, texts[i1]):  # 一级指标 column holding level twos (数量指标 | indicator | value)
            l1_text, l1_loc = "", None
            l2_text, l2_loc = texts[i1], Location(file, sheet, f"{at.letters['level1']}{number}")
        elif not blank[i1]:
            if texts[i1] != l1_text:  # a level one repeated on every row keeps its level two
                l2_text, l2_loc = "", None
            l1_text, l1_loc = texts[i1], Location(file, sheet, f"{at.letters['level1']}{number}")
        if two_level and not blank[i2] and _is_level2_name(catalog, texts[i2]):
            l2_text, l2_loc = texts[i2], Location(file, sheet, f"{at.letters['level2']}{number}")
            texts[i3], blank[i3] = "", True
        elif not two_level and not blank[i2]:
            l2_text, l2_loc = texts[i2], Location(file, sheet, f"{at.letters['level2']}{number}")
        if all([blank[i] for i in content]):
            continue  # a level-one/two row without any indicator
        if "" in texts:  # an uncalculated formula has no text
            for f, v in zip(names, values, strict=True):
                if isinstance(v, UncalculatedFormula):
                    ctx.check_formula(v, r, at.cols[f], _FIELD_NAMES.get(f, f.removeprefix("extra:")))
        pair = levels_cache.get((l1_text, l2_text))
        if pair is None:
            pair = levels_cache[(l1_text, l2_text)] = _levels(catalog, l1_text, l2_text)
        value = texts[iv] if iv is not None else ""
        sign = texts[isg] if isg is not None else ""
        unit = texts[iun] if iun is not None else ""
        note = texts[ino] if ino is not None else ""
        locations = {
            "row": Location(file, sheet, f"{at.row_first}{number}:{at.row_last}{number}"),
            "level1": l1_loc or Location(file, sheet, f"{at.letters['level1']}{number}"),
            "level2": l2_loc or Location(file, sheet, f"{at.letters['level2']}{number}"),
        }
        for f in content_fields:
            locations[f] = Location(file, sheet, f"{at.letters[f]}{number}")
        extra = _extra(pair, l1_text, l2_text, texts, pos, extra_fields, headings) if (
            extra_fields or pair[0] != l1_text or pair[1] != l2_text) else {}
        indicators.append(
            Indicator(
                level1=pair[0],
                level2=pair[1],
                level3=texts[i3],
                value=value,
                parsed=_parsed(value, sign or None, unit or None),
                sign=sign or None,
                unit=unit or None,
                note=note or None,
                locations=locations,
                extra=extra,
            )
        )
    return indicators


def _extra(pair: tuple[str, str], l1_text: str, l2_text: str, texts: list[str], pos: dict[str, int],
           extra_fields: list[str], headings: dict[str, str]) -> dict[str, str]:
    """What the row printed beyond the record: level names as printed where the catalogue's differ
    (beyond spaces and notes), and the 绩效标准/分值 columns under their printed headings."""
    extra: dict[str, str] = {}
    for canonical, printed, key in ((pair[0], l1_text, "level1"), (pair[1], l2_text, "level2")):
        if printed and clean_name(printed) != canonical:
            extra[_ORIGINAL[key]] = printed
    for f in extra_fields:
        if texts[pos[f]]:
            extra[headings[f]] = texts[pos[f]]
    return extra


class _Columns:
    """The grid's columns for one row: `shift` > 0 when the row was pasted that far to the left."""

    def __init__(self, cols: dict[str, int], names: list[str], content: list[str], shift: int) -> None:
        self.cols = {f: c - shift for f, c in cols.items()}
        self.indexes = [self.cols[f] for f in names]
        self.letters = {f: col_letters(c) for f, c in self.cols.items()}
        self.row_first = col_letters(max(0, min(cols.values()) - shift))
        self.row_last = col_letters(max(cols.values()) - shift)
