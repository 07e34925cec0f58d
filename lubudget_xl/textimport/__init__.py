"""Published tables as text (PDF extractions, web pages, pasted tables) → `ProjectTarget` records.

`import_text(path, catalog)` reads UTF-8 (with or without BOM), UTF-16 with BOM or GBK/GB18030,
tab-, `|`- or space-separated, and returns a `ReadResult` whose issues list every line that was
not imported (`IMPORT_SKIPPED_LINE`, info) besides the reading problems found (warnings).
Modules: `decoding` (bytes → text), `cells` (lines → cells), `segment` (title blocks, pages),
`labels` (the form's fixed texts), `header` (header and fund rows), `grid` (indicator rows),
`importer` (the state machine tying them together).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lubudget_xl.catalog import Catalog, builtin_names, load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.read_result import ReadResult
from lubudget_xl.textimport.cells import split_text
from lubudget_xl.textimport.decoding import read_text
from lubudget_xl.textimport.importer import SKIPPED, TextImporter
from lubudget_xl.textimport.segment import first_year

__all__ = ["SKIPPED", "default_catalog", "import_text"]


def default_catalog(year: int | None) -> Catalog:
    """The built-in catalogue of the table's year, else the 2021 one (the seed's tree)."""
    name = str(year) if year is not None and str(year) in builtin_names() else "2021"
    return _builtin(name)


@lru_cache(maxsize=8)
def _builtin(name: str) -> Catalog:
    # Loading checks the catalogue against its schema (~30 ms); a batch of files shares one copy.
    return load_catalog(name)


def import_text(path: str | Path, catalog: Catalog | None = None) -> ReadResult:
    path = Path(path)
    text, _encoding = read_text(path)
    rows, mode = split_text(text, csv_file=path.suffix.lower() == ".csv")
    if catalog is None:
        catalog = default_catalog(first_year(rows))
    importer = TextImporter(str(path), catalog, mode)
    outcome = importer.run(rows)
    if not outcome.projects:
        raise UserError(f"{path}: 没有找到项目绩效目标表(没有“项目名称”行),无法导入")
    return ReadResult(file=str(path), projects=outcome.projects, issues=outcome.issues)
