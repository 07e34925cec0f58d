"""Writes the official form onto an openpyxl sheet in many shapes, recording where each value went.

The reader tests build real workbooks with it, read them back and compare every field and every
location with what was recorded here (independently of the reader's label search).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

PROJECT = {
    "department": "六安市人民政府办公室",
    "year": 2021,
    "name": "市长热线工作经费",
    "unit": "六安市人民政府办公室本级",
    "attribute": "经常性项目",
    "funds": (156.0, 150.5, 5.5),
    "goal": "通过本项目的实施,完成市长热线接听、记录、答复、转办。",
    "indicators": [
        ("产出指标", "数量指标", "受理留言件次", "≥18万件次"),
        ("产出指标", "数量指标", "接线外包人数", "≥24人"),
        ("产出指标", "质量指标", "留言事项办理率", "≥95%"),
        ("产出指标", "时效指标", "留言办理时间", "一般性问题5个工作日内答复"),
        ("产出指标", "成本指标", "项目总成本", "≤156万元"),
        ("效益指标", "社会效益指标", "便民服务水平", "明显提高"),
        ("效益指标", "可持续影响指标", "平台运转", "保障平台正常运转"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥92%"),
    ],
}

_FULLWIDTH = str.maketrans({":": "：", "(": "（", ")": "）"})


@dataclass
class Shape:
    """How to deform the form: each switch is something users or other programs do."""

    row0: int = 1  # first row of the title
    col0: int = 1  # column of the label column (1 = A)
    blank_rows: tuple[str, ...] = ()  # insert a blank row after these labels ("unit", "grid:2" …)
    merge_levels: bool = True  # level one/two merged down, value only in the top-left
    numbers_as_text: bool = False
    fullwidth: bool = False  # full-width colons and brackets in labels
    trailing_spaces: bool = False
    goal_below: bool = True  # the published layout: 年度目标 text on the next row
    extra_fund: tuple[str, float] | None = None
    extra_header: tuple[str, str] | None = None
    competent: str | None = None  # a 主管部门 row
    check_area: bool = False
    department_cell: bool = False  # department written right of 填报单位(盖章)


@dataclass
class Written:
    cells: dict[str, str] = field(default_factory=dict)  # field → A1
    rows: list[dict[str, str]] = field(default_factory=list)  # per indicator: field → A1


def _a1(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def write_form(ws: Any, project: dict[str, Any] = PROJECT, shape: Shape | None = None) -> Written:
    """Write one project table at shape.row0/col0 of `ws`; return where each value went."""
    s = shape or Shape()
    out = Written()
    c0 = s.col0
    r = s.row0

    def lab(text: str) -> str:
        text = text.translate(_FULLWIDTH) if s.fullwidth else text
        return text + "  " if s.trailing_spaces else text

    def txt(text: str) -> str:
        return text + " " if s.trailing_spaces else text

    def num(value: float) -> Any:
        if not s.numbers_as_text:
            return value
        return f"{value:g}".translate(str.maketrans("0123456789.", "０１２３４５６７８９．")) if s.fullwidth else f"{value:g}"

    def gap(key: str) -> None:
        nonlocal r
        if key in s.blank_rows:
            r += 1

    title = f"{project['department']}{project['year']}年项目支出预算绩效目标表"
    ws.cell(r, c0, title)
    ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c0 + 5)
    out.cells["title"] = _a1(r, c0)
    r += 1
    ws.cell(r, c0, f"({project['year']}年度)")
    r += 1
    ws.cell(r, c0, lab("填报单位(盖章)"))
    if s.department_cell:
        ws.cell(r, c0 + 1, project["department"])
        out.cells["department"] = _a1(r, c0 + 1)
    else:
        out.cells["department"] = out.cells["title"]
    out.cells["year"] = out.cells["title"]
    r += 1
    gap("title")
    rows = [("项目名称", "name"), ("实施单位", "unit")]
    if s.competent:
        rows.insert(1, ("主管部门", "competent_department"))
    rows.append(("项目属性", "attribute"))
    for label, key in rows:
        ws.cell(r, c0, lab(label))
        value = s.competent if key == "competent_department" else project[key]
        ws.cell(r, c0 + 1, txt(value))
        ws.merge_cells(start_row=r, start_column=c0 + 1, end_row=r, end_column=c0 + 5)
        out.cells[key] = _a1(r, c0 + 1)
        r += 1
        gap(key)
    if s.extra_header:
        ws.cell(r, c0, s.extra_header[0])
        ws.cell(r, c0 + 1, s.extra_header[1])
        out.cells["extra_header"] = _a1(r, c0 + 1)
        r += 1
    fund_rows = [("年度资金总额:", "funds.total"), ("其中:财政拨款", "funds.fiscal"), ("其他资金", "funds.other")]
    if s.extra_fund:
        fund_rows.append((s.extra_fund[0], "extra"))
    first = r
    ws.cell(r, c0, lab("项目资金(万元)"))
    values = dict(zip(("funds.total", "funds.fiscal", "funds.other"), project["funds"], strict=True))
    for label, key in fund_rows:
        ws.cell(r, c0 + 1, lab(label))
        ws.merge_cells(start_row=r, start_column=c0 + 1, end_row=r, end_column=c0 + 2)
        amount = s.extra_fund[1] if key == "extra" else values[key]
        if amount is not None:
            ws.cell(r, c0 + 3, num(amount))
        out.cells[key] = _a1(r, c0 + 3)
        r += 1
    ws.merge_cells(start_row=first, start_column=c0, end_row=r - 1, end_column=c0)
    gap("funds")
    ws.cell(r, c0, lab("年度目标"))
    if s.goal_below:
        ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c0 + 5)
        r += 1
        ws.cell(r, c0, txt(project["goal"]))
        ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c0 + 5)
    else:
        ws.cell(r, c0 + 1, txt(project["goal"]))
        ws.merge_cells(start_row=r, start_column=c0 + 1, end_row=r, end_column=c0 + 5)
    out.cells["goal"] = _a1(r, c0) if s.goal_below else _a1(r, c0 + 1)
    r += 1
    gap("goal")
    ws.cell(r, c0, lab("绩效指标"))
    for i, head in enumerate(("一级指标", "二级指标", "三级指标", "本年度指标值")):
        ws.cell(r, c0 + 1 + i, lab(head))
    grid_top = r
    r += 1
    prev: tuple[str, str] = ("", "")
    starts: dict[int, int] = {}
    for n, (l1, l2, l3, value) in enumerate(project["indicators"]):
        cells = {"level3": _a1(r, c0 + 3), "value": _a1(r, c0 + 4), "row": f"{_a1(r, c0 + 1)}:{_a1(r, c0 + 4)}"}
        new1, new2 = l1 != prev[0], (l1, l2) != prev
        if new1 or not s.merge_levels:
            ws.cell(r, c0 + 1, txt(l1))
            starts[1] = r
        if new2 or not s.merge_levels:
            ws.cell(r, c0 + 2, txt(l2))
            starts[2] = r
        cells["level1"] = _a1(starts[1], c0 + 1)
        cells["level2"] = _a1(starts[2], c0 + 2)
        ws.cell(r, c0 + 3, txt(l3))
        ws.cell(r, c0 + 4, txt(value))
        out.rows.append(cells)
        prev = (l1, l2)
        r += 1
        gap(f"grid:{n}")
    if s.merge_levels:
        _merge_runs(ws, grid_top + 1, r - 1, c0 + 1)
    ws.merge_cells(start_row=grid_top, start_column=c0, end_row=r - 1, end_column=c0)
    if s.check_area:
        cc = c0 + 7
        ws.cell(s.row0, cc, "校验区")
        ws.cell(s.row0 + 1, cc, "项目名称")
        ws.cell(s.row0 + 1, cc + 1, f"={out.cells['name']}")
        ws.cell(s.row0 + 2, cc, "年度资金总额")
        ws.cell(s.row0 + 2, cc + 1, f"={out.cells['funds.fiscal']}+{out.cells['funds.other']}")
    out.cells["end"] = str(r)
    return out


def _merge_runs(ws: Any, top: int, bottom: int, col: int) -> None:
    """Merge each run of a value followed by blanks in `col` (and the next column) downwards."""
    for c in (col, col + 1):
        start = None
        for row in range(top, bottom + 2):
            value = ws.cell(row, c).value if row <= bottom else "END"
            if value not in (None, ""):
                if start is not None and row - 1 > start:
                    ws.merge_cells(start_row=start, start_column=c, end_row=row - 1, end_column=c)
                start = row
