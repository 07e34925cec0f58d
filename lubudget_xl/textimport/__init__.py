"""Published tables as text (PDF extractions, web pages, pasted tables) → `ProjectTarget` records.

`import_text(path, catalog)` reads UTF-8 (with or without BOM), UTF-16 with BOM or GBK/GB18030,
tab-, `|`- or space-separated, and returns a `ReadResult` whose issues list every line that was
not imported (`IMPORT_SKIPPED_LINE`, info) besides the reading problems found (warnings).
Modules: `decoding` (bytes → text), `cells` (lines → cells), `segment` (title blocks, pages),
`labels` (the form's fixed texts), `header` (header and fund rows), `grid` (indicator rows),
`importer` (the state machine tying them together). Text without cell separators (one cell per
line, glued, flattened) goes first through `layouts` (which layout, rows rebuilt from tokens),
`scanner` (the form's labels found in the character stream), `gridrows` and `valuesplit` (where a
glued value begins); `forms` recognises tables that are not target forms.
"""

from __future__ import annotations

from pathlib import Path

from lubudget_xl.catalog import Catalog
from lubudget_xl.catalog.choose import choose_catalog, uses_tree_101
from lubudget_xl.catalog.vocabulary import vocabulary
from lubudget_xl.errors import UserError
from lubudget_xl.issues import Issue, Severity
from lubudget_xl.model import Location
from lubudget_xl.read_result import ReadResult
from lubudget_xl.textimport.cells import TAB, split_text
from lubudget_xl.textimport.cut import without_cut_row_findings
from lubudget_xl.textimport.decoding import read_text
from lubudget_xl.textimport.forms import (
    BUDGET_TABLE,
    FORM_NAMES,
    MESSAGES,
    budget_heading,
    foreign_form,
    set_aside_other_forms,
)
from lubudget_xl.textimport.importer import SKIPPED, TextImporter
from lubudget_xl.textimport.layouts import TREE_101_MARKS, choose, rebuild
from lubudget_xl.textimport.segment import first_year, title_year

__all__ = ["SKIPPED", "default_catalog", "import_text"]


def default_catalog(year: int | None) -> Catalog:
    """The built-in catalogue of the table's year, else the 2021 one (the seed's tree)."""
    return choose_catalog(year, tree_101=False)[0]


def import_text(path: str | Path, catalog: Catalog | None = None) -> ReadResult:
    path = Path(path)
    text, _encoding = read_text(path)
    foreign = foreign_form(text)
    if foreign:
        raise UserError(f"{path}: " + MESSAGES[foreign[0]].format(found=foreign[1]))
    text, other_forms = set_aside_other_forms(text)
    rows, mode = split_text(text, csv_file=path.suffix.lower() == ".csv")
    layout, lines, breaks = choose(rows, mode)
    chosen = None
    if catalog is None and layout is None:
        catalog, chosen = choose_catalog(first_year(rows), uses_tree_101(c.text for row in rows for c in row.filled))
    elif catalog is None:
        # Cells not yet cut: the 101号 level twos are looked for in the text itself.
        plain = "".join(text.split())
        catalog, chosen = choose_catalog(title_year(text), uses_tree_101(m for m in TREE_101_MARKS if m in plain))
    found: list[Issue] = []
    if layout is not None:
        # No separator between cells: the label-driven scanner cuts the text (textimport.layouts).
        rows, found = rebuild(lines, layout, catalog, str(path), breaks)
        mode = TAB
    importer = TextImporter(str(path), catalog, mode)
    outcome = importer.run(rows, text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for project in outcome.projects:
        vocabulary().complete_funds(project.funds, project.locations)
    if chosen:
        outcome.issues.insert(0, Issue("IMPORT_CATALOG_CHOSEN", Severity.INFO, chosen, Location(file=str(path)),
                                       params={"catalog": catalog.version}))
    if not outcome.projects and outcome.list_heading:
        line, heading = outcome.list_heading
        raise UserError(f"{path}: " + MESSAGES[BUDGET_TABLE].format(line=line, label="项目名称", found=heading))
    budget = None if outcome.projects else budget_heading(
        [(row.number, [c.text for c in row.cells]) for row in split_text(text, csv_file=path.suffix.lower() == ".csv")[0]]
    )
    if budget:
        line, first, beside = budget
        raise UserError(f"{path}: " + MESSAGES[BUDGET_TABLE].format(line=line, label=f"“{first}”", found=beside))
    if not outcome.projects:
        raise UserError(f"{path}: 没有找到项目绩效目标表(没有“项目名称”行),无法导入")
    for first, last, kind in other_forms:
        found.append(Issue(
            "IMPORT_OTHER_FORM", Severity.WARNING,
            f"第{first}–{last}行是{FORM_NAMES[kind]},不是项目支出绩效目标表,未导入(同一文件中的项目绩效目标表已导入)",
            Location(file=str(path), line=first), params={"kind": kind, "first_line": first, "last_line": last},
        ))
    issues = sorted(found + outcome.issues, key=lambda i: i.location.line or 0) if found else outcome.issues
    issues = without_cut_row_findings(issues)
    return ReadResult(file=str(path), projects=outcome.projects, issues=issues)
