"""Rows of a published table → `ProjectTarget` records, accounting for every input line.

A small state machine walks the rows: title block → 项目名称 and header rows → 项目资金 block →
年度目标 text → 绩效指标 grid, and back to a title for the next page. A page that repeats only
项目名称 (same name) continues the previous project. Every line ends up used, structural, or
reported as an `IMPORT_SKIPPED_LINE` issue with the reason, so counts reconcile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lubudget_xl.catalog import Catalog
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Indicator, Location, ProjectTarget
from lubudget_xl.textimport.cells import CSV, JOINING, PIPE, TAB, Row, glue
from lubudget_xl.textimport.cut import CUT, cut_last_row
from lubudget_xl.textimport.forms import list_heading
from lubudget_xl.textimport.grid import (
    DEFAULT_LAYOUT,
    GridLayout,
    Levels,
    is_unreadable_grid_header,
    is_value_subheading_row,
    parse_data_row,
    parse_grid_header,
)
from lubudget_xl.textimport.header import Segment, is_fund_row, segments
from lubudget_xl.textimport.header_rows import USED, HeaderRows
from lubudget_xl.textimport.labels import clean_label, is_caption, is_end_label, is_goal_like, is_number
from lubudget_xl.textimport.rowjoin import join_broken_heading, join_broken_level_names
from lubudget_xl.textimport.segment import classify
from lubudget_xl.textimport.title_block import PARENT_NAME, STRUCTURAL, TitleBlock
from lubudget_xl.values import parse_value

SKIPPED = "IMPORT_SKIPPED_LINE"
GRID_EMPTY = "IMPORT_GRID_EMPTY"
_HEADER_KEYS = ("unit", "competent_department", "attribute", "period", "funds", "goal")


@dataclass
class Outcome:
    projects: list[ProjectTarget] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)  # line → used / structural / skipped
    list_heading: tuple[int, str] | None = None  # (line, heading) of a 项目名称 that heads a column


class TextImporter(TitleBlock, HeaderRows):
    def __init__(self, file: str, catalog: Catalog, mode: str = TAB) -> None:
        self.file, self.catalog = file, catalog
        self.positional = mode in (TAB, PIPE, CSV)
        self.joiner = "" if self.positional else " "  # space-separated text lost the spaces between words
        self.out = Outcome()
        self.department, self.year = "", None
        self.awaiting_department = False  # a department label stood alone; its value may follow
        self.pending_competent: tuple[str, int] | None = None  # 主管部门 printed above 项目名称
        self.title_line: int | None = None
        self.year_line: int | None = None
        self.project: ProjectTarget | None = None
        self.section = "none"
        self.goal_key = "goal"
        self.other_grid = ""  # the printed label of a long-term grid being kept in extra
        self.goal_parts: list[str] = []
        self.goal_waiting = False
        self.layout: GridLayout = DEFAULT_LAYOUT
        self.levels = Levels()
        self.continuing = False
        self.pending_name_line: int | None = None
        self.last: Indicator | None = None
        self.last_header: str | None = None  # the header field a wrapped line continues
        self.name_rest = ""  # what a continuation page's wrapped 项目名称 still owes
        self.fund_cols: dict[str, int] = {}  # label columns of the 中期资金 and 年度资金 groups
        self.fund_heads = []
        self.goal_columns: list[str | None] = []  # goal labels side by side on one row, in order
        self.unknown_warned: set[int] = set()
        self.l3_prefix = ""  # a wrapped level-three name whose end (and value) is on the next row
        self.grid_line: int | None = None  # the current project's grid heading (or 绩效指标 label)
        self.last_lines: set[int] = set()  # the lines the last indicator was read from
        self.source: list[str] = []

    # -- bookkeeping ---------------------------------------------------------------------------
    def loc(self, line: int | None) -> Location:
        return Location(file=self.file, line=line)

    def mark(self, row: Row, status: str) -> None:
        for line in (row.number, *row.span):
            self.out.lines[line] = status

    def skip(self, row: Row, reason: str, kind: str = "unrecognized") -> None:
        for line in (row.number, *row.span):
            self.out.lines[line] = "skipped"
        text = row.joined(" ")
        self.out.issues.append(
            Issue(
                code=SKIPPED,
                severity=Severity.INFO,
                message=f"第{row.number}行未导入({reason}):{text[:60]}",
                location=self.loc(row.number),
                project=self.project.name if self.project else None,
                params={"reason": reason, "kind": kind, "text": text},
            )
        )

    def warn(self, line: int, code: str, message: str, **params: object) -> None:
        self.out.issues.append(
            Issue(code=code, severity=Severity.WARNING, message=message, location=self.loc(line),
                  project=self.project.name if self.project else None, params=dict(params))
        )

    # -- driver --------------------------------------------------------------------------------
    def run(self, rows: list[Row], source: list[str] | None = None) -> Outcome:
        """Read `rows`; `source` is the text's lines as written (the rows' own by default), to tell a
        text that stops inside its last grid row."""
        self.source = source if source is not None else [r.raw for r in rows]
        for row in join_broken_heading(join_broken_level_names(rows, self.catalog)):
            self.feed(row)
            if row.number not in self.out.lines:  # every line is accounted for, whatever path it took
                self.skip(row, "无法识别的行")
        self.finish()
        return self.out

    def feed(self, row: Row) -> None:
        found = classify(row)
        if found:
            self.structural(row, found)
            return
        segs = segments(row)
        if len(segs) >= 2 and segs[0].key is None and len(segs[0].values) == 1 and is_caption(segs[0].values[0].text):
            segs = segs[1:]  # a group caption left of the labels (专项基本情况 | 专项名称 | …)
        if self.project is not None and (is_end_label(row.filled[0].text) or self.section == "end" and not segs[0].key):
            self.close_goal()
            self.section = "end"  # the review and signature block under the table: not indicators
            self.skip(row, "表格之后的审核、签章栏", "outside_table")
            return
        if self.section == "foreign" and segs[0].key != "name":
            self.skip(row, "属于预算表或支出明细(项目名称是列标题),不是项目绩效目标表", "not_target")
            return
        layout = parse_grid_header(row)
        if layout and self.section == "other_grid":
            self.keep_other_grid(row)
            return
        if layout:
            self.close_goal()
            self.layout, self.section = layout, "grid"
            self.grid_line = self.grid_line or row.number
            self.mark(row, STRUCTURAL)
            return
        if self.project is not None and self.section != "other_grid" and is_unreadable_grid_header(row):
            # Grid headings this importer cannot lay out (no 三级指标 column): its rows are reported,
            # and a project left without indicators is an error, never a silent loss.
            self.close_goal()
            self.section, self.grid_line = "grid_unread", self.grid_line or row.number
            self.skip(row, "指标表的表头没有三级指标列,无法按列读取", "grid_unread")
            return
        if self.section == "grid_unread" and not segs[0].key:
            self.skip(row, "属于无法按列读取的指标表", "grid_unread")
            return
        awaiting, self.awaiting_department = self.awaiting_department, False
        if not segs[0].key and self.wrapped_name(row):
            return
        if segs[0].key:
            self.labelled(row, segs)
        elif awaiting and len(row.filled) == 1:  # 申报单位 | on one line, its value on the next
            self.mark(row, USED)
            self.department_row(row.filled[0].text, row.number)
        elif self.name_rest and clean_label(row.joined("")) == self.name_rest:
            self.name_rest = ""  # the wrapped end of a name repeated on a continuation page
            self.mark(row, USED)
        elif self.section == "funds" and is_fund_row(row) or self.section == "header" and is_fund_row(row, total=True):
            self.section = "funds"  # (项目金额 | 164万元, 资金总额 3 with no 项目资金 label before them)
            self.funds_row(row, row.filled)
        elif self.section == "funds" and self.fund_heads and all(is_number(c.text) for c in row.filled) \
                and self.fund_grid_row(row):
            pass
        elif self.section == "other_grid" and self.project:
            self.keep_other_grid(row)
        elif self.section == "goal" and not self.goal_texts_side_by_side(row):
            self.goal_parts.append(row.joined(self.joiner or " "))
            self.mark_goal(row)
        elif self.section == "grid" and self.value_subheadings(row):
            self.mark(row, STRUCTURAL)  # 指标值 over 2021年实际实现值 | 预期2022年实现值
        elif self.section == "grid":
            self.grid_row(row)
        elif self.section == "header" and len(row.filled) == 1 and self.last_header and self.project \
                and not row.exact:
            self.continue_header(row)
        elif self.section == "header" and len(row.filled) >= 2 and self.project:
            label = clean_label(row.filled[0].text)
            self.set_extra(label, " ".join(c.text for c in row.filled[1:]), row.number)
            self.mark(row, USED)
        elif self.project is None:
            self.skip(row, "位于第一张表之前", "outside_table")
        else:
            self.skip(row, "无法识别的行")

    # -- header --------------------------------------------------------------------------------
    def labelled(self, row: Row, segs: list[Segment]) -> None:
        self.mark(row, USED)
        # labels side by side with their texts on the next row: 总体目标 | 中期目标 | 年度目标 (| 完成情况)
        side = [s.key for s in segs if not s.values]
        self.goal_columns = side if len(side) == len(segs) >= 2 and any(is_goal_like(k) for k in side) else []
        for seg in segs:
            key = seg.key
            if key == "name":
                self.name_row(row, seg)
            elif key == "grid":
                self.close_goal()
                self.section = "grid"
                self.grid_line = self.grid_line or row.number
                if len(row.filled) > 1:  # the label glued to the first data row
                    self.grid_row(row)
                return
            elif key == "department":  # 填报/申报/预算单位: before the name it heads the next project
                self.department_row(seg.text(), row.number)
            elif key == "competent_department" and self.project is None:  # in the title block
                self.pending_competent = (seg.text(), row.number)
            elif self.project is None:
                self.skip(row, "位于“项目名称”之前", "outside_table")
                return
            elif key == "funds":
                self.close_goal()
                self.section = "funds"
                self.funds_row(row, seg.values)
            elif key == "other_grid":  # a long-term grid: kept as text in extra, not read as the year's
                self.close_goal()
                self.section, self.other_grid = "other_grid", seg.label.text if seg.label else "长期绩效指标"
                self.mark(row, USED)
                return
            elif is_goal_like(key):
                self.close_goal()
                self.section, self.goal_key, self.goal_parts = "goal", key, []
                if seg.values:
                    self.goal_parts.append(seg.text(self.joiner or " "))
                self.mark_goal(row, label_line=True)
            else:
                self.header_field(key, seg, row.number)
        if "goal" in self.goal_columns and self.section != "goal":  # the text below is the year's goal's
            self.section, self.goal_key = "goal", "goal"

    def name_row(self, row: Row, seg: Segment) -> None:
        self.close_goal()
        heading = list_heading([c.text for c in seg.values])
        if heading:  # 项目名称 heads a column of a spending list or budget table: not a target form
            self.finish_project()
            self.project, self.section = None, "foreign"
            self.out.list_heading = self.out.list_heading or (row.number, heading)
            self.skip(row, f"项目名称是表格的列标题(同一行有“{heading}”),不是项目绩效目标表", "not_target")
            return
        name = seg.text()
        current = self.project
        full, here = clean_label(current.name) if current else "", clean_label(name)
        if current is not None and (not here or here == full or (len(here) >= 8 and full.startswith(here))):
            # A continuation page repeats only 项目名称 (its end may wrap onto the next line);
            # the next header row, if any, says it is a new project after all.
            self.continuing, self.pending_name_line, self.section = True, row.number, "grid"
            self.name_rest = full[len(here):] if here else ""
            return
        parent = self.parent_name(current, row.number)
        self.start_project(name, row.number)
        if parent is not None:
            self.project.extra[PARENT_NAME] = parent.name
            self.project.locations[f"extra.{PARENT_NAME}"] = parent.locations["name"]

    def start_project(self, name: str, line: int) -> None:
        self.finish_project()
        project = ProjectTarget(year=self.year, department=self.department, name=name, source_file=self.file)
        project.locations["name"] = self.loc(line)
        if self.title_line is not None:
            project.locations["department"] = self.loc(self.title_line)
        if self.year_line is not None:
            project.locations["year"] = self.loc(self.year_line)
        if self.year is None:
            self.warn(line, "IMPORT_NO_TITLE", f"第{line}行的项目“{name}”之前没有表头标题,无法确定单位和年度")
        if self.pending_competent is not None:
            project.competent_department, line_of = self.pending_competent
            project.locations["competent_department"] = self.loc(line_of)
            self.pending_competent = None  # one title block, one form
        self.out.projects.append(project)
        self.project, self.section, self.continuing, self.last = project, "header", False, None
        self.last_header, self.name_rest, self.fund_cols, self.fund_heads = "name", "", {}, []
        self.layout, self.levels, self.grid_line = DEFAULT_LAYOUT, Levels(), None

    def reopen_if_new(self, key: str) -> None:
        """A header row after a repeated 项目名称 means a new project of the same name, not a continuation."""
        if self.continuing and self.project is not None and key in _HEADER_KEYS:
            self.start_project(self.project.name, self.pending_name_line or 0)

    # -- grid ----------------------------------------------------------------------------------
    def value_subheadings(self, row: Row) -> bool:
        """Before any indicator, the row heading the value's parts (2021年实际实现值 | 预期2022年实现值)."""
        return bool(self.project) and not self.project.indicators and is_value_subheading_row(row)

    def grid_row(self, row: Row) -> None:
        if self.project is None:
            self.skip(row, "位于“项目名称”之前", "outside_table")
            return
        self.continuing, self.name_rest = False, ""
        parts = parse_data_row(row, self.layout, self.levels, self.catalog, self.joiner, self.positional)
        if parts.continuation_text and not parts.continuation:
            self.skip(row, "指标表中无法归属的单独文字")
            return
        if parts.continuation:
            if self.last is None:
                self.skip(row, "不属于任何指标行的文字")
                return
            self.mark(row, USED)
            self.last_lines |= {row.number, *row.span}
            if parts.continuation == "level3" and parts.continuation_text.endswith(JOINING):
                self.l3_prefix += parts.continuation_text  # the name goes on in the next row
            elif parts.continuation == "level3":
                self.last.level3 = glue(self.last.level3, parts.continuation_text)
            else:
                self.last.value = glue(self.last.value, parts.continuation_text)
            return
        self.mark(row, USED)
        if parts.level3 is None and not parts.fields:
            return  # a row stating levels only
        lv = self.levels
        fields = parts.fields
        ind = Indicator(
            level1=lv.level1,
            level2=lv.level2,
            level3=self.l3_prefix + (parts.level3.text if parts.level3 else ""),
            value=fields["value"].text if "value" in fields else "",
            parsed=parse_value(""),
            sign=fields["sign"].text if "sign" in fields else None,
            unit=fields["unit"].text if "unit" in fields else None,
            note=fields["note"].text if "note" in fields else None,
            extra={**lv.extra(), **parts.extra},
        )
        locs = {"row": row.number, "level3": row.number, "value": row.number}
        locs.update({k: row.number for k in ("sign", "unit", "note") if k in fields})
        locs.update({f"extra.{k}": row.number for k in parts.extra})
        if lv.line1:
            locs["level1"] = lv.line1
        if lv.line2:
            locs["level2"] = lv.line2
        ind.locations = {k: self.loc(v) for k, v in locs.items()}
        if (not lv.level1 or not lv.level2) and ("level1" in self.layout.columns or "level2" in self.layout.columns):
            self.warn(row.number, "IMPORT_LEVEL_UNKNOWN",
                      f"第{row.number}行指标“{ind.level3}”无法确定一级或二级指标",
                      level1=lv.level1, level2=lv.level2)
        self.warn_unknown_names(lv)
        self.project.indicators.append(ind)
        self.last, self.l3_prefix, self.last_lines = ind, "", {row.number, *row.span}

    def warn_unknown_names(self, lv: Levels) -> None:
        """Once per stated name: a level name the catalogue does not know (kept as written)."""
        for name, line, known in (
            (lv.level1, lv.line1, lv.level1 in self.catalog.level1_names()),
            (lv.level2, lv.line2, bool(self.catalog.normalize_level2(lv.level2))),
        ):
            if name and line and not known and line not in self.unknown_warned:
                self.unknown_warned.add(line)
                self.warn(line, "IMPORT_LEVEL_UNKNOWN",
                          f"第{line}行的指标名称“{name}”不在指标目录 {self.catalog.version} 中,已按原文导入",
                          name=name, catalog=self.catalog.version)

    # -- end -----------------------------------------------------------------------------------
    def finish_project(self) -> None:
        self.close_goal()
        self.goal_from_overall()
        self.department_from_competent()
        self.unit_from_department()
        if self.l3_prefix and self.last is not None:  # no row followed: it was the previous name's end
            self.last.level3 = glue(self.last.level3, self.l3_prefix)
        self.l3_prefix = ""
        if self.project is not None:
            for ind in self.project.indicators:
                ind.parsed = parse_value(ind.value, ind.sign, ind.unit)
            if self.grid_line is not None and not self.project.indicators:
                line = self.grid_line
                self.out.issues.append(Issue(
                    code=GRID_EMPTY, severity=Severity.ERROR,
                    message=f"第{line}行是项目“{self.project.name}”的绩效指标表头,但其下没有读到任何指标行,请核对原表",
                    location=self.loc(line), project=self.project.name, params={"line": line},
                ))
            self.grid_line = None

    def finish(self) -> None:
        cut = None if self.l3_prefix else cut_last_row(self.project, self.last, self.last_lines, self.source)
        if cut:
            (message, reason, row), lines = cut, sorted(self.last_lines)
            self.warn(lines[0], CUT, message, level3=row.level3, value=row.value, reason=reason, lines=lines)
        self.finish_project()
