"""Grids → records: the reader's core, free of any file format.

`read_sheets` takes plain grids (row 0 / column 0 = cell A1), so the workbook loader (calamine)
and the Excel bridge (live sheets) share every rule about where a field is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from lubudget_xl.annotations import RESULT_SHEET
from lubudget_xl.catalog import Catalog
from lubudget_xl.catalog.choose import uses_tree_101
from lubudget_xl.catalog.departments import department_text
from lubudget_xl.catalog.vocabulary import vocabulary
from lubudget_xl.errors import UserError
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location, ProjectTarget
from lubudget_xl.read_result import ReadResult
from lubudget_xl.reader.carried import carried_by_sheet
from lubudget_xl.reader.cells import cell_text, is_blank, label_key
from lubudget_xl.reader.context import SheetContext
from lubudget_xl.reader.funds import fund_cells, read_funds
from lubudget_xl.reader.grid import read_indicators
from lubudget_xl.reader.identity import (
    INFO_SHEET,
    check_identity,
    default_catalog,
    identity_values,
    template_info,
)
from lubudget_xl.reader.layout import (
    OTHER_FORM_HINTS,
    OTHER_FORMS,
    Block,
    Label,
    blocks,
    index_sheet,
    other_form,
)
from lubudget_xl.selfeval.detect import SelfEvaluationForm, is_selfeval_workbook

# Sheets that are never project tables: the template's identity and the findings sheet a checked
# (annotated) copy carries, whose messages may quote labels such as "项目名称:…".
_NOT_PROJECTS = (INFO_SHEET, RESULT_SHEET)

# Merged ranges per sheet: ((first_row, first_col), (last_row, last_col)), 0-based, inclusive.
MergedRanges = Mapping[str, Iterable[tuple[tuple[int, int], tuple[int, int]]]]


_TEXT_FIELDS = {
    "name": "项目名称",
    "unit": "实施单位",
    "competent_department": "主管部门",
    "attribute": "项目属性",
    "period": "项目期",
}


def read_sheets(
    file: str,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    catalog: Catalog | None = None,
    properties: Mapping[str, Any] | None = None,
    *,
    merged: MergedRanges | None = None,
) -> ReadResult:
    """Every project table on every sheet. Raises UserError when no sheet holds a 项目名称 label.

    Without `catalog`, level names are normalised with the catalogue the template names (or the
    built-in one of its year, else 2021); identity is then not checked against a catalogue.
    """
    with gc_paused():
        return _read_sheets(file, sheets, catalog, properties, merged)


@contextmanager
def gc_paused() -> Iterator[None]:
    """A big sheet creates ~10 objects per row and no reference cycles; the cyclic collector would
    rescan all of them again and again (measured: half the reading time at 100,000 rows). Nests:
    only the outermost pause turns the collector back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_sheets(
    file: str,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    catalog: Catalog | None,
    properties: Mapping[str, Any] | None,
    merged: MergedRanges | None,
) -> ReadResult:
    if is_selfeval_workbook(properties):  # our 绩效自评表 (identity): refused before any indexing
        raise SelfEvaluationForm(file, sheets, properties, merged)
    result = ReadResult(file=file)
    info = template_info(identity_values(properties or {}, sheets.get(INFO_SHEET)))
    result.template = info
    result.issues.extend(check_identity(info, catalog, file))
    indexed = []
    lists = []
    others: dict[str, list[str]] = {}  # form kind → sheets holding that other form
    for sheet, grid in sheets.items():
        if sheet in _NOT_PROJECTS:
            continue
        index = index_sheet(grid)
        found = blocks(index, len(grid))
        kind = other_form(index)
        if kind is not None:
            others.setdefault(kind, []).append(sheet)
            continue
        if found:
            indexed.append((sheet, grid, index, found))
        elif index.list_rows:
            lists.append(sheet)
    if others and indexed:
        for kind, names in others.items():
            result.issues.append(Issue("READ_OTHER_FORM", Severity.WARNING,
                                       f"工作表“{'、'.join(names)}”是{OTHER_FORMS[kind]},不是项目支出绩效目标表,未读取",
                                       Location(file, names[0]), params={"kind": kind}))
    if not indexed:
        if set(others) == {"self_evaluation"}:  # only 自评表: refused, with the grids for load_any(selfeval=True)
            raise SelfEvaluationForm(file, sheets, properties, merged)
        if others:
            kind, names = next(iter(others.items()))
            raise UserError(f"{file}: 工作表“{'、'.join(names)}”是{OTHER_FORMS[kind]},不是项目支出绩效目标表"
                            f"{OTHER_FORM_HINTS[kind]}")
        if lists:
            raise UserError(f"{file}: 工作表“{'、'.join(lists)}”是清单式表格(一行一个项目,如汇总表),"
                            "不是绩效目标表;请提交按模板填写的工作簿")
        names = "、".join(s for s in sheets if s not in _NOT_PROJECTS) or "(无)"
        raise UserError(f"{file}: 没有找到项目表(没有任何工作表含“项目名称”单元格);工作表: {names}")
    if catalog is None:
        years = [t.year for _, _, index, _ in indexed for t in index.titles if t.year]
        tree_101 = uses_tree_101(_level_cells(indexed))
        catalog, chosen = default_catalog(info, years[0] if years else None, tree_101)
        if chosen:
            result.issues.append(Issue("READ_CATALOG_CHOSEN", Severity.INFO, chosen, Location(file),
                                       params={"catalog": catalog.version}))
    carried = carried_by_sheet(properties or {})
    levels: dict[tuple[str, str], tuple[str, str]] = {}
    for sheet, grid, index, found in indexed:
        merge_end = {tuple(a): tuple(b) for a, b in (merged or {}).get(sheet, ())}
        for block in found:
            ctx = SheetContext(file, sheet, grid, index, merge_end, levels=levels)  # type: ignore[arg-type]
            project = _read_block(ctx, block, catalog)
            if project is None:
                result.issues.append(
                    Issue("READ_BLANK_FORM", Severity.INFO, "空白的项目表(未填写项目名称和指标),已跳过",
                          ctx.loc(block.labels[0].row, block.labels[0].col) if block.labels else Location(file, sheet))
                )
                continue
            if block.grid_row is not None and not project.indicators:
                header = block.grid_row
                cols = block.grid_cols
                ctx.issues.append(Issue(
                    "READ_GRID_EMPTY", Severity.ERROR,
                    "找到了绩效指标表头,但其下没有读到任何指标行(指标可能写在了表头识别不到的列,"
                    "或表格被拆分);请检查绩效指标区域",
                    ctx.loc(header, min(cols.values())), project=project.name or None))
            project.template = info
            project.carried = dict(carried.get(sheet, {}))
            if project.year is None and info is not None and info.year:
                project.year = info.year
            result.projects.append(project)
            result.issues.extend(ctx.issues)
    if not result.projects:
        result.issues.append(
            Issue("READ_NO_PROJECT", Severity.ERROR, "空白表格:工作簿中的项目表都未填写(没有项目名称和绩效指标),没有可校验的内容;请填写后再提交", Location(file))
        )
    return result


def _level_cells(indexed: list[tuple[str, Sequence[Sequence[Any]], Any, list[Block]]]) -> Iterator[Any]:
    """The level-one and level-two cells under every grid header: where the tree shows itself
    (a sheet's other cells need not be looked at)."""
    for _, grid, _, found in indexed:
        for block in found:
            if block.grid_row is None:
                continue
            cols = [c for f, c in block.grid_cols.items() if f in ("level1", "level2")]
            for row in grid[block.grid_row + 1 : block.end]:
                yield from (row[c] for c in cols if c < len(row))


def _first(block: Block, field: str) -> Label | None:
    return block.first.get(field)


def _read_block(ctx: SheetContext, block: Block, catalog: Catalog | None) -> ProjectTarget | None:
    locations: dict[str, Location] = {}
    texts: dict[str, str] = {}
    for field, what in _TEXT_FIELDS.items():
        label = _first(block, field)
        if label is None:
            continue
        value, r, c = ctx.value_of(label)
        ctx.check_formula(value, r, c, what)
        texts[field] = cell_text(value)
        locations[field] = ctx.loc(r, c)
    ctx.project = texts.get("name") or None
    department, year = _department_and_year(ctx, block, locations)
    competent = department_text(texts.get("competent_department"))
    if not department and competent:
        # Neither 填报单位 nor a unit in the title: the form belongs to its competent department.
        department, locations["department"] = competent, locations["competent_department"]
    if "unit" not in texts and department and "department" in locations:
        # Forms without an 实施单位 row (预算单位 or 申报单位 only): the submitting unit carries it out.
        texts["unit"], locations["unit"] = department, locations["department"]
    cells = fund_cells(ctx, block)
    funds = read_funds(ctx, cells, locations)
    goal = _read_goal(ctx, block, locations)
    indicators = read_indicators(ctx, block, catalog)
    extra = _read_extra(ctx, block, locations, {r for r, _ in cells})
    extra.update(_other_grids(ctx, block, catalog, locations))
    if not texts.get("name") and not indicators and not goal and funds.total is None and funds.fiscal is None:
        return None
    return ProjectTarget(
        year=year,
        department=department,
        name=texts.get("name", ""),
        unit=texts.get("unit", ""),
        attribute=texts.get("attribute", ""),
        funds=funds,
        goal=goal,
        indicators=indicators,
        competent_department=texts.get("competent_department") if "competent_department" in texts else None,
        period=texts.get("period") if "period" in texts else None,
        extra=extra,
        source_file=ctx.file,
        locations=locations,
    )


def _department_and_year(ctx: SheetContext, block: Block, locations: dict[str, Location]) -> tuple[str, int | None]:
    """填报单位's value when filled, else the title's unit; the title's year, else `(2021年度)`."""
    department = ""
    label = _first(block, "department")
    if label is not None:
        value, r, c = ctx.value_of(label)
        ctx.check_formula(value, r, c, "填报单位")
        department = department_text(cell_text(value))  # "" for "(盖章)", "单位:万元": unfilled
        if department:
            locations["department"] = ctx.loc(r, c)
    titled = [t for t in block.titles if department_text(t.department)]
    if titled:
        title = titled[0]
        if not department:
            department = department_text(title.department)
            locations["department"] = ctx.loc(title.row, title.col)
        elif label_key(department) != label_key(department_text(title.department)):
            ctx.issues.append(
                Issue(
                    "READ_DEPARTMENT_MISMATCH",
                    Severity.WARNING,
                    f"标题中的单位“{title.department}”与填报单位“{department}”不一致",
                    locations["department"],
                    project=ctx.project,
                    params={"title": title.department, "department": department},
                )
            )
    year = None
    for title in sorted(block.titles, key=lambda t: not t.department):
        if title.year is not None:
            year = title.year
            locations["year"] = ctx.loc(title.row, title.col)
            break
    return department, year


def _read_goal(ctx: SheetContext, block: Block, locations: dict[str, Location]) -> str:
    """年度目标: text right of the label, or in the row below it (the published form's layout)."""
    label = _first(block, "goal")
    if label is None:
        return ""
    value, r, c = ctx.value_of(label)
    if value is None:
        below = label.row + 1
        stop = block.grid_row if block.grid_row is not None else block.end
        label_rows = {lb.row for lb in block.labels}
        if below < stop and below not in label_rows:
            row = ctx.grid[below] if below < len(ctx.grid) else ()
            for cc in range(label.col, min(len(row), ctx.right_limit)):
                if not is_blank(row[cc]):
                    value, r, c = row[cc], below, cc
                    break
            else:
                wide = ctx.span_end(label.row, label.col) > label.col
                if wide or not ctx.merge_end:
                    r, c = below, label.col
    ctx.check_formula(value, r, c, "年度目标")
    locations["goal"] = ctx.loc(r, c)
    return cell_text(value)


def _other_grids(ctx: SheetContext, block: Block, catalog: Catalog | None,
                 locations: dict[str, Location]) -> dict[str, str]:
    """Long-term grids (长期绩效指标 beside or before the year's): kept in extra, one line per row,
    under the label printed above them."""
    marks = sorted((lb.row, lb.col, lb.field) for lb in block.labels if lb.field in ("grid", "other_grid"))
    rows = sorted(r for r in ctx.index.grid_headers if block.start <= r < block.end and r != block.grid_row)
    kept: dict[str, str] = {}
    for row in rows:
        above = [m for m in marks if m[0] <= row]
        if not above or above[-1][2] != "other_grid":
            continue
        label_row, label_col, _ = above[-1]
        later = [r for r, _, _ in marks if r > row] + [r for r in rows if r > row]
        part = replace(block, grid_row=row, grid_cols=ctx.index.grid_headers[row], end=min([block.end, *later]))
        quiet = SheetContext(ctx.file, ctx.sheet, ctx.grid, ctx.index, ctx.merge_end, levels={})
        found = read_indicators(quiet, part, catalog)
        key = label_key(cell_text(ctx.grid[label_row][label_col]))
        kept[key] = "\n".join("|".join((i.level1, i.level2, i.level3, i.value)) for i in found)
        locations[f"extra.{key}"] = ctx.loc(row, min(part.grid_cols.values()))
    return kept


def _read_extra(
    ctx: SheetContext, block: Block, locations: dict[str, Location], fund_rows: set[int]
) -> dict[str, str]:
    """Header rows the form has beyond the known ones (项目来源 …), keyed by their label."""
    name = _first(block, "name")
    if name is None:
        return {}
    stop = block.grid_row if block.grid_row is not None else block.end
    label_rows = {lb.row for lb in block.labels}
    goal = _first(block, "goal")
    skip = label_rows | fund_rows | ({goal.row + 1} if goal else set())
    extra: dict[str, str] = {}
    for r in range(name.row + 1, min(stop, len(ctx.grid))):
        if r in skip:
            continue
        text = ctx.cell(r, name.col)
        if not isinstance(text, str) or is_blank(text) or len(text.strip()) > 20:
            continue
        value, vr, vc = ctx.right_of(r, name.col)
        key = label_key(text)
        if key not in extra:
            extra[key] = cell_text(value)
            locations[f"extra.{key}"] = ctx.loc(vr, vc)
    # Labels the vocabulary knows standing elsewhere in the header (项目类别 | X beside 项目名称 | Y).
    vocab = vocabulary()
    for r in range(name.row, min(stop, len(ctx.grid))):
        row = ctx.grid[r]
        for c in range(min(len(row), ctx.right_limit)):
            text = row[c]
            if not isinstance(text, str) or len(text) > 20 or vocab.header_field(text) not in ("extra", "other_goal"):
                continue
            key = label_key(text)
            if key in extra:
                continue
            value, vr, vc = ctx.right_of(r, c)
            extra[key] = cell_text(value)
            locations[f"extra.{key}"] = ctx.loc(vr, vc)
    return extra
