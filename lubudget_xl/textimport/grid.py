"""The 绩效指标 grid: its header row, and data rows → indicator cells with their levels.

Levels come from the catalogue's names and aliases, never from column positions: extraction
shifts cells left or right, drops the level-one column, or glues the 绩效指标 label to the first
data row. A level carries down to following rows until a row states a new one. Columns matter
only to align the value/sign/unit/note cells with the header, and to tell a wrapped line of a
value from a wrapped level-three name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lubudget_xl.catalog import Catalog, clean_name
from lubudget_xl.catalog.vocabulary import vocabulary as form_vocabulary
from lubudget_xl.textimport.cells import Cell, Row
from lubudget_xl.textimport.labels import clean_label, grid_column

# Texts a 指标值符号 column holds (before the values parser canonicalises them).
_SIGN_TEXTS = {
    "≥", "＞", "＝", "＜", "≤", ">", "<", "=", ">=", "<=", "≧", "≦", "＞＝", "＜＝", "≥=",
    "大于", "小于", "等于", "大于等于", "小于等于", "不低于", "不高于", "不少于", "不超过",
    "定性", "定量", "定量(其他)", "不适用",
}


@dataclass
class GridLayout:
    """Column of each indicator field in the grid header; `tail` lists fields after 三级指标 in order."""

    columns: dict[str, int] = field(default_factory=dict)
    # No 三级指标 heading (一级指标 | 二级指标 | 当年预期实现值, 指标类型 | 指标名称 | 指标值): the name column
    # holds the indicator, or a level-two name where the row has none.
    two_level: bool = False
    halves: bool = False  # a long-term half (kept as other columns) left of the year's

    @property
    def tail(self) -> list[str]:
        l3 = self.columns.get("level3", -1)
        return [f for f, c in sorted(self.columns.items(), key=lambda kv: kv[1]) if c > l3]

    @property
    def separate_columns(self) -> bool:
        return any(f in ("sign", "unit", "note") or f.startswith("other:") for f in self.columns)

    @property
    def last_col(self) -> int:
        return max(self.columns.values(), default=-1)


DEFAULT_LAYOUT = GridLayout(columns={"level1": 1, "level2": 2, "level3": 3, "value": 4})


def parse_grid_header(row: Row) -> GridLayout | None:
    """A header row has at least 三级指标 and a value column (一级/二级 may be clipped away)."""
    columns: dict[str, int] = {}
    others: dict[str, int] = {}
    keys = [grid_column(cell.text) for cell in row.filled]
    # 二级 | 三级 | 指标值 printed twice: a long-term half and the year's, printed last, which is read
    halves = keys.count("level2") > 1 or keys.count("value") > 1
    for cell, key in zip(row.filled, keys, strict=True):
        if key and (halves or key == "sign") and key in columns:
            # (a sign column printed twice: 指标性质 正向/反向 | 指标方向 =, the comparison is the later one)
            others[f"other:{clean_label(row.filled[keys.index(key)].text)}"] = columns[key]
            columns[key] = cell.col
        elif key and key not in columns:
            columns[key] = cell.col
        elif key and key == "level3":  # 三级指标 | 指标内容: a column of its own, kept in extra
            others[f"other:{clean_label(cell.text)}"] = cell.col
        elif not key and form_vocabulary().header_field(cell.text) != "grid":  # not the 绩效指标 label
            others[f"other:{clean_label(cell.text)}"] = cell.col  # 权重, 分值 …: kept in extra
    if "level1" not in columns and "level2" in columns:
        # The column left of 二级指标 holds level one whatever it is headed (福建: 绩效目标 | 评价指标 | …).
        left = next((k for k, c in others.items() if c == columns["level2"] - 1), None)
        if left is not None:
            columns["level1"] = others.pop(left)
    two_level = "level3" not in columns or "level2" not in columns
    if "level3" not in columns and "level2" in columns and "value" in columns:
        columns["level3"] = columns.pop("level2")  # 一级指标 | 二级指标 | 当年预期实现值: 二级 holds the indicator
    if "level3" in columns and "value" in columns and len(columns) >= 3 and len(others) <= len(columns):
        return GridLayout(columns={**columns, **others}, two_level=two_level, halves=halves)
    return None


def is_unreadable_grid_header(row: Row) -> bool:
    """Two or more grid headings and nothing else, but no layout `parse_grid_header` can read
    (a two-level grid: 一级指标 / 二级指标 / 当年预期实现值 without 三级指标)."""
    cells = [c for c in row.filled if clean_label(c.text) != "绩效指标"]
    keys = [form_vocabulary().grid_column(c.text) for c in cells]  # 绩效标准 and 分值 count here
    return len(cells) >= 2 and all(keys) and "value" in keys and "level3" not in keys


def is_value_subheading_row(row: Row) -> bool:
    """Cells that all head parts of the value column (2021年实际实现值 | 预期2022年实现值)."""
    return len(row.filled) >= 2 and all(clean_label(c.text).endswith(("实现值", "目标值", "指标值")) for c in row.filled)


@dataclass
class Levels:
    """The level names in force, with the line each was stated on."""

    level1: str = ""
    level2: str = ""
    line1: int | None = None
    line2: int | None = None
    printed1: str = ""  # the names as the form prints them (kept in extra where the catalogue's differ)
    printed2: str = ""

    def extra(self) -> dict[str, str]:
        """The printed level names that differ from the names read (beyond spaces, notes and scores),
        under the keys the workbook reader uses."""
        out = {}
        for key, printed, read in (("一级指标(原文)", self.printed1, self.level1),
                                   ("二级指标(原文)", self.printed2, self.level2)):
            if printed and clean_name(printed) != clean_name(read):
                out[key] = printed
        return out


@dataclass
class RowParts:
    """What one data row gave. `continuation` is "value"/"level3" for a wrapped line, else None."""

    level3: Cell | None = None
    fields: dict[str, Cell] = field(default_factory=dict)
    stated_levels: bool = False
    continuation: str | None = None
    continuation_text: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # cells of columns the record does not model


def _is_level(catalog: Catalog, text: str) -> bool:
    return bool(catalog.normalize_level1(text) or catalog.normalize_level2(text))


_SATISFACTION: dict[int, tuple[Catalog, tuple[str, ...]]] = {}


def _satisfaction_level2(catalog: Catalog) -> tuple[str, ...]:
    """The catalogue's satisfaction level twos, once per catalogue (`Catalog.settings` copies its
    defaults on every call: it was a third of the import's time)."""
    cached = _SATISFACTION.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        if len(_SATISFACTION) > 8:
            _SATISFACTION.clear()
        cached = _SATISFACTION[id(catalog)] = (catalog, tuple(catalog.settings.get("satisfaction_level2", ())))
    return cached[1]


def _looks_like_level(text: str, most: int = 9) -> bool:
    """Short, digit-free and ending in 指标: how level-one and level-two names are written; or a name
    the form vocabulary knows that this catalogue's tree has not (投入 beside the 88号 tree)."""
    name = clean_name(text)
    if form_vocabulary().level1(name) or form_vocabulary().level2(name):
        return True
    return name.endswith("指标") and 2 < len(name) <= most and not any(ch.isdigit() for ch in name)


# A numbering cell before the level-three name (目标1, 指标2, 1、): a row number, not a name.
_NUMBERING = re.compile(r"^(?:目标|指标|序号)?\d{1,2}[.、]?$")


def parse_data_row(
    row: Row, layout: GridLayout, levels: Levels, catalog: Catalog, joiner: str, positional: bool = True
) -> RowParts:
    """Consume the level names a row states (updating `levels`), then split off level three and the tail.

    `positional` says whether cells keep their columns (tab or `|` separated); with space-separated
    text a lone cell continues the previous value only when the line is indented.
    """
    cells = row.filled
    # The 绩效指标 label, whole or as the pieces a vertical merged cell leaves (绩 / 效 / 指 / 标).
    while cells and clean_label(cells[0].text) and clean_label(cells[0].text) in "绩效指标":
        cells = cells[1:]
    # Columns mean something only when the separator kept empty cells (tabs, `|`, CSV).
    aligned = positional and row.last_col <= layout.last_col
    l3_col = layout.columns.get("level3")
    leading = {c for f, c in layout.columns.items() if f.startswith("other:") and l3_col is not None and c < l3_col}
    if aligned and leading and layout.halves and row.last_col < layout.last_col:
        # long-term and annual halves: a row whose merged cells on the left are missing ends in the
        # last column all the same
        shift = layout.last_col - row.last_col
        cells = [Cell(c.col + shift, c.text) for c in cells]
    if aligned and leading:
        cells = [c for c in cells if c.col not in leading]  # 序号, the long-term half, left of the names
    parts = RowParts()
    i = 0

    def may_consume(k: int) -> bool:
        if row.exact:  # rebuilt from labels: a cell left of level three was placed there as a level
            return l3_col is not None and cells[k].col < l3_col
        after = cells[k + 1 :]
        if aligned and cells[k].col == l3_col and not layout.two_level:
            return False
        if len(after) == 1 and _is_level(catalog, cells[k].text) and clean_name(cells[k].text) != clean_label(cells[k].text):
            return True  # a level name with its note (经济效益 指标 (选填)), then a name without value
        return len(after) >= 2 or all(_is_level(catalog, c.text) for c in after)

    row_l1 = ""
    if i < len(cells) and may_consume(i) and not _is_level(catalog, cells[i].text) and _looks_like_level(cells[i].text):
        # A name the catalogue does not know (经济成本指标 read with the 88号 tree, a typo): keep it as
        # stated rather than reading it as level three; the importer reports it.
        following = cells[i + 1].text if i + 1 < len(cells) else ""
        if catalog.normalize_level2(following) or (_looks_like_level(following) and not _is_level(catalog, following)):
            row_l1 = cells[i].text
            levels.level1, levels.line1, levels.level2, levels.line2 = row_l1, row.number, "", None
            levels.printed1, levels.printed2 = row_l1, ""
        else:
            levels.level2, levels.line2, levels.printed2 = cells[i].text, row.number, cells[i].text
        parts.stated_levels = True
        i += 1
    if i < len(cells) and not row_l1 and not parts.stated_levels and may_consume(i):
        l1 = catalog.normalize_level1(cells[i].text)
        if l1:
            as_l2 = catalog.normalize_level2(cells[i].text)
            nxt = catalog.normalize_level2(cells[i + 1].text, l1) if i + 1 < len(cells) else None
            # 满意度指标 is a level one and an alias of its level two: a level one is followed by a level two.
            if not as_l2 or (nxt and nxt[0] == l1):
                row_l1 = l1
                if l1 != levels.level1:  # a level one restated (merged cell exported mid-block) keeps its level two
                    levels.level2, levels.line2, levels.printed2 = "", None, ""
                levels.level1, levels.line1, levels.printed1 = l1, row.number, cells[i].text
                parts.stated_levels = True
                i += 1
    if i < len(cells) and may_consume(i) and row_l1 and not _is_level(catalog, cells[i].text) \
            and _looks_like_level(cells[i].text, 12):  # after a stated level one: 社会、经济、生态效益指标
        levels.level2, levels.line2, levels.printed2 = cells[i].text, row.number, cells[i].text
        i += 1
    elif i < len(cells) and may_consume(i) and (row_l1 or not parts.stated_levels):
        pair = catalog.normalize_level2(cells[i].text, row_l1 or levels.level1 or None)
        if pair:
            # A level two of another level one moves there when its row states no level one; 满意度
            # under 效益指标 (older forms) moves always, as the workbook reader does.
            satisfaction = pair[1] in _satisfaction_level2(catalog)
            if pair[0] != levels.level1 and (not row_l1 or satisfaction):
                levels.level1, levels.line1 = pair[0], row.number
                if not satisfaction:  # the row's level one is implied, not printed
                    levels.printed1 = ""
            levels.level2, levels.line2, levels.printed2 = pair[1], row.number, cells[i].text
            parts.stated_levels = True
            i += 1
    if row_l1 and not levels.level2 and len(catalog.level2_names(row_l1)) == 1:
        # 满意度指标 has one level two: a row naming only the level one implies it.
        levels.level2, levels.line2, levels.printed2 = catalog.level2_names(row_l1)[0], row.number, ""
    rest = cells[i:]
    if len(rest) >= 3 and _NUMBERING.match(clean_label(rest[0].text)) and "level3" in layout.columns:
        rest = rest[1:]
    if not rest:
        return parts
    if len(rest) == 1 and not parts.stated_levels and not row.exact:
        # A lone cell is a wrapped line: of the name when it sits in the 三级指标 column, of the value
        # when it sits right of it; anything else (a note at the left margin) is not ours to guess.
        only = rest[0]
        if positional:
            if aligned and only.col == l3_col:
                parts.continuation = "level3"
            elif l3_col is not None and only.col > l3_col:
                parts.continuation = "value"
        elif row.raw[:1].isspace():
            parts.continuation = "value"
        parts.continuation_text = only.text
        return parts
    value_col = layout.columns.get("value")
    if len(rest) == 1 and aligned and rest[0].col == value_col and rest[0].col != l3_col:
        parts.fields["value"] = rest[0]
        return parts
    if layout.two_level and levels.line2 == row.number and levels.printed2 \
            and not _names_indicator(rest, layout, row.exact, l3_col):
        parts.level3, tail = Cell(cells[i - 1].col, ""), rest  # the level-two name was the row's name
    else:
        parts.level3, tail = rest[0], rest[1:]
    if not layout.separate_columns:
        if tail:
            parts.fields["value"] = Cell(tail[0].col, joiner.join(c.text for c in tail))
        return parts
    fields = _align_tail(parts.level3, tail, layout, catalog, joiner, positional)
    # Columns the record does not model (绩效标准, 分值, 指标内容 …): in extra under their printed
    # heading, as the workbook reader keeps them.
    parts.extra = {name[len("other:"):]: fields.pop(name).text for name in list(fields) if name.startswith("other:")}
    parts.fields = fields
    return parts


def _names_indicator(rest: list[Cell], layout: GridLayout, exact: bool, l3_col: int | None) -> bool:
    """In a two-level grid, whether the cells after a stated level two begin with an indicator's name:
    a cell in the name column (rows rebuilt from labels), or more cells than the columns after it."""
    if exact:
        return any(c.col == l3_col for c in rest)
    return len(rest) > len(layout.tail)


def _align_tail(
    l3: Cell, tail: list[Cell], layout: GridLayout, catalog: Catalog, joiner: str, positional: bool = True
) -> dict[str, Cell]:
    """Map tail cells to sign/value/unit/note by the header's columns, shifted like the level-three cell."""
    if positional:
        offset = l3.col - layout.columns["level3"]
        by_col = {c.col: c for c in tail}
        mapped = {f: by_col[layout.columns[f] + offset] for f in layout.tail if layout.columns[f] + offset in by_col}
        if len(mapped) == len(tail) and ("value" in mapped or not tail):
            return mapped
    # Columns lost in extraction: assign by order, letting sign and unit columns be skipped when
    # the cell does not look like one.
    result: dict[str, Cell] = {}
    k = 0
    for name in layout.tail:
        if k >= len(tail):
            break
        cell = tail[k]
        if name == "sign" and not _looks_like_sign(cell.text):
            continue
        if name == "unit" and not _looks_like_unit(cell.text, catalog):
            continue
        result[name] = cell
        k += 1
    if k < len(tail):
        leftover = tail[k:]
        key = "note" if "note" in layout.columns else "value"
        start = [result[key]] if key in result else []
        merged = start + leftover
        result[key] = Cell(merged[0].col, joiner.join(c.text for c in merged))
    return result


def _looks_like_sign(text: str) -> bool:
    return clean_label(text) in _SIGN_TEXTS


def _looks_like_unit(text: str, catalog: Catalog) -> bool:
    t = clean_label(text)
    if t in catalog.data.get("units", []):
        return True
    return 0 < len(t) <= 4 and not any(ch.isdigit() for ch in t) and not _looks_like_sign(t)
