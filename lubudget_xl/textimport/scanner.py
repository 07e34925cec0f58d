"""A label-driven scanner: the form's known labels found in a character stream, values cut between them.

Text extraction does not always keep cells apart: a web page copied as text glues a label to its
value (`项目名称农村饮水安全工程`), a PDF may give one cell per line, break a label across lines
(`项目资金` / `(万元)`) or flatten a whole table into one line. The scanner reads all lines as one
stream in which spaces and line breaks are invisible to label matching, finds the labels the form
uses (header and fund labels, the goal and grid labels, grid headings, the catalogue's level names
and aliases, titles), and returns tokens: each label, and each piece of text between labels (a
piece never spans a line break, and keeps its line number).

Which labels are looked for depends on where the scanner is: a goal's text is not cut at a header
label it happens to contain, and a level name is looked for only inside the grid.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lubudget_xl.catalog import Catalog
from lubudget_xl.catalog.vocabulary import vocabulary as form_vocabulary
from lubudget_xl.textimport.labels import TITLE_MIDDLE

# Token kinds.
TITLE, YEAR, STAMP, NOTE, HEADER, EXTRA, FUND, GOAL, GRID, HEADING, LEVEL, FOOTER, TEXT = (
    "title", "year", "stamp", "note", "header", "extra", "fund", "goal", "grid", "heading", "level", "footer",
    "text",
)

_TITLE = (
    r"(?:19|20)\d{2}年度?(?:(?:部门)?项目支出(?:预算)?|" + TITLE_MIDDLE + r")绩效目标(?:申报|批复|审核)?表"
    # 省级部门预算项目支出绩效目标表2023年度: the year after the title (甘肃), glued after the last value
    r"|(?:省级|市级|县级|区级)?(?:部门预算)?项目支出(?:预算)?绩效目标(?:申报|批复|审核)?表(?=\(?(?:19|20)\d{2}年度?)"
)
_YEAR = r"\((?:19|20)\d{2}年度?\)"
_STAMP = r"填报单位(?:\((?:盖章|签章)\))?:?|单位名称:?"
_NOTE = r"(?:金额)?单位:万元"
# Header fields a form prints that the record does not model: kept in `extra` under their label.
_EXTRA_LABELS = ("项目负责人及联系电话", "项目负责人及电话", "项目负责人", "联系人", "联系电话", "项目类型", "项目类别", "项目编码", "项目代码")
_FOOTER_LABELS = ("填报人", "审核人", "单位负责人", "财务负责人", "填报日期")
# What follows a table at the start of a line (a note, a web page's furniture): ends the grid, reported
# as skipped.
_PAGE_FURNITURE = (
    r"注:|说明:|附件:|扫一扫|\[下载\]|\[打印\]|【打印】|打印本页|关闭窗口|分享到|相关链接|上一篇|下一篇|责任编辑|主办单位|"
    r"版权所有|网站标识码"
)
# Grid headings too common as words to be looked for except right after another heading.
_WEAK_HEADINGS = {"单位", "符号", "说明", "备注", "目标值", "指标值", "指标名称", "一级", "二级", "三级", "分值", "权重", "指标"}
_LEVEL_ENDS = ("指标", "目标")
_LEVEL_NOTE = r"(?:\([^()]{0,12}\)分?)?"


@dataclass
class Token:
    kind: str
    text: str  # the label as written (spaces dropped) or the piece of text
    line: int  # 1-based line of the token's first character
    key: str | None = None  # header field, fund key, grid column or canonical level name
    bol: bool = False  # starts its line
    eol: bool = False  # ends its line
    lines: tuple[int, ...] = ()  # every line the token touches (a label broken across lines)


def fold(ch: str) -> str:
    """One character as matched: full-width forms to ASCII where that keeps it one character."""
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


@dataclass
class Stream:
    """All lines with spaces dropped, and for each character its line and column in the original."""

    text: str
    where: list[tuple[int, int]]
    lines: list[str]

    @classmethod
    def of(cls, lines: list[str]) -> Stream:
        chars: list[str] = []
        where: list[tuple[int, int]] = []
        for number, line in enumerate(lines, start=1):
            for col, ch in enumerate(line):
                if ch.isspace() or ch in "\ufeff\u200b":
                    continue
                chars.append(fold(ch))
                where.append((number, col))
        return cls("".join(chars), where, lines)

    def line_of(self, i: int) -> int:
        return self.where[i][0]

    def bol(self, i: int) -> bool:
        return i == 0 or self.where[i - 1][0] != self.where[i][0]

    def eol(self, i: int) -> bool:
        """Whether index `i` (an end, exclusive) is the end of its line."""
        return i >= len(self.text) or self.where[i][0] != self.where[i - 1][0]

    def pieces(self, start: int, end: int) -> list[Token]:
        """Text between two labels, one token per line, with the original spacing inside a line."""
        out: list[Token] = []
        i = start
        while i < end:
            line = self.where[i][0]
            j = i
            while j < end and self.where[j][0] == line:
                j += 1
            text = self.lines[line - 1][self.where[i][1] : self.where[j - 1][1] + 1].strip()
            out.append(Token(TEXT, text, line, bol=self.bol(i), eol=self.eol(j), lines=(line,)))
            i = j
        return out


def _alternation(entries: list[tuple[str, str, str | None, str]]) -> tuple[re.Pattern[str], list[tuple[str, str | None]]]:
    """One regex of named alternatives; literals longest first so the longest label wins at a place."""
    entries = sorted(entries, key=lambda e: -len(e[0]))
    parts, meta = [], []
    for n, (_literal, kind, key, source) in enumerate(entries):
        parts.append(f"(?P<g{n}>{source})")
        meta.append((kind, key))
    return re.compile("|".join(parts)), meta


@dataclass
class Patterns:
    header: tuple[re.Pattern[str], list[tuple[str, str | None]]]
    goal: tuple[re.Pattern[str], list[tuple[str, str | None]]]
    grid: tuple[re.Pattern[str], list[tuple[str, str | None]]]


_CACHE: dict[int, tuple[Catalog, Patterns]] = {}


def patterns(catalog: Catalog) -> Patterns:
    """The compiled label patterns for `catalog`'s level names (cached per catalogue object)."""
    cached = _CACHE.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        if len(_CACHE) > 8:
            _CACHE.clear()
        cached = _CACHE[id(catalog)] = (catalog, _build(catalog))
    return cached[1]


def _build(catalog: Catalog) -> Patterns:
    """The patterns of every label the form vocabulary (catalog.vocabulary) and the catalogue know."""
    words = form_vocabulary()
    lit = re.escape
    note = r"(?:\([^()]{0,12}\))?:?"  # 项目资金(万元), 项目名称: …
    fixed = [
        ("~" * 40, TITLE, None, _TITLE),  # sorted first: a title wins over a label inside it
        ("~" * 30, YEAR, None, _YEAR),
        ("填报单位(盖章)", STAMP, None, _STAMP),
        ("金额单位:万元", NOTE, None, _NOTE),
    ]
    name, header, goal_labels, grid_label = [], [], [], []
    for key, variants in words.variants("header").items():
        for label in _labels(key, variants):
            if key == "grid":
                grid_label.append((label, GRID, key, lit(label) + note))
            elif key == "goal":
                goal_labels.append((label, GOAL, key, lit(label) + note))
            else:
                (name if key == "name" else header).append((label, HEADER, key, lit(label) + note))
    for group, variants in words.variants("header_other").items():
        for label in _labels(None, variants):
            if group == "goal":
                goal_labels.append((label, GOAL, f"extra:{label}", lit(label) + note))
            elif group == "grid":
                header.append((label, HEADER, "other_grid", lit(label) + note))
            else:
                header.append((label, EXTRA, f"extra:{label}", lit(label) + note))
    header += [(label, EXTRA, f"extra:{label}", lit(label) + note) for label in _EXTRA_LABELS]
    # 年度目标 clipped to 年度 by a narrow column (淮北): a label only where it fills a line
    goal_labels.append(("年度", GOAL, "goal!", "年度"))
    funds_data = words.variants("funds")
    funds = {label for key in ("total", "fiscal", "other") for label in _labels(None, funds_data[key])}
    funds |= {f"{p}资金" if not p.endswith(("资金", "收入", "补助", "结转", "基金", "债")) else p
              for p in _labels(None, funds_data["extra_prefixes"])}
    # the sources the year's fiscal and other money are the sum of (中央补助安排, 自有资金 …)
    funds |= {label for key in ("fiscal_parts", "other_parts") for label in _labels(None, funds_data[key])
              if len(label) >= 4}
    fund = [(label, FUND, None, rf"(?:其中:?)?{lit(label)}(?:\(万元\))?:?") for label in funds]
    # Any other "…资金" row with its amount glued on (上级资金16, 自有资金 5): the amount tells it is a row.
    fund.append(("~", FUND, "any", r"(?:其中:?)?[\u4e00-\u9fff]{1,4}资金(?:\(万元\))?:?(?=[\d.])"))
    headings = [
        (label, HEADING, key, lit(label) + r"(?:\([^()]{0,16}\))?")
        for key, variants in words.variants("grid_columns").items()
        for label in _labels(key, variants)
    ]
    names: dict[str, str] = {}
    printed: set[str] = set()  # the form vocabulary's level names (项目完成 …): whole cells, not words
    for node in catalog.data["tree"]:
        for alias in [node["name"], *node.get("aliases", [])]:
            names.setdefault(_plain(alias), "1")
        for child in node.get("children", []):
            for alias in [child["name"], *child.get("aliases", [])]:
                names.setdefault(_plain(alias), "2")
    for depth in ("1", "2"):
        for key, variants in words.variants(f"levels.level{depth}").items():
            for label in _labels(key, variants):
                names.setdefault(label, depth)
                printed.add(label)
    # Short aliases (数量, 成本, 服务对象满意度) are words inside level-three names: in a stream only the
    # names that end like a level name are looked for, and the form vocabulary's other level names
    # (项目完成, the clipped 项目完成指标) only where they fill a line (_accept).
    levels = [
        (label, LEVEL, depth if label.endswith(_LEVEL_ENDS) else f"{depth}!", lit(label) + _LEVEL_NOTE)
        for label, depth in names.items() if label.endswith(_LEVEL_ENDS) or label in printed
    ]
    # Fields printed under the grid (其他需说明的问题): where one fills a line, the grid is over.
    after = [(label, EXTRA, f"after:{label}", lit(label) + ":?") for label in _labels(None, words.variants("header_other")["fields"])]
    ends = {_plain(v) for v in words.data["forms"]["end_labels"]}  # 财政部门审核意见 … under the table
    footer = [(label, FOOTER, None, lit(label) + ":?") for label in sorted(set(_FOOTER_LABELS) | ends)]
    footer.append(("~" * 8, FOOTER, "page", _PAGE_FURNITURE))
    footer.append(("~" * 7, FOOTER, "caption", r"附?表(?:[一二三四五六七八九十]{1,4}|\d{1,3}(?!\d))"))  # 表十二: the next table's number
    return Patterns(
        header=_alternation(fixed + name + header + fund + goal_labels + grid_label + headings),
        goal=_alternation(fixed + name + goal_labels + grid_label + headings),
        grid=_alternation(fixed + name + grid_label + headings + levels + footer + after),
    )


def _labels(key: str | None, variants: list[str]) -> list[str]:
    """The printed spellings of one field, as the stream holds them (no spaces, half-width)."""
    found = {_plain(v) for v in [*([key] if key and not key.isascii() else []), *variants]}
    return sorted(label for label in found if label)


def _plain(text: str) -> str:
    return "".join(fold(ch) for ch in text if not ch.isspace())


def scan(lines: list[str], catalog: Catalog) -> list[Token]:
    """Tokens of `lines`: labels found by the vocabulary of the current place, text between them."""
    stream = Stream.of(lines)
    vocab = patterns(catalog)
    text = stream.text
    tokens: list[Token] = []
    state = "header"
    seen: set[str] = set()  # header fields of the current project: each is looked for once
    pos = 0  # start of the text not yet tokenised
    search = 0
    while search < len(text):
        pattern, meta = getattr(vocab, state)
        m = pattern.search(text, search)
        if m is None:
            break
        kind, key = meta[int(m.lastgroup[1:])]  # type: ignore[index]
        if not _accept(kind, key, m, stream, tokens, state, seen, pos) or _straddles(m, stream, pattern):
            search = m.start() + 1
            continue
        tokens += stream.pieces(pos, m.start())
        start, end = m.start(), m.end()
        label_lines = tuple(sorted({stream.line_of(i) for i in range(start, end)}))
        tokens.append(
            Token(kind, m.group(), stream.line_of(start), _key(key), bol=stream.bol(start),
                  eol=stream.eol(end),
                  lines=label_lines)
        )
        pos = search = end
        if kind == HEADER and key == "name":
            state, seen = "header", {"name"}
        elif kind in (HEADER, EXTRA):
            seen.add(str(key))
        elif kind == GOAL:
            state = "goal"
        elif kind in (GRID, HEADING):
            state = "grid"
        elif kind == TITLE:
            state, seen = "header", set()
    tokens += stream.pieces(pos, len(text))
    return tokens


def _straddles(m: re.Match[str], stream: Stream, pattern: re.Pattern[str]) -> bool:
    """A label that begins inside a line's text and runs into the next line, where another label begins
    (蒙城: 国家基本公共卫生服务项目 / 主管部门及代码 is not 项目主管部门): the text's end, then that label."""
    if stream.bol(m.start()):
        return False
    first = stream.line_of(m.start())
    nxt = next((i for i in range(m.start(), m.end()) if stream.line_of(i) != first), None)
    return nxt is not None and pattern.match(stream.text, nxt) is not None


def _key(key: str | None) -> str | None:
    """A token's key without the marks that only steered its acceptance."""
    if key is None:
        return None
    return "extra:" + key[len("after:"):] if key.startswith("after:") else key.rstrip("!")


def _accept(
    kind: str, key: str | None, m: re.Match[str], stream: Stream, tokens: list[Token], state: str,
    seen: set[str], pos: int,
) -> bool:
    text = stream.text
    adjacent = bool(tokens) and pos == m.start()  # nothing between the previous token and this one
    previous = tokens[-1].kind if tokens else None
    if kind == EXTRA and str(key).startswith("after:"):
        return state == "grid" and stream.bol(m.start()) and stream.eol(m.end())
    if kind in (HEADER, EXTRA) and key != "name" and str(key) in seen:
        return False
    if kind == HEADING:
        if adjacent and previous in (HEADING, GRID):
            return True
        if m.group() in _WEAK_HEADINGS:
            return False
        # The first heading of a run: followed by another heading, or alone on its line.
        return _heading_at(text, m.end()) or (stream.bol(m.start()) and stream.eol(m.end()))
    if kind == GOAL and state == "goal":  # 中期目标 | 年度目标 side by side, or a label on its own line
        # (or starting a line, when it is a long label no goal's text begins with: 专项年度绩效目标…)
        return (adjacent and previous == GOAL) or (stream.bol(m.start()) and (stream.eol(m.end()) or len(m.group()) >= 7))
    if kind == FUND and adjacent and previous == EXTRA:  # 资金性质 一般公共预算: the field's value
        return False
    if kind == FUND and len(m.group().rstrip(":")) <= 2:  # 合计, 总额, 其他: only where a line starts
        return stream.bol(m.start())
    if kind == FUND and key == "any":  # 上级资金16: a row of its own, not 建设资金500万元 inside prose
        return stream.bol(m.start()) or m.group().startswith("其中")
    if kind in (LEVEL, GOAL) and str(key).endswith("!"):  # a name that is also a word: a line of its own
        return stream.bol(m.start()) and stream.eol(m.end())
    if kind == FOOTER and key == "caption":
        return stream.bol(m.start()) and stream.eol(m.end())
    if kind == FOOTER and key == "page":
        return stream.bol(m.start())
    if kind == GRID and state != "header":  # inside a goal or a note: 绩效指标 as a word
        return stream.bol(m.start()) or _heading_at(text, m.end()) or _caption_then_heading(text, m.end())
    return True


def _heading_at(text: str, i: int) -> bool:
    return bool(_heading_start().match(text, i))


_HEADING_CACHE: list[re.Pattern[str]] = []
_CAPTION_CACHE: list[re.Pattern[str]] = []


def _caption_then_heading(text: str, i: int) -> bool:
    """A field label of the form, then the grid's headings (鄂州: 绩效指标 | 保障绩效目标实现措施 | 一级指标 …):
    the 绩效指标 before them is the grid's label, not a word of the goal."""
    if not _CAPTION_CACHE:
        words = form_vocabulary()
        labels = {_plain(v) for group in ("header", "header_other") for vs in words.variants(group).values() for v in vs}
        _CAPTION_CACHE.append(re.compile("|".join(re.escape(h) for h in sorted(labels, key=len, reverse=True) if h)))
    m = _CAPTION_CACHE[0].match(text, i)
    return bool(m) and _heading_at(text, m.end())


def _heading_start() -> re.Pattern[str]:
    if not _HEADING_CACHE:
        labels = {_plain(v) for vs in form_vocabulary().variants("grid_columns").values() for v in vs} - {"指标"}
        _HEADING_CACHE.append(re.compile("|".join(re.escape(h) for h in sorted(labels, key=len, reverse=True) if h)))
    return _HEADING_CACHE[0]
