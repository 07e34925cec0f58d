"""Consolidation: hundreds of department workbooks → one master book (DESIGN.md §7).

`consolidate(inputs)` discovers the files, reads them in parallel processes (`batch`) whose
payloads wait in a `spool` on disk, applies the cross-file checks (`across`) and returns a
`Consolidation`; `frames` turns its small tables into pandas DataFrames, `master` writes the
master workbook (streaming the rows back from the spool), `parquet` the Parquet tables,
`feedback` one return list per department. Importing this package loads neither pandas nor a
spreadsheet library, so worker processes start light.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from lubudget_xl.consolidate.across import Consolidation, resolve
from lubudget_xl.consolidate.batch import (
    STATUS_FAILED,
    STATUS_SKIPPED,
    FileOutcome,
    failure_issue,
    read_files,
    skipped_issue,
)
from lubudget_xl.consolidate.discover import discover
from lubudget_xl.consolidate.spool import Spool
from lubudget_xl.progress import ProgressCallback, no_progress

__all__ = ["Consolidation", "FileOutcome", "consolidate"]


def _import_pandas() -> None:
    """pandas takes ~0.3 s to import; the parent imports it while the workers read."""
    import pandas  # noqa: F401


def _missing_years(out: Consolidation) -> list:
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.catalog.new_year import missing_year_issue
    from lubudget_xl.checking import default_catalog_name, newest_catalogue_year

    newest = newest_catalogue_year()
    years: dict[int, list[str]] = {}
    for o in out.outcomes:
        if o.year is not None and o.year > newest and o.status not in (STATUS_FAILED, STATUS_SKIPPED):
            years.setdefault(o.year, []).append(o.path)
    fallback = load_catalog(default_catalog_name()) if years else None
    return [missing_year_issue(year, files, fallback) for year, files in sorted(years.items())]


def consolidate(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    catalog_ref: str | None = None,
    jobs: int | None = None,
    on_progress: ProgressCallback = no_progress,
    exclude: Sequence[str | os.PathLike[str]] = (),
    expected_year: int | None = None,
    full: bool = False,
) -> Consolidation:
    """Read every input file and resolve duplicates; one outcome per file, skipped ones included.

    `full` keeps each counted project's complete record (what --json writes). The result holds
    temporary spool files: use it as a context manager (or call `close()`)."""
    found = discover(list(inputs), list(exclude))
    spool = Spool()
    try:
        results = read_files(
            found.files, catalog_ref, jobs, on_progress, full=full, spool=spool.writer, while_waiting=_import_pandas
        )
        out = resolve(results, expected_year=expected_year, spool=spool)
    except BaseException:
        spool.close()
        raise
    if catalog_ref is None:  # a year nobody has made a catalogue for: said once, to the reviewer
        out.extra_issues += [{**i.to_dict(), "department": ""} for i in _missing_years(out)]
    for missing in found.missing:  # one broken INPUT never stops the batch: a failed row and a finding
        out.outcomes.append(FileOutcome(path=missing.path, status=STATUS_FAILED, reason=missing.reason))
        out.extra_issues.append({**failure_issue(missing.path, missing.reason).to_dict(), "department": ""})
    for skipped in found.skipped:
        size = os.path.getsize(skipped.path) if os.path.isfile(skipped.path) else None
        out.outcomes.append(FileOutcome(path=skipped.path, size=size, status=STATUS_SKIPPED, reason=skipped.reason))
        if skipped.returned:  # perhaps a department's submission in the wrong form: on a return list
            out.extra_issues.append({**skipped_issue(skipped.path, skipped.reason).to_dict(), "department": ""})
    return out
