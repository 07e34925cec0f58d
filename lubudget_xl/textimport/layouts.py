"""Which layout extraction gave the text, and rows of cells rebuilt from the scanner's tokens.

Tab, `|`, CSV and runs-of-spaces text keeps its cells: `cells.split_text` reads it. Three layouts do
not, and are recognised from the line that holds 项目名称:
- CELLS: one cell per line (pdftotext without -layout, many web pages), with or without blank
  lines between: 项目名称 stands alone and its value is on the next line;
- GLUED: one table row per line with nothing between cells (`项目名称农村饮水安全工程`);
- FLAT: the same, but the whole table in one line (GLUED's long form; read the same way).
For these the label-driven `scanner` cuts the text, and `rebuild` lays the tokens out as the rows a
tab-separated table would have given (label in the first cell, grid cells in the heading's columns),
so the one importer reads every layout. Each rebuilt row keeps the lines it came from.

Grid rows are where the layouts differ: in CELLS each line is one cell (a level-three name, then its
value); in GLUED/FLAT a name and its value are glued and `valuesplit` finds where the value starts.
Text it cannot cut is imported as a level-three name without value and reported (IMPORT_UNSPLIT_ROW).
"""

from __future__ import annotations

import re

from lubudget_xl.catalog import Catalog
from lubudget_xl.catalog.vocabulary import vocabulary as form_vocabulary
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location
from lubudget_xl.textimport import scanner as sc
from lubudget_xl.textimport.cells import PIPE, SINGLE_SPACE, SPACES, Cell, Row
from lubudget_xl.textimport.gridrows import CELLS, GridRows
from lubudget_xl.textimport.scanner import Token, scan
from lubudget_xl.textimport.valuesplit import split_rows

GLUED = "glued"
# The 101号 tree's own level twos: seen in the text, the catalogue is chosen before the cells are cut.
TREE_101_MARKS = ("经济成本指标", "社会成本指标", "生态环境成本指标")

_SPACE = re.compile(r"[\s\u3000]+")
_VERTICAL = {"绩", "效", "指", "标", "绩效", "指标", "效指", "绩效指"}  # pieces of a vertical 绩效指标 cell


def detect(lines: list[str]) -> str | None:
    """CELLS or GLUED when the lines holding the name label (项目名称, 项目支出名称, 专项名称 … in the form
    vocabulary) say so, else None (a separator layout)."""
    votes = {CELLS: 0, GLUED: 0, None: 0}
    for line in lines:
        m = _name_label().search(line)
        if not m:
            continue
        before, after = line[: m.start()].strip(" \t\u3000|"), line[m.end() :]
        if before and len(line) < 80:
            continue  # a name label inside a sentence; a flattened table's line is long
        if not before and not after.strip(" \t\u3000|"):
            votes[CELLS] += 1
        elif after and not after[0].isspace() and after[0] not in "|,\t":
            votes[GLUED] += 1
        else:
            votes[None] += 1
    best = max(votes, key=lambda k: votes[k])
    return best if votes[best] and best is not None else None


_NAME_CACHE: list[re.Pattern[str]] = []


def _name_label() -> re.Pattern[str]:
    """The name label's printed spellings, spaces allowed between characters, with a colon."""
    if not _NAME_CACHE:
        variants = sorted(set(form_vocabulary().variants("header")["name"]) | {"项目名称"}, key=len, reverse=True)
        spelled = "|".join(r"[ \u3000]*".join(map(re.escape, v)) for v in variants)
        _NAME_CACHE.append(re.compile(rf"(?:{spelled})[:：]?"))
    return _NAME_CACHE[0]


class Rebuilder(GridRows):
    """Tokens → rows of cells, laid out as a tab-separated table, and the findings made on the way."""

    def __init__(self, file: str, layout: str, line_count: int, breaks: frozenset[int] = frozenset()) -> None:
        self.file, self.layout, self.line_count = file, layout, line_count
        self.breaks = breaks  # lines that end a table row (`|||` between one-cell lines)
        self.rows: list[Row] = []
        self.issues: list[Issue] = []
        self.heading: dict[str, int] = {"level1": 1, "level2": 2, "level3": 3, "value": 4}
        self.absorbed: list[int] = []  # lines of vertical-label pieces, given to the next row
        self.funds_open = False

    # -- output --------------------------------------------------------------------------------
    def emit(self, cells: list[tuple[int, str]], tokens: list[Token], exact: bool = False) -> Row:
        lines = sorted({n for t in tokens for n in (t.lines or (t.line,))} | set(self.absorbed))
        self.absorbed = []
        number = min(t.line for t in tokens)
        row = Row(number=number, raw=" ".join(text for _, text in cells),
                  cells=[Cell(col, text) for col, text in sorted(cells)])
        row.span = tuple(n for n in lines if n != number)
        row.exact = exact
        self.rows.append(row)
        return row

    def warn(self, code: str, line: int, message: str, **params: object) -> None:
        self.issues.append(Issue(code=code, severity=Severity.WARNING, message=message,
                                 location=Location(file=self.file, line=line), params=dict(params)))

    # -- driver --------------------------------------------------------------------------------
    def run(self, tokens: list[Token]) -> list[Row]:
        groups: list[tuple[Token | None, list[Token]]] = [(None, [])]
        for token in tokens:
            if token.kind == sc.TEXT:
                groups[-1][1].append(token)
            else:
                groups.append((token, []))
        if self.layout == CELLS:
            _share_goal_texts(groups)
        grid: list[Token] = []
        for n, (label, texts) in enumerate(groups):
            following = groups[n + 1][0] if n + 1 < len(groups) else None
            in_grid = bool(grid) or (label is not None and label.kind in (sc.GRID, sc.HEADING, sc.LEVEL))
            if following is not None and following.kind in (sc.HEADING, sc.GRID) and texts and texts[-1].bol \
                    and texts[-1].line == following.line and _SPACE.sub("", texts[-1].text) in _VERTICAL:
                self.absorbed.append(texts.pop().line)  # 绩一级指标…: a clipped 绩效指标 label
            if following is not None and following.kind == sc.TITLE and texts and texts[-1].line == following.line \
                    and not texts[-1].eol:
                following.text = self.title_department(texts, in_grid) + following.text
            if label is not None and label.kind in (sc.HEADING, sc.LEVEL):
                grid += [label, *texts]
                continue
            if grid:
                self.grid_rows(grid)
                grid = []
            if label is not None and label.kind == sc.GRID:
                self.emit([(0, label.text)], [label])
                grid = [t for t in texts if not self.vertical_piece(t)]
                while grid and following is not None and following.kind == sc.HEADING \
                        and form_vocabulary().header_field(grid[0].text):
                    # a column caption beside the grid's label (保障绩效目标实现措施): a label of its own
                    self.emit([(0, grid[0].text)], [grid.pop(0)])
                continue
            self.labelled(label, texts)
        if grid:
            self.grid_rows(grid)
        return self.with_blank_lines()

    @staticmethod
    def title_department(texts: list[Token], in_grid: bool) -> str:
        """The department before a title on the same line; in a grid, what no indicator row claims."""
        last = texts[-1]
        if not in_grid or last.bol:
            texts.pop()
            return last.text
        pairs, rest = split_rows(last.text)
        if pairs and rest:
            last.text = last.text[: len(last.text) - len(rest)].rstrip()
            return rest
        return ""

    def labelled(self, label: Token | None, texts: list[Token]) -> None:
        if label is None or label.kind == sc.FOOTER or label.kind == sc.NOTE:
            if label is not None:  # a footer or unit note: kept as one unrecognised cell, reported
                value, rest = _value_of(label, texts)
                self.emit([(0, label.text + "".join(t.text for t in value))], [label, *value])
                texts = rest
            for t in texts:
                self.emit([(0, t.text)], [t])
            return
        kind = label.kind
        if kind in (sc.TITLE, sc.YEAR):
            self.emit([(0, label.text)], [label])
            for t in texts:
                self.emit([(0, t.text)], [t])
            if kind == sc.TITLE:
                self.funds_open = False
            return
        value, rest = _value_of(label, texts)
        if value and value[0].line != (label.lines or (label.line,))[-1] and self.broken(label.line, value[0].line):
            value, rest = [], texts  # the next line is past a row separator: the label's cell is empty
        if kind == sc.STAMP:
            self.emit([(0, label.text), (1, _joined(value))], [label, *value])
        elif kind in (sc.HEADER, sc.EXTRA):
            if label.key == "name":
                self.funds_open = False
                self.heading = {"level1": 1, "level2": 2, "level3": 3, "value": 4}
            if label.key == "funds":
                self.funds_open = True
            self.emit([(0, label.text), *([(1, _joined(value))] if value else [])], [label, *value])
        elif kind == sc.FUND:
            cells = [(1, label.text)]
            if not self.funds_open:  # a fund row without the 项目资金 label before it
                cells.insert(0, (0, "项目资金"))
                self.funds_open = True
            if value:
                cells.append((2, _joined(value)))
            self.emit(cells, [label, *value])
        if kind in (sc.STAMP, sc.HEADER, sc.EXTRA, sc.FUND):
            self.after_value(rest, value[-1].line if value else label.line, kind == sc.FUND)
            return
        if kind == sc.GOAL:
            lines = [t for t in texts if not self.vertical_piece(t) and not self.caption(t)]
            first = [(1, lines[0].text)] if lines and lines[0].line == label.line else []
            # a clipped label (年度) is written out as the vocabulary prints it
            text = label.text if form_vocabulary().header_field(label.text) else form_vocabulary().official("header", "goal")
            self.emit([(0, text), *first], [label, *(lines[:1] if first else [])])
            for t in lines[1:] if first else lines:
                self.emit([(0, t.text)], [t])
            return

    def after_value(self, rest: list[Token], previous: int, funds: bool) -> None:
        """Lines after a label's value and before the next known label.

        A header label the vocabulary does not know, with its value (`项目编号:` / `2023-01`, or
        `项目编号:2023-01` on one line), is kept as such: the importer files it in `extra` under its own
        label. In one-cell-per-line text any other line is the value's wrapped end (the importer glues
        it on); in glued text, where a line is a table row, and past a row separator (`|||`), it is a
        line of its own, reported when the importer cannot use it."""
        n = 0
        while n < len(rest):
            t = rest[n]
            nxt = rest[n + 1] if n + 1 < len(rest) else None
            label, _, value = t.text.partition(":") if ":" in t.text[:12] else ("", "", "")
            if not funds and label and value.strip() and _label_like(label):
                self.emit([(0, label), (1, value.strip())], [t])
            elif not funds and self.layout == CELLS and nxt is not None and _label_like(t.text) \
                    and (t.text.endswith(":") or not _label_like(nxt.text)):
                self.emit([(0, t.text.rstrip(":")), (1, nxt.text)], [t, nxt])
                t, n = nxt, n + 1
            else:
                own = self.layout != CELLS or self.broken(previous, t.line)
                self.emit([(0, t.text)], [t], exact=own)
            previous = t.line
            n += 1

    def caption(self, token: Token) -> bool:
        if _is_caption(token):
            self.absorbed.append(token.line)
            return True
        return False

    def vertical_piece(self, token: Token) -> bool:
        """A line holding only a piece of a vertical 绩效指标 label: not data, its line is absorbed."""
        if token.bol and token.eol and _SPACE.sub("", token.text) in _VERTICAL:
            self.absorbed.append(token.line)
            return True
        return False

    # -- grid ----------------------------------------------------------------------------------
    def with_blank_lines(self) -> list[Row]:
        """Rows in order, with a blank row for every line no token touched (so every line is accounted)."""
        covered = {n for row in self.rows for n in (row.number, *row.span)}
        out: list[Row] = []
        line = 1
        for row in self.rows:
            while line < row.number:
                if line not in covered:
                    out.append(Row(number=line, raw="", cells=[]))
                line += 1
            out.append(row)
            line = max(line, row.number + 1)
        for n in range(line, self.line_count + 1):
            if n not in covered:
                out.append(Row(number=n, raw="", cells=[]))
        return out


def _value_of(label: Token, texts: list[Token]) -> tuple[list[Token], list[Token]]:
    """A label's value: the text on the label's (last) line, else the next line's (one cell per line)."""
    last = (label.lines or (label.line,))[-1]
    same = [t for t in texts if t.line == last]
    if same:
        return same, [t for t in texts if t.line != last]
    return texts[:1], texts[1:]


def _share_goal_texts(groups: list[tuple[Token | None, list[Token]]]) -> None:
    """Goal labels side by side (中期目标 | 年度目标, one cell per line): the texts under the last label
    are theirs in column order, the last text the last label's (the year's goal)."""
    n = 0
    while n < len(groups):
        end = n
        while end < len(groups) and groups[end][0] is not None and groups[end][0].kind == sc.GOAL:
            end += 1
        run = groups[n:end]
        if len(run) >= 2 and all(not texts for _, texts in run[:-1]):
            texts = [t for t in run[-1][1] if not _is_caption(t)]
            captions = [t for t in run[-1][1] if _is_caption(t)]
            for k in range(len(run) - 1, -1, -1):
                # the last labels get one text each; a group label before them (总体目标 over 中期目标 and
                # 年度目标) gets none, or the leading texts when there are more texts than labels
                take = texts[-1:] if k else texts
                texts = texts[:-1] if k else []
                run[k][1][:] = take
            run[-1][1].extend(captions)  # absorbed where the goal's rows are built
        n = max(end, n + 1)


def _is_caption(token: Token) -> bool:
    """A grid's caption on a line of its own (绩效项目指标表, 绩效指标表): not goal text."""
    return token.bol and token.eol and bool(_CAPTION.match(_SPACE.sub("", token.text)))


_CAPTION = re.compile(r"^[^\d,，。;；:]{0,8}指标表$")


_NOT_LABEL = re.compile(r"[\d,，。;；、%≥≤<>=]")


def _label_like(text: str) -> bool:
    """Short, no digits or clause punctuation: how a form's field labels are written (项目编号:)."""
    plain = _SPACE.sub("", text).rstrip(":")
    return 2 <= len(plain) <= 10 and not _NOT_LABEL.search(plain)


def _joined(tokens: list[Token]) -> str:
    out = ""
    for t in tokens:
        if out and out[-1].isascii() and out[-1].isalnum() and t.text[:1].isascii() and t.text[:1].isalnum():
            out += " "
        out += t.text
    return out


class Breaks(frozenset):  # noqa: PLW1641 (a frozenset's hash)
    """The `|`-only lines of one-cell-per-line `|` text. Several `|` end a table row; a line holding
    one `|` (`single`) is an empty cell where the row is not complete, else the row's end."""

    single: frozenset[int] = frozenset()


def choose(rows: list[Row], mode: str) -> tuple[str | None, list[str], frozenset[int]]:
    """(layout to rebuild, the lines to scan, row-separator lines), or (None, …) for a separator layout.

    `|` tables whose cells stand one per line (`项目名称 |` / `雾炮车… |` / `|||`) are read as CELLS,
    the `|`-only lines telling where a table row ends."""
    raw = [r.raw for r in rows]
    if mode in (PIPE, SPACES, SINGLE_SPACE):
        parts = [[p.strip() for p in line.split("|")] for line in raw]
        nonblank = [n for n, line in enumerate(raw) if line.strip()]
        piped = [n for n in nonblank if "|" in raw[n]]
        single = [n for n in nonblank if sum(1 for p in parts[n] if p) <= 1]
        if nonblank and len(piped) >= 0.3 * len(nonblank) and len(single) >= 0.8 * len(nonblank):
            stripped = [" ".join(p for p in cells if p) for cells in parts]
            content = [n for n in nonblank if stripped[n]]
            ended = sum(1 for n in content if raw[n].rstrip().endswith("|"))
            # Cells that end in `|` themselves: the `|`-only lines end table rows. Cells without one:
            # the `|`-only lines stand between cells and tell nothing about rows.
            separators = ended >= 0.5 * len(content)
            breaks = Breaks(n + 1 for n in nonblank if not stripped[n]) if separators else Breaks()
            breaks.single = frozenset(n for n in breaks if raw[n - 1].count("|") == 1)
            return detect(stripped) or CELLS, stripped, breaks
    if mode in (SPACES, SINGLE_SPACE):
        return detect(raw), raw, frozenset()
    return None, raw, frozenset()


def rebuild(
    lines: list[str], layout: str, catalog: Catalog, file: str, breaks: frozenset[int] = frozenset()
) -> tuple[list[Row], list[Issue]]:
    builder = Rebuilder(file, layout, len(lines), breaks)
    rows = builder.run(scan(lines, catalog))
    return rows, builder.issues
