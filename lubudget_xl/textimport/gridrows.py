"""Grid rows of rebuilt text: level names, then a level-three name and its value, as cells.

The layouts differ here: one cell per line gives a name and a value on lines of their own (row
separators, where the table has them, say where a row ends); glued text gives a name and its value
in one piece, cut by `valuesplit`. What cannot be cut or paired is imported as written and reported.
Used by `layouts.Rebuilder` (a mixin: it needs the rebuilder's `emit`, `warn` and state).
"""

from __future__ import annotations

import re

from lubudget_xl.catalog.vocabulary import bare, vocabulary
from lubudget_xl.textimport import scanner as sc
from lubudget_xl.textimport.labels import grid_column
from lubudget_xl.textimport.scanner import Token
from lubudget_xl.textimport.valuesplit import MEASURED, plausible_name, split_row, split_rows, value_end

CELLS = "cells"
_STANDARD = re.compile(r"(?:计划标准|历史标准|行业标准|其他标准|国家标准|地方标准)$")
UNSPLIT = "IMPORT_UNSPLIT_ROW"
UNPAIRED = "IMPORT_UNPAIRED_CELLS"


class GridRows:
    """Grid methods of `layouts.Rebuilder`."""

    def grid_rows(self, tokens: list[Token]) -> None:
        headings = [t for t in tokens if t.kind == sc.HEADING]
        if headings:
            fields = [grid_column(t.text) or f"other:{t.text}" for t in headings]
            # Long-term and annual grids side by side (二级指标(长期) … 二级指标(年度) …): the annual
            # headings, printed last, are the ones read; the long-term headings' lines are accounted.
            last = {f: n for n, f in enumerate(fields)}
            for n, f in enumerate(fields):
                first = fields.index(f)
                if first < n and bare(headings[first].text) != bare(headings[n].text):
                    # 三级指标 | 指标内容: another column of the same kind under its own heading, not the
                    # annual twin of a long-term column (二级指标(长期) … 二级指标(年度))
                    fields[n] = f"other:{headings[n].text}"
            last = {f: n for n, f in enumerate(fields)}
            kept = [n for n, f in enumerate(fields) if last[f] == n or f == "level1"]
            self.absorbed += [headings[n].line for n in range(len(headings)) if n not in kept]
            self.heading = {fields[n]: col + 1 for col, n in enumerate(kept)}
            if "level3" not in self.heading and "level2" in self.heading and "value" in self.heading:
                # a two-level grid (一级指标 | 二级指标 | 当年预期实现值): the 二级指标 column holds the name
                self.heading["level3"] = self.heading.pop("level2")
            self.emit([(col + 1, headings[n].text) for col, n in enumerate(kept)], [headings[n] for n in kept])
        tail = [f for f, c in sorted(self.heading.items(), key=lambda kv: kv[1]) if c > self.heading.get("level3", 0)]
        levels: list[Token] = []
        cells: list[Token] = []
        data = [t for t in tokens if t.kind != sc.HEADING and not (t.kind == sc.TEXT and self.vertical_piece(t))]
        trailing = self.trailing_text(data)
        named: Token | None = None  # a level-three name that is spelled like the level two above it
        for n, token in enumerate(data):
            if n >= trailing:  # text after the last row that reads as one: not guessed into the grid
                self.emit([(0, token.text)], [token])
                continue
            if token.kind == sc.LEVEL and levels and levels[-1].text == token.text and not cells:
                if token.key == "2" and not self.two_cells_follow(data[n + 1 :]):
                    # 服务对象满意度指标 twice: the second is the row's level-three name (满意度指标 twice
                    # is a level one and its level two)
                    named = token
                # else: the same level two for the long-term and the annual grid, stated once more
                else:
                    self.absorbed.append(token.line)
                continue
            if named is not None and token.kind == sc.TEXT:
                self.data_row(levels, [(named.text, named), (token.text, token)], tail[:1])
                levels, named = [], None
                continue
            if named is not None:
                self.data_row(levels, [(named.text, named)], tail)
                levels, named = [], None
            if token.kind == sc.LEVEL:
                if cells:
                    (self.row_of_cells if self.breaks else self.unpaired)(levels, cells, tail)
                    levels, cells = [], []
                elif any(level.key == token.key for level in levels):
                    # a level stated with nothing under it (an empty 经济效益指标 row): a row of its own
                    self.data_row(levels, [], tail)
                    levels = []
                levels.append(token)
                continue
            if self.layout == CELLS and token.bol and token.eol and self.breaks:
                width = 1 + len(tail)
                if cells:
                    gap = [n for n in range(cells[-1].line + 1, token.line) if n in self.breaks]
                    single = getattr(self.breaks, "single", frozenset())
                    if any(n not in single for n in gap) or (gap and len(cells) >= width):
                        self.row_of_cells(levels, cells, tail)
                        levels, cells = [], []
                    else:  # `|` alone in a row not yet complete: an empty cell (定性 rows print no value)
                        cells += [Token(sc.TEXT, "", n, lines=(n,)) for n in gap][: width - len(cells)]
                        if len(cells) >= width:
                            self.data_row(levels, [(c.text, c) for c in cells], tail)
                            levels, cells = [], []
                cells.append(token)
                if len(cells) == width and getattr(self.breaks, "single", None):
                    self.data_row(levels, [(c.text, c) for c in cells], tail)
                    levels, cells = [], []
                continue
            if self.layout == CELLS and token.bol and token.eol:
                if len(cells) == 1 and self.wrapped_name(cells[0], token, data[n + 1 :]):
                    cells[0] = Token(sc.TEXT, cells[0].text + token.text, cells[0].line, lines=(*cells[0].lines, token.line))
                    continue
                cells.append(token)
                if len(cells) == 1 + len(tail):
                    self.data_row(levels, [(c.text, c) for c in cells], tail)
                    levels, cells = [], []
                continue
            if cells:
                self.unpaired(levels, cells, tail)
                levels, cells = [], []
            self.glued(levels, token, tail)
            levels = []
        if named is not None:
            self.data_row(levels, [(named.text, named)], tail)
        elif cells and self.breaks:
            single, n = getattr(self.breaks, "single", frozenset()), cells[-1].line + 1
            while n in single and len(cells) < 1 + len(tail):  # the row's last cells empty (… | 定性 | |)
                cells.append(Token(sc.TEXT, "", n, lines=(n,)))
                n += 1
            self.row_of_cells(levels, cells, tail)
        elif cells or levels:
            self.unpaired(levels, cells, tail)

    def two_cells_follow(self, after: list[Token]) -> bool:
        """One cell per line, a name and a value follow before the next level name."""
        texts = 0
        for t in after:
            if t.kind != sc.TEXT:
                break
            texts += 1
        return self.layout == CELLS and texts >= 2

    def broken(self, before: int, after: int) -> bool:
        return any(n in self.breaks for n in range(before + 1, after))

    def row_of_cells(self, levels: list[Token], cells: list[Token], tail: list[str]) -> None:
        """A row whose end the table's row separators tell: its cells are the row's, whatever their count."""
        if len(cells) == 1 + len(tail):
            self.data_row(levels, [(c.text, c) for c in cells], tail)
        elif len(cells) > 1 + len(tail):  # more cells than headings: the surplus goes to the last column
            last = cells[len(tail)]
            merged = Token(sc.TEXT, " ".join(c.text for c in cells[len(tail) :]), last.line,
                           lines=tuple(n for c in cells[len(tail) :] for n in c.lines))
            self.data_row(levels, [(c.text, c) for c in [*cells[: len(tail)], merged]], tail)
        else:
            self.unpaired(levels, cells, tail)

    def trailing_text(self, data: list[Token]) -> int:
        """Index from which the grid's tokens are whole lines of text that no row can claim (GLUED only:
        page furniture or notes after the table); len(data) when there are none."""
        if self.layout == CELLS:
            return len(data)
        n = len(data)
        while n > 1:
            token = data[n - 1]
            if token.kind != sc.TEXT or not token.bol or data[n - 2].kind == sc.LEVEL or _splits(token.text):
                break
            n -= 1
        return n

    @staticmethod
    def wrapped_name(first: Token, token: Token, after: list[Token]) -> bool:
        """A name wrapped onto a second line: neither line reads as a value, the next one does."""
        nxt = after[0] if after and after[0].kind == sc.TEXT else None
        return bool(nxt) and not _is_value(first.text) and not _is_value(token.text) and _is_value(nxt.text) \
            and not (len(after) > 1 and after[1].kind == sc.TEXT and _is_value(after[1].text))

    def glued(self, levels: list[Token], token: Token, tail: list[str]) -> None:
        text = token.text
        printed = None if any(level.key == "2" for level in levels) else _printed_level2(text)
        if printed:  # 服务对象满意度|服务对象满意度%=99: a level two printed without its 指标
            levels = [*levels, sc.Token(sc.LEVEL, printed, token.line, key="2")]
            text = text[len(printed):]
        standard = next((f for f in tail if f in ("other:绩效标准", "other:评价标准")), None)
        after_value = standard is not None and "value" in tail and tail.index(standard) > tail.index("value")
        ending = _STANDARD.search(text) if after_value else None
        if ending and ending.start() > 0:
            # a 绩效标准 column after the value (…100%计划标准): its stock words end the row
            text = text[: ending.start()]
            extra_fields, extra = [standard], [(ending.group(), token)]
        else:
            extra_fields, extra = [], []
        tail = ["value"] if "value" in tail else tail[:1]
        # a column between the name and the value (指标内容, 绩效标准, 指标解释) glued to the name
        between = self.heading_between()
        whole = split_row(text)
        pairs, rest = split_rows(text)
        several = len(pairs) > 1 and not rest and all(plausible_name(name) for name, _ in pairs)
        if whole and not several:
            pairs, rest = [whole], ""
        for name, value in pairs:
            k = _content_start(name) if between else -1
            if not plausible_name(name[:k] if k > 0 else name):
                self.warn(UNSPLIT, token.line,
                          f"第{token.line}行“{name}{value}”的三级指标和指标值分界不确定,已按“{name}”/“{value}”导入,请核对",
                          text=text, level3=name, value=value)
            last = name == pairs[-1][0] and value == pairs[-1][1]
            cells = [(name[:k], token), (name[k:], token)] if k > 0 else [(name, token)]
            fields = [between, *tail] if k > 0 else tail
            if last and extra:
                cells, fields = [*cells, (value, token), *extra], [*fields, *extra_fields]
            else:
                cells = [*cells, (value, token)]
            self.data_row(levels, cells, fields)
            levels = []
        if rest:
            self.warn(UNSPLIT, token.line,
                      f"第{token.line}行“{rest}”中找不到指标值的起点,已整行作为三级指标导入(指标值为空),请核对",
                      text=rest)
            self.data_row(levels, [(rest, token)], tail)

    def heading_between(self) -> str | None:
        """The one column between the name and the value, where the heading has one."""
        l3, value = self.heading.get("level3"), self.heading.get("value")
        if l3 is None or value is None:
            return None
        between = [f for f, c in self.heading.items() if l3 < c < value]
        return between[0] if len(between) == 1 else None

    def unpaired(self, levels: list[Token], cells: list[Token], tail: list[str]) -> None:
        if cells:
            line = cells[0].line
            self.warn(UNPAIRED, line,
                      f"第{line}行起的指标行缺少单元格(应有{1 + len(tail)}格,只有{len(cells)}格):"
                      f"{' / '.join(c.text for c in cells)},请核对",
                      found=[c.text for c in cells], expected=1 + len(tail))
            self.data_row(levels, [(c.text, c) for c in cells], tail)
        elif levels:
            self.data_row(levels, [], tail)

    def data_row(self, levels: list[Token], cells: list[tuple[str, Token]], tail: list[str]) -> None:
        placed: list[tuple[int, str]] = []
        l1_col, l2_col = self.heading.get("level1"), self.heading.get("level2")
        l3_col = self.heading.get("level3", 3)
        for n, level in enumerate(levels):
            is_first = level.key == "1" and (n + 1 < len(levels) or len(levels) == 1)
            col = (l1_col if is_first else l2_col) or (l3_col - 1)
            placed.append((col, level.text))
        if cells:
            placed.append((l3_col, cells[0][0]))
            for field, (text, _token) in zip(tail, cells[1:], strict=False):
                placed.append((self.heading[field], text))
        tokens = [*levels, *(t for _, t in cells)]
        if tokens:
            self.emit(placed, tokens, exact=True)



def _printed_level2(text: str) -> str | None:
    """A level-two name printed without 指标 (服务对象满意度 for 服务对象满意度指标) that starts a glued
    row and is followed by a whole row of its own (a name and a value), else None. A name alone after
    it (服务对象满意度≥90%) is the row's level three, as the seed prints it."""
    for end in range(4, min(len(text), 13)):
        head = text[:end]
        if vocabulary().level2(head + "指标") is None or vocabulary().level2(head) is not None:
            continue
        rest = split_row(text[end:])
        if rest and len(rest[0]) >= 2 and plausible_name(rest[0]):
            return head
    return None


def _content_start(name: str) -> int:
    """Where the text of a column between the name and the value begins in a glued `name + text`: at
    反映… (the stock opening of 指标解释/绩效标准 texts), else after the shortest beginning of three
    characters or more that ends like a measured quantity (补助人数|实际发放解困工资人数, 补贴覆盖率|对…),
    as names do and descriptions restating them do not. -1 when neither is found."""
    k = name.find("反映", 2)
    if k > 0:
        return k
    for k in range(3, len(name) - 1):
        if name[:k].endswith(MEASURED):
            return k
    return -1


def _splits(text: str) -> bool:
    return split_row(text) is not None or bool(split_rows(text)[0])


def _is_value(text: str) -> bool:
    plain = text.strip()
    end = value_end(plain, 0)
    return end is not None and end >= len(plain)
