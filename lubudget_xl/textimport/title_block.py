"""The title block of a form, for the text importer (a mixin of `TextImporter`).

Titles, year lines and the stamp line set the department and year in force; 填报单位-like labels
name the department of the project they head (their value may follow on the next line); 一级项目名称
printed above the project's own name names its group, not a project; a form that prints no department
anywhere belongs to its competent department. The importer's state lives in `TextImporter`; these
methods only read and update it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lubudget_xl.catalog.departments import department_text
from lubudget_xl.textimport.cells import Row
from lubudget_xl.textimport.segment import PAGE_NUMBER, STAMP, TITLE, YEAR, Structural

if TYPE_CHECKING:
    from lubudget_xl.model import Location, ProjectTarget
    from lubudget_xl.textimport.importer import Outcome

STRUCTURAL = "structural"
PARENT_NAME = "一级项目名称"  # the group a project belongs to, printed above its own name
_TITLE_BLOCK_LINES = 6  # a title printed on two lines (with and without the department)


class TitleBlock:
    # State and helpers (loc, mark, skip, close_goal) come from TextImporter.
    project: ProjectTarget | None
    section: str
    department: str
    year: int | None
    title_line: int | None
    year_line: int | None
    awaiting_department: bool
    out: Outcome

    if TYPE_CHECKING:
        def loc(self, line: int | None) -> Location: ...
        def mark(self, row: Row, status: str) -> None: ...
        def skip(self, row: Row, reason: str, kind: str = ...) -> None: ...
        def close_goal(self) -> None: ...

    def structural(self, row: Row, found: Structural) -> None:
        if found.kind == PAGE_NUMBER:
            self.skip(row, "页码", PAGE_NUMBER)
            return
        self.mark(row, STRUCTURAL)
        if found.kind == TITLE:
            self.close_goal()
            department = department_text(found.department)
            if department or self.title_line is None or row.number - self.title_line > _TITLE_BLOCK_LINES:
                self.department, self.title_line = department, row.number  # else a second title line
            self.year = found.year
            self.year_line = row.number
            self.section = "title"
        elif found.kind == YEAR and self.year is None:
            self.year, self.year_line = found.year, row.number
        elif found.kind == STAMP and not self.department:
            department = department_text(found.department)
            if department:
                self.department, self.title_line = department, row.number

    def department_row(self, text: str, line: int) -> None:
        """A 填报单位-like label's value: the department of the project it heads or stands in."""
        department = department_text(text)
        if not department:
            self.awaiting_department = not text.strip()
            return  # "(盖章)", "单位:万元": the line was printed but not filled
        self.department, self.title_line = department, line
        if self.project is not None and self.section != "grid":
            self.project.department = department
            self.project.locations["department"] = self.loc(line)

    def parent_name(self, current: ProjectTarget | None, line: int) -> ProjectTarget | None:
        """一级项目名称 X 二级项目名称 Y (甘肃): a name label followed at once by another on the same or the
        next line names the group the project belongs to, not a project: it is taken out of the results."""
        if current is None or current.indicators or current.goal or current.extra:
            return None
        if set(current.locations) - {"name", "department", "year"} or current.funds.total is not None:
            return None
        if line - (current.locations["name"].line or line) > 1:
            return None
        self.out.projects.remove(current)
        self.project = None
        return current

    def department_from_competent(self) -> None:
        """Forms with neither 填报单位 nor a unit in the title (福建's 主管部门名称 in the title block): the
        competent department is the department the form belongs to, as the workbook reader reads it."""
        project = self.project
        if project is not None and not project.department and project.competent_department:
            project.department = department_text(project.competent_department)
            if "competent_department" in project.locations:
                project.locations["department"] = project.locations["competent_department"]
