"""What the documents people print and send carry (issue 13): a title block naming the issuing unit,
the date issued and the deadline, and the page setup every such sheet shares.

Pure data and text: the return-list writer (XlsxWriter), the annotated copy (openpyxl) and the Excel
bridge (through its port) each apply it with their own library, so the three print alike: A4, one
page wide and as many pages tall as needed (the text stays at its size: nothing is shrunk to fit a
page), the header row repeated on every page, "第 N 页 共 M 页" in the footer, cell borders printed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from lubudget_xl.errors import UserError

# Excel's header/footer codes: &C centre, &P page number, &N number of pages.
FOOTER_CENTRE = "第 &P 页 共 &N 页"
FOOTER = "&C" + FOOTER_CENTRE
# Margins in inches (Excel's unit): narrow at the sides so the table keeps its text size.
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.7, "header": 0.3, "footer": 0.3}
A4 = 9  # Excel's paperSize code
# Printable width of A4 landscape within MARGINS, in Excel column-width units of an 11 pt default
# font (about 5.6 pt each, 7 px + padding): tables wider than this would be scaled down to fit.
LANDSCAPE_WIDTH_UNITS = 140
MAX_ROW_HEIGHT = 409.0  # Excel's largest row height in points
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_deadline(text: str | None) -> date | None:
    """`--deadline 2024-03-31` as a date; a malformed or impossible date is a Chinese UserError."""
    if text is None or not str(text).strip():
        return None
    match = _DATE.match(str(text))
    if not match:
        raise UserError(f"--deadline {text}: 截止日期应写成 年-月-日,例如 2024-03-31")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise UserError(f"--deadline {text}: 没有这一天(请检查月份和日期),例如 2024-03-31") from None


def chinese_date(day: date) -> str:
    """2024-03-05 → 2024年3月5日 (as dates are written in official documents)."""
    return f"{day.year}年{day.month}月{day.day}日"


def clean_issuer(text: str | None) -> str:
    """The issuing unit as one line (no control characters or line breaks), at most 60 characters."""
    if not text:
        return ""
    flat = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(text))
    return " ".join(flat.split())[:60]


@dataclass(frozen=True)
class Heading:
    """The title block's facts: who issues the document, when, and by when it must come back."""

    issuer: str = ""
    issued: date = field(default_factory=date.today)
    deadline: date | None = None

    @classmethod
    def from_options(
        cls, issuer: str | None = None, deadline: str | None = None, issued: date | None = None
    ) -> Heading:
        """From the CLI's `--issuer` and `--deadline` (validated here, Chinese errors)."""
        return cls(clean_issuer(issuer), issued or date.today(), parse_deadline(deadline))

    def issued_line(self) -> str:
        """`发文单位:六安市财政局    发文日期:2024年3月1日` (the unit only when given)."""
        parts = [f"发文单位:{self.issuer}"] if self.issuer else []
        return "    ".join([*parts, f"发文日期:{chinese_date(self.issued)}"])

    def request(self, default: str = "修改后请重新报送。") -> str:
        """`请于2024年3月31日前修改后报回。` with a deadline, `default` without one."""
        return f"请于{chinese_date(self.deadline)}前修改后报回。" if self.deadline else default


def demo_heading() -> Heading:
    """The title block `lubudget demo` prints on its return lists and annotated copy."""
    from datetime import timedelta

    today = date.today()
    return Heading("六安市财政局", today, today + timedelta(days=14))


def display_width(text: str) -> int:
    """Width in Excel's column units: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_needed(text: str, width_units: float, size_pt: float = 11) -> int:
    """How many lines `text` takes when wrapped in a cell `width_units` wide at `size_pt`: a CJK
    character is about two units at 11 pt, and a little is kept for the cell's padding and for
    lines that break before a word."""
    per_line = max(1.0, (width_units - 0.5) * 11 / size_pt)
    return max(1, sum(max(1, math.ceil(display_width(part) * 1.05 / per_line)) for part in str(text).split("\n")))


def row_height(cells: list[tuple[str, float, float]]) -> float:
    """Row height in points for wrapped `(text, column width in units, font size)` cells.

    Set explicitly: LibreOffice keeps a row's stored height when it opens an .xlsx (the wrapped
    text would be cut to one line), and Excel does not grow rows under merged cells. A little
    generous, since the fonts that print CJK (宋体, Noto CJK) set lines about 1.4 times their size.
    """
    lines_of = [(lines_needed(text, width, size), size) for text, width, size in cells if text]
    if not lines_of:
        return 15.0
    return min(MAX_ROW_HEIGHT, max(4 + n * size * 1.3 for n, size in lines_of))
