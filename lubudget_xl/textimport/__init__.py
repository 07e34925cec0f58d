"""Published tables as text (PDF extractions, web pages, pasted tables) → `ProjectTarget` records.

`import_text(path, catalog)` reads UTF-8 (with or without BOM), UTF-16 with BOM or GBK/GB18030,
tab-, `|`- or space-separated, and returns a `ReadResult` whose issues list every line that was
not imported (`IMPORT_SKIPPED_LINE`, info) besides the reading problems found (warnings).
Modules: `decoding` (bytes → text), `cells` (lines → cells), `segment` (title blocks, pages),
`labels` (the form's fixed texts), `header` (header and fund rows), `grid` (indicator rows),
`importer` (the state machine tying them together).
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
from lubudget_xl.textimport.cells import split_text
from lubudget_xl.textimport.decoding import read_text
from lubudget_xl.textimport.importer import SKIPPED, TextImporter
from lubudget_xl.textimport.segment import first_year

__all__ = ["SKIPPED", "default_catalog", "import_text"]


def default_catalog(year: int | None) -> Catalog:
    """The built-in catalogue of the table's year, else the 2021 one (the seed's tree)."""
    return choose_catalog(year, tree_101=False)[0]


def import_text(path: str | Path, catalog: Catalog | None = None) -> ReadResult:
    path = Path(path)
    text, _encoding = read_text(path)
    rows, mode = split_text(text, csv_file=path.suffix.lower() == ".csv")
    chosen = None
    if catalog is None:
        catalog, chosen = choose_catalog(first_year(rows), uses_tree_101(c.text for row in rows for c in row.filled))
    importer = TextImporter(str(path), catalog, mode)
    outcome = importer.run(rows)
    for project in outcome.projects:
        vocabulary().complete_funds(project.funds, project.locations)
    if chosen:
        outcome.issues.insert(0, Issue("IMPORT_CATALOG_CHOSEN", Severity.INFO, chosen, Location(file=str(path)),
                                       params={"catalog": catalog.version}))
    if not outcome.projects:
        raise UserError(f"{path}: 没有找到项目绩效目标表(没有“项目名称”行),无法导入")
    return ReadResult(file=str(path), projects=outcome.projects, issues=outcome.issues)
