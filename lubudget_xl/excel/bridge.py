"""What the ribbon buttons and the save check do, on any `WorkbookPort` (live Excel or a file).

Each operation reads the sheets through the port, feeds the grids to the reader's core
(`reader.read_sheets`, the same code that reads files), runs the rules, writes results back through
the port and tells the user in Chinese. The status bar shows progress and is always given back
(try/finally), also when an operation fails.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lubudget_xl.annotations import AnnotationPlan, plan_annotations, top_left
from lubudget_xl.catalog import Catalog, builtin_names, load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.excel.marks import OUR_SHEETS, apply_plan, clear_marks
from lubudget_xl.excel.port import WorkbookPort
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.read_result import ReadResult
from lubudget_xl.selfeval.detect import SelfEvaluationForm

TEMPLATE_ID = "LubudgetTemplateId"
PROJECT_LABEL = "项目名称"
BLANKED_HEADER = ("name", "unit", "competent_department", "attribute", "period", "funds.total", "funds.fiscal",
                  "funds.other", "goal")  # fmt: skip
BLANKED_INDICATOR = ("level3", "value", "sign", "unit", "note")


@dataclass
class CheckSummary:
    """What one check found; `plan` is what was (or, on save, would be) written into the workbook."""

    projects: int
    issues: list[Issue]
    plan: AnnotationPlan
    sheets: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def counts(self) -> dict[str, int]:
        return self.plan.counts


@contextmanager
def status_bar(port: WorkbookPort) -> Iterator[None]:
    """Progress goes to the status bar; whatever happens, Excel gets its status bar back."""
    try:
        yield
    finally:
        port.status(None)


def is_template_book(port: WorkbookPort) -> bool:
    return bool(str(port.custom_properties().get(TEMPLATE_ID) or "").strip())


def choose_catalog(properties: dict[str, Any], year: int | None = None) -> Catalog:
    """The catalogue the template names (version), else its year's, else the newest built-in."""
    names = builtin_names()
    version = properties.get("LubudgetCatalogVersion")
    if version:
        for name in names:
            catalog = load_catalog(name)
            if catalog.version == version:
                return catalog
    year = year or _as_int(properties.get("LubudgetYear"))
    if year and str(year) in names:
        return load_catalog(str(year))
    years = [n for n in names if n.isdigit()]
    return load_catalog(max(years) if years else names[-1])


def _as_int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def read_book(port: WorkbookPort, sheets: Sequence[str] | None = None) -> tuple[ReadResult, Catalog]:
    """Records from the live sheets (all, or `sheets` plus the template-info sheet)."""
    from lubudget_xl.reader import INFO_SHEET, read_sheets

    names = [n for n in port.sheet_names() if n not in OUR_SHEETS]
    wanted = names if sheets is None else [n for n in names if n in sheets or n == INFO_SHEET]
    grids, merged = {}, {}
    for number, name in enumerate(wanted, start=1):
        port.status(f"绩效目标:正在读取工作表 {number}/{len(wanted)}“{name}”……")
        grids[name] = port.values(name)
        merged[name] = port.merged_ranges(name)
    properties = port.custom_properties()
    file = port.workbook_path() or "(未保存的工作簿)"
    catalog = choose_catalog(properties)
    try:
        result = read_sheets(file, grids, catalog, properties, merged=merged)
    except SelfEvaluationForm:  # a 绩效自评表: the same grids, read as self-evaluations
        from lubudget_xl.selfeval.reader import read_selfeval_sheets

        return read_selfeval_sheets(file, grids, catalog, properties), catalog
    years = [p.year for p in result.projects if p.year]
    if not properties.get("LubudgetCatalogVersion") and years:
        by_data = choose_catalog(properties, max(set(years), key=years.count))
        if by_data.version != catalog.version:
            catalog = by_data
            result = read_sheets(file, grids, catalog, properties, merged=merged)
    return result, catalog


def _findings(port: WorkbookPort, sheets: Sequence[str] | None) -> tuple[ReadResult, list[Issue], AnnotationPlan]:
    from lubudget_xl.rules import check_projects

    result, catalog = read_book(port, sheets)
    port.status(f"绩效目标:正在校验 {len(result.projects)} 个项目……")
    issues = list(result.issues) + check_projects(result.projects, catalog)
    return result, issues, plan_annotations(issues, port.sheet_names())


def _count_text(counts: dict[str, int]) -> str:
    parts = [f"{s.label} {counts.get(s.value, 0)} 项" for s in Severity if counts.get(s.value)]
    return "、".join(parts)


def _check(port: WorkbookPort, sheets: Sequence[str] | None, scope: str) -> CheckSummary:
    with status_bar(port):
        port.status("绩效目标:正在清除上次的标注……")
        clear_marks(port)
        result, issues, plan = _findings(port, sheets)
        port.status(f"绩效目标:正在标注 {len(plan.marks)} 个单元格……")
        apply_plan(port, plan)
        if issues:
            text = (f"校验完成({scope}):共 {len(result.projects)} 个项目,发现{_count_text(plan.counts)}。"
                    f"问题单元格已加批注和底色,清单见“{plan.sheet_name}”表(点位置可跳转)。")  # fmt: skip
        else:
            text = f"校验完成({scope}):共 {len(result.projects)} 个项目,未发现问题。"
        port.message(text)
        return CheckSummary(len(result.projects), issues, plan, list(sheets or []), text)


def check_sheet(port: WorkbookPort) -> CheckSummary:
    """校验本表: the active project sheet."""
    sheet = port.active_sheet()
    if sheet in OUR_SHEETS or not _is_project_grid(port.values(sheet)):
        raise UserError(f"工作表“{sheet}”不是项目表(没有“{PROJECT_LABEL}”单元格),请切换到项目表再点“校验本表”。")
    return _check(port, [sheet], f"工作表“{sheet}”")


def check_all(port: WorkbookPort) -> CheckSummary:
    """校验全部: every project sheet of the workbook."""
    return _check(port, None, "全部工作表")


def clear(port: WorkbookPort) -> int:
    """清除标注."""
    with status_bar(port):
        port.status("绩效目标:正在清除标注……")
        restored = clear_marks(port)
        port.message(f"已清除 {restored} 处标注和“校验结果”表。" if restored else "没有需要清除的标注。")
        return restored


def on_save(port: WorkbookPort) -> CheckSummary | None:
    """Before a save: check everything, write nothing, tell the user only when something was found.

    Marks are left alone (the save must not change what the user saves); the summary points to
    校验全部 for the marks. Never raises for findings: the save always goes on.
    """
    if not is_template_book(port):
        return None
    with status_bar(port):
        result, issues, plan = _findings(port, None)
        serious = [i for i in issues if i.severity in (Severity.ERROR, Severity.WARNING)]
        if not serious:
            return CheckSummary(len(result.projects), issues, plan)
        sheets = list(dict.fromkeys(i.location.sheet for i in serious if i.location.sheet))
        named = "、".join(f"“{s}”" for s in sheets[:3]) + (f" 等 {len(sheets)} 张表" if len(sheets) > 3 else "")
        where = f"(工作表:{named})" if sheets else ""
        text = (f"保存前校验:{len(result.projects)} 个项目中发现{_count_text(plan.counts)}{where}。"
                "文件照常保存;点“绩效目标”选项卡的“校验全部”可在单元格上查看问题。")  # fmt: skip
        port.message(text)
        return CheckSummary(len(result.projects), issues, plan, sheets, text)


def _is_project_grid(grid: list[list[Any]]) -> bool:
    """The shared rule: a project sheet holds a cell whose text is 项目名称 (spaces, colons aside)."""
    for row in grid:
        for value in row:
            if isinstance(value, str) and value.replace(" ", "").replace("\u3000", "").rstrip(":：") == PROJECT_LABEL:
                return True
    return False


def _project_sheets(port: WorkbookPort) -> list[str]:
    return [name for name in port.sheet_names() if name not in OUR_SHEETS and _is_project_grid(port.values(name))]


def new_project_sheet(port: WorkbookPort) -> str:
    """新增项目表: copy a project sheet (the active one if it is one) and empty what was filled in."""
    from lubudget_xl.reader import read_sheets

    with status_bar(port):
        port.status("绩效目标:正在新增项目表……")
        project_sheets = _project_sheets(port)
        if not project_sheets:
            raise UserError("工作簿中没有项目表(含“项目名称”的工作表),无法新增。")
        source = port.active_sheet() if port.active_sheet() in project_sheets else project_sheets[0]
        names = set(port.sheet_names())
        number = len(project_sheets) + 1
        while f"项目{number}" in names:
            number += 1
        name = f"项目{number}"
        port.copy_sheet(source, name)
        properties = port.custom_properties()
        result = read_sheets(port.workbook_path(), {name: port.values(name)}, choose_catalog(properties), properties,
                             merged={name: port.merged_ranges(name)})  # fmt: skip
        cells = set()
        for project in result.projects:
            cells |= {loc.cell for key, loc in project.locations.items() if key in BLANKED_HEADER and loc.cell}
            for indicator in project.indicators:
                cells |= {loc.cell for key, loc in indicator.locations.items() if key in BLANKED_INDICATOR and loc.cell}
        for cell in sorted(filter(None, (top_left(c) for c in cells))):
            port.write_values(name, cell, [[None]])
        port.message(f"已新增项目表“{name}”(按“{source}”的格式复制,已清空填写内容),请改成项目名称后填写。")
        return name


def _row_of(cell: str) -> int:
    digits = "".join(ch for ch in (top_left(cell) or "") if ch.isdigit())
    return int(digits) if digits else 0


def insert_indicator_row(port: WorkbookPort) -> int:
    """插入指标行: a new row below the selected indicator row, formatted like it."""
    from lubudget_xl.reader import read_sheets

    sheet, row = port.active_sheet(), _row_of(port.active_cell())
    with status_bar(port):
        port.status("绩效目标:正在插入指标行……")
        properties = port.custom_properties()
        try:
            result = read_sheets(port.workbook_path(), {sheet: port.values(sheet)}, choose_catalog(properties),
                                 properties, merged={sheet: port.merged_ranges(sheet)})  # fmt: skip
        except UserError:
            result = None
        for project in result.projects if result else []:
            rows = [_row_of(i.locations["row"].cell) for i in project.indicators if i.locations.get("row")]
            if rows and min(rows) <= row <= max(rows):
                port.insert_row(sheet, row + 1)
                port.message(f"已在工作表“{sheet}”第 {row + 1} 行插入指标行(项目“{project.name}”),请填写三级指标和指标值。")
                return row + 1
        raise UserError("请先选中“绩效指标”表格中的一行(已填写的指标行),再点“插入指标行”。")


def records_path(workbook: str) -> Path:
    path = Path(workbook)
    return path.with_name(path.stem + ".records.json")


def export_records(port: WorkbookPort) -> Path:
    """导出记录: every project as records JSON beside the workbook (`<name>.records.json`)."""
    from lubudget_xl.records import write_records

    if not port.workbook_path():
        raise UserError("工作簿还没有保存过,请先保存,再导出记录(记录文件放在工作簿旁边)。")
    with status_bar(port):
        result, _ = read_book(port)
        target = records_path(port.workbook_path())
        port.status(f"绩效目标:正在写入 {target.name}……")
        write_records(result.projects, target)
        port.message(f"已导出 {len(result.projects)} 个项目的记录:{target}")
        return target


def consolidate_folder(port: WorkbookPort, folder: str | Path) -> Path:
    """汇总文件夹 (reviewers): every workbook in `folder` → a master workbook in that folder."""
    from lubudget_xl.excel.consolidation import consolidate_to_master

    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"{folder}: 文件夹不存在或无法打开。")
    with status_bar(port):
        def progress(done: int, total: int, current: str) -> None:
            port.status(f"绩效目标:正在汇总 {done}/{total} {Path(current).name if current else ''}")

        target, summary = consolidate_to_master(folder, progress)
        port.message(f"汇总完成:{summary}。汇总表:{target}")
        return target
