"""Text that stops inside the grid's last row: an excerpt cut off, not an indicator to import.

Pages copied in part, search-engine excerpts and interrupted downloads end in the middle of a table
row (`成本指标 | 气`, a name with its value missing, a value reduced to `≥`). Such a row is not read
as an indicator: it is reported (`IMPORT_CUT_ROW`, warning, with its line) so the reviewer knows the
table goes on beyond the text. Only the row built from the text's last line can be cut, and only
when it shows it: no value, a value that is a sign alone, or a last line left open where every
other `|` row is closed.
"""

from __future__ import annotations

import re

from lubudget_xl.issues import Issue
from lubudget_xl.model import Indicator, ProjectTarget

CUT = "IMPORT_CUT_ROW"
_SIGN_ONLY = re.compile(r"^[≥≤><=＞＜＝≧≦]+$")


def last_line(source: list[str]) -> int | None:
    """1-based number of the text's last non-blank line."""
    for n in range(len(source), 0, -1):
        if source[n - 1].strip():
            return n
    return None


def cut_reason(ind: Indicator, lines: set[int], source: list[str]) -> str | None:
    """Why the indicator read from `lines` is the cut-off end of the text, or None when it is whole."""
    end = last_line(source)
    if end is None or end not in lines:
        return None
    piped = [line.rstrip() for line in source if "|" in line]
    if len(piped) >= 5 and source[end - 1].rstrip().endswith("|"):
        return None  # the last cell is closed: the row is whole, even without a value (定性 rows)
    value = ind.value.strip()
    if not value and not ind.sign:
        return "没有指标值"
    if _SIGN_ONLY.match(value) and not ind.unit:
        return f"指标值只有符号“{value}”"
    closed = sum(1 for line in piped if line.endswith("|"))
    if len(piped) >= 5 and closed >= 0.8 * len(piped):
        return "最后一行没有以“|”结束"
    return None


_ABOUT_ROW = ("IMPORT_LEVEL_UNKNOWN", "IMPORT_UNPAIRED_CELLS", "IMPORT_UNSPLIT_ROW")


def cut_last_row(project: ProjectTarget | None, last: Indicator | None, lines: set[int],
                 source: list[str]) -> tuple[str, str, Indicator] | None:
    """Drop the project's last indicator when the text stops inside it: (message, reason, the row)."""
    if project is None or last is None or not project.indicators or last is not project.indicators[-1]:
        return None
    reason = cut_reason(last, lines, source)
    if not reason:
        return None
    project.indicators.pop()
    line = min(lines)
    return (f"文本在第{line}行起的指标行中间结束({reason}):“{last.level3}”未作为指标导入,原表在此之后还有内容,"
            "请核对完整的原表", reason, last)


def without_cut_row_findings(issues: list[Issue]) -> list[Issue]:
    """The findings about the cut row itself (its levels, its missing cells) say nothing more than
    IMPORT_CUT_ROW does: dropped with the row. A stated level name the catalogue does not know stays."""
    lines = {n for issue in issues if issue.code == CUT for n in issue.params.get("lines", ())}
    if not lines:
        return issues
    return [i for i in issues if not (i.code in _ABOUT_ROW and i.location.line in lines and "name" not in i.params)]
