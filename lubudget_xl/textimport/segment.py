"""Page structure: the title block that starts every printed page, and lines that carry no data.

Each printed page repeats the title (`<单位><年>年项目支出预算绩效目标表`), `(<年>年度)` and
`填报单位(盖章)`; a continuation page then repeats only `项目名称`. These lines are structural:
they set the department and year in force, and are never reported as skipped. Page numbers and
Markdown rule lines are not data either, but page numbers are reported (as info) so a reviewer can
see that nothing else was dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lubudget_xl.textimport.cells import Row, is_markdown_rule
from lubudget_xl.textimport.labels import (
    TITLE_MIDDLE,
    clean_label,
    is_page_number,
    is_stamp_label,
    parse_title,
    year_line,
)

BLANK, TITLE, YEAR, STAMP, RULE, PAGE_NUMBER = "blank", "title", "year", "stamp", "rule", "page_number"


@dataclass
class Structural:
    kind: str
    department: str = ""
    year: int | None = None


def classify(row: Row) -> Structural | None:
    """The structural kind of `row`, or None when it may hold data."""
    if row.blank:
        return Structural(BLANK)
    if is_markdown_rule(row):
        return Structural(RULE)
    text = row.joined("")
    title = parse_title(text)
    if title:
        return Structural(TITLE, department=title[0], year=title[1])
    year = year_line(text)
    if year is not None:
        return Structural(YEAR, year=year)
    first = row.filled[0].text
    if is_stamp_label(first) or is_stamp_label(clean_label(first).split(":")[0]):
        return Structural(STAMP, department=_stamp_department(row))
    if len(row.filled) == 1 and is_page_number(first):
        return Structural(PAGE_NUMBER)
    return None


def _stamp_department(row: Row) -> str:
    cells = row.filled
    first = clean_label(cells[0].text)
    if ":" in first and not is_stamp_label(first):
        return first.split(":", 1)[1]
    rest = [c.text for c in cells[1:] if clean_label(c.text) not in ("", "单位:万元", "金额单位:万元")]
    return rest[0] if rest else ""


def first_year(rows: list[Row]) -> int | None:
    """The year of the first title (or year line): it picks the default catalogue."""
    for row in rows:
        found = classify(row)
        if found and found.kind in (TITLE, YEAR) and found.year:
            return found.year
    return None


_TITLE_ANYWHERE = re.compile(
    r"((?:19|20)\d{2})[\s\u3000]*年度?[\s\u3000]*(?:(?:部门)?项目支出(?:预算)?|" + TITLE_MIDDLE + r")绩效目标"
    r"|[(（]((?:19|20)\d{2})年度?[)）]"
)


def title_year(text: str) -> int | None:
    """The year of the first title or year line wherever it stands (glued or flattened text)."""
    m = _TITLE_ANYWHERE.search(text)
    return int(m[1] or m[2]) if m else None
