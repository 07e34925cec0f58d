"""Where everything sits on a project sheet, computed from the catalogue's form, plus the styles.

One `FormLayout` answers "which cell holds X" for the builder, the dropdowns, the check area and the
filler alike, so positions are never computed twice. The labels are the official wording of the
form vocabulary (catalog/data/vocabulary.json), which the readers use too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lubudget_xl.catalog import Catalog
from lubudget_xl.catalog.vocabulary import vocabulary

TEMPLATE_ID = "lubudget-pt"
# Bump when the sheet layout changes; the template version is "<year>.<LAYOUT_REVISION>".
LAYOUT_REVISION = 1
GRID_ROWS = 30  # indicator rows pre-formatted on a blank project sheet
EXTRA_ROWS = 100  # validations and checks reach this far below the grid, so inserted rows keep them

# Labels: the official wording from the form vocabulary (the readers find fields by the same
# vocabulary, never by position).
_VOCAB = vocabulary()
TITLE_SUFFIX = "年项目支出预算绩效目标表"
DEPARTMENT_LABEL = f"{_VOCAB.official('header', 'department')}(盖章)"
FUNDS_LABEL = f"{_VOCAB.official('header', 'funds')}(万元)"
INDICATORS_LABEL = _VOCAB.official("header", "grid")
CHECK_AREA_LABEL = "校验区"
FIELD_LABELS = {
    **{f: _VOCAB.official("header", f) for f in ("name", "competent_department", "unit", "attribute", "period", "goal")},
    "funds.total": _VOCAB.official("funds", "total"),
    "funds.fiscal": f"其中:{_VOCAB.official('funds', 'fiscal')}",
    "funds.other": _VOCAB.official("funds", "other"),
}
FUND_KEYS = ("funds.total", "funds.fiscal", "funds.other")
DEFAULT_HEADER_FIELDS = ["name", "unit", "attribute", *FUND_KEYS, "goal"]
# Checked in the 校验区 where the form has the row (RULES.md: 主管部门/项目期 only in forms that have them).
REQUIRED_FIELDS = ("department", "name", "competent_department", "unit", "attribute", "period", "funds.total", "goal")

# Grid columns: key -> (header label, width in characters).
GRID_COLUMNS: dict[str, tuple[str, float]] = {
    key: (_VOCAB.official("grid_columns", key), width)
    for key, width in (("level1", 11), ("level2", 15), ("level3", 23), ("sign", 10), ("value", 29), ("unit", 9))
}
LABEL_COLUMN_WIDTH = 13


@dataclass(frozen=True)
class FormLayout:
    """Cell positions of one project sheet. Rows and columns are 1-based; `grid_rows` may grow."""

    year: int
    header_fields: tuple[str, ...]  # non-fund header rows in order (keys, or labels of extra rows)
    fund_rows: tuple[str, ...]  # fund keys, then labels of the form's extra fund rows
    grid_keys: tuple[str, ...]  # level1, level2, level3, [sign], value, [unit]
    grid_rows: int = GRID_ROWS
    rows: dict[str, int] = field(default_factory=dict)  # field key or extra label -> row

    # --- columns -------------------------------------------------------------------------------
    @property
    def last_col(self) -> int:
        return 1 + len(self.grid_keys)

    @property
    def last_letter(self) -> str:
        return get_column_letter(self.last_col)

    def grid_col(self, key: str) -> int:
        return 2 + self.grid_keys.index(key)

    def grid_letter(self, key: str) -> str:
        return get_column_letter(self.grid_col(key))

    @property
    def fund_col(self) -> int:
        """Fund amounts sit right of the sub-label, which spans B:C."""
        return 4

    @property
    def check_label_col(self) -> int:
        return self.last_col + 2

    @property
    def check_value_col(self) -> int:
        return self.last_col + 3

    # --- rows ----------------------------------------------------------------------------------
    title_row = 1
    year_row = 2
    department_row = 3

    @property
    def grid_header_row(self) -> int:
        return self.rows["grid_header"]

    @property
    def grid_first(self) -> int:
        return self.grid_header_row + 1

    @property
    def grid_last(self) -> int:
        return self.grid_header_row + self.grid_rows

    @property
    def check_last(self) -> int:
        """Last row that validations, formatting and COUNTIF ranges cover."""
        return self.grid_last + EXTRA_ROWS

    def grid_range(self, key: str, absolute: bool = True) -> str:
        col = self.grid_letter(key)
        if absolute:
            return f"${col}${self.grid_first}:${col}${self.check_last}"
        return f"{col}{self.grid_first}:{col}{self.check_last}"

    def value_cell(self, key: str) -> str:
        """A1 address of the input cell of a header field, fund row or the department."""
        if key == "department":
            return f"B{self.department_row}"
        if key in self.fund_rows:
            return f"{get_column_letter(self.fund_col)}{self.rows[key]}"
        return f"B{self.rows[key]}"

    def fund_cells(self) -> list[str]:
        return [self.value_cell(k) for k in self.fund_rows]


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


def form_settings(catalog: Catalog) -> dict[str, Any]:
    return catalog.data.get("form") or {}


def layout_for(catalog: Catalog, grid_rows: int = GRID_ROWS) -> FormLayout:
    """The layout of the catalogue's form: which header rows, fund rows and grid columns it has."""
    form = form_settings(catalog)
    # department and year sit above the table (填报单位 row, "(<年>年度)"), not in header rows
    fields = [f for f in (form.get("header_fields") or DEFAULT_HEADER_FIELDS) if f not in ("department", "year")]
    extra_funds = [str(x) for x in form.get("extra_fund_rows", [])]
    header = tuple(f for f in fields if f not in FUND_KEYS)
    funds = (*FUND_KEYS, *extra_funds)
    keys = ["level1", "level2", "level3"]
    if form.get("sign_column"):
        keys.append("sign")
    keys.append("value")
    if form.get("unit_column"):
        keys.append("unit")
    rows: dict[str, int] = {}
    row = 4
    # Header rows in the form's order; the fund block goes where its first key is listed.
    order = list(fields)
    if not any(k in order for k in FUND_KEYS):
        order.insert(order.index("goal") if "goal" in order else len(order), FUND_KEYS[0])
    placed_funds = False
    for key in order:
        if key in FUND_KEYS:
            if not placed_funds:
                for fund in funds:
                    rows[fund] = row
                    row += 1
                placed_funds = True
            continue
        rows[key] = row
        row += 1
    rows["grid_header"] = row
    return FormLayout(catalog.year, header, funds, tuple(keys), grid_rows, rows)


# --- styles ---------------------------------------------------------------------------------------
FONT_NAME = "宋体"  # SimSun, the face of printed official forms
FONT = Font(name=FONT_NAME, size=11)
FONT_BOLD = Font(name=FONT_NAME, size=11, bold=True)
FONT_TITLE = Font(name=FONT_NAME, size=16, bold=True)
FONT_SMALL = Font(name=FONT_NAME, size=10)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNDERLINE = Border(bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
FILL_MISSING = PatternFill("solid", start_color="FFFF99", end_color="FFFF99")
FILL_WRONG = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
FILL_CHECK_HEADER = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
FONT_WRONG = Font(name=FONT_NAME, size=11, color="9C0006")
FONT_OK = Font(name=FONT_NAME, size=11, color="006100")
NUMBER_FORMAT_FUNDS = "#,##0.00##"
