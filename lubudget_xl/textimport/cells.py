"""Lines of text → rows of cells, whichever separator the extractor used.

PDF extractors and copy-paste give tab-separated cells (the seed), `|`-separated cells (Markdown
or wiki tables) or runs of spaces (`pdftotext -layout`). One separator is chosen per file, because a
value may legitimately contain a single `|` or space. A cell keeps its column index: the importer
never trusts columns for meaning, but uses them to align sign/unit columns and wrapped lines.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property

TAB, PIPE, CSV, SPACES, SINGLE_SPACE = "tab", "pipe", "csv", "spaces", "single_space"

_MULTI_SPACE = re.compile(r"[ \u3000]{2,}")
# A single space splits cells unless it follows punctuation (", " inside a sentence) or stands inside
# brackets ("数量( ≥**个 )").
_SINGLE_SPACE = re.compile(r"(?<![,，、;；:：。.!！?？(（])[ \u3000]+(?![)）])")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Cell:
    col: int
    text: str


@dataclass
class Row:
    """One input line: its 1-based number, the raw text, and its cells (empty ones included).

    Rows that `layouts.rebuild` lays out from scanned labels may cover several lines (`span`)."""

    number: int
    raw: str
    cells: list[Cell]
    span: tuple[int, ...] = ()  # other lines a rebuilt row came from (a cell per line, a broken label)
    exact: bool = False  # rebuilt from labels: a lone level-three cell is a row, not a wrapped line

    @cached_property
    def filled(self) -> list[Cell]:
        return [c for c in self.cells if c.text]

    @property
    def blank(self) -> bool:
        return not self.filled

    @property
    def last_col(self) -> int:
        filled = self.filled
        return filled[-1].col if filled else -1

    def joined(self, sep: str = "") -> str:
        return sep.join(c.text for c in self.filled)


def split_text(text: str, csv_file: bool = False) -> tuple[list[Row], str]:
    """All lines of `text` as rows, and the separator chosen (TAB, PIPE, CSV, SPACES, SINGLE_SPACE).

    `csv_file` (a .csv name) allows comma-separated cells when no line has a tab."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # a final newline does not start another line
    mode = detect_separator(lines)
    if csv_file and mode != TAB:
        mode = CSV
    return [Row(number=i, raw=line, cells=split_line(line, mode)) for i, line in enumerate(lines, start=1)], mode


def detect_separator(lines: list[str]) -> str:
    if any("\t" in line for line in lines):
        return TAB
    pipes = sum(1 for line in lines if line.count("|") >= 2)
    if pipes and pipes >= sum(1 for line in lines if line.strip()) // 4:
        return PIPE
    # Runs of spaces split cells where they are how the lines are laid out (pdftotext -layout), not
    # where one line of single-spaced text holds a stray run ("年度主要目标     和成果").
    multi = sum(1 for line in lines if _MULTI_SPACE.search(line.strip()))
    spaced = sum(1 for line in lines if " " in line.strip() or "\u3000" in line.strip())
    if multi and multi * 3 >= spaced:
        return SPACES
    return SINGLE_SPACE


def is_markdown_rule(row: Row) -> bool:
    """`|---|:---:|` lines between a Markdown table's header and body."""
    return bool(_MD_RULE.match(row.raw)) and "-" in row.raw


def split_line(line: str, mode: str) -> list[Cell]:
    line = line.replace("\f", " ").replace("\ufeff", "")
    if mode == TAB:
        parts = line.split("\t")
    elif mode == PIPE:
        stripped = line.strip()
        if "|" not in stripped:
            parts = [stripped]
        else:
            parts = stripped.split("|")
            if stripped.startswith("|"):
                parts = parts[1:]
            if stripped.endswith("|") and parts:
                parts = parts[:-1]
    elif mode == CSV:
        # One line at a time, so line numbers stay true; a quoted field never spans lines here.
        parts = next(csv.reader([line]), [])
    elif mode == SPACES:
        parts = _MULTI_SPACE.split(line.strip())
    else:
        parts = _SINGLE_SPACE.split(line.strip())
    return [Cell(col=i, text=_clean_cell(p)) for i, p in enumerate(parts)]


def _clean_cell(text: str) -> str:
    return text.replace("\u00a0", " ").strip(" \u3000\t\v")


# A wrapped name ending like this goes on in the next row rather than ending the previous one.
JOINING = ("、", ",", "，", ";", "；", "及", "和", "与", "或", "/", "-")


def glue(head: str, tail: str) -> str:
    """Join a wrapped line: no space between Chinese characters, one between Latin words."""
    if head and tail and head[-1].isascii() and head[-1].isalnum() and tail[0].isascii() and tail[0].isalnum():
        return f"{head} {tail}"
    return head + tail
