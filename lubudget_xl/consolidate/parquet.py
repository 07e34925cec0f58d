"""The master data as Parquet tables, for analysis beyond Excel (DuckDB, Spark, pandas).

A province-wide year is tens of thousands of tables: Excel can show one year's master book, but
comparisons across years and regions are queries over these files (`SELECT … FROM
'out/indicators.parquet'`). pyarrow is an optional extra (`pip install lubudget_xl[parquet]`).
The long tables are written chunk by chunk (one row group each), never held whole in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from lubudget_xl.consolidate.across import Consolidation
from lubudget_xl.consolidate.frames import (
    INDICATOR_COLUMNS,
    ISSUE_COLUMNS,
    PROJECT_COLUMNS,
    Frames,
    chunked_frames,
    issue_rows,
    project_rows,
)
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import atomic_path

TABLES = ("departments", "projects", "indicators", "issues", "files")
# The number columns of the streamed tables; every other column is text.
_NUMBERS = {
    "parsed_number": "float64", "line": "int64", "year": "int64", "funds_total": "float64",
    "funds_fiscal": "float64", "funds_other": "float64", "indicator_rows": "int64", "errors": "int64",
    "warnings": "int64", "infos": "int64",
}  # fmt: skip


def write_parquet(c: Consolidation, frames: Frames, folder: str | os.PathLike[str]) -> list[Path]:
    """Write one `<table>.parquet` per table into `folder`, each atomically."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UserError("写 Parquet 需要 pyarrow:pip install 'lubudget_xl[parquet]'") from None
    folder = Path(folder)
    written = []
    for name in TABLES:
        target = folder / f"{name}.parquet"
        with atomic_path(target) as tmp:
            if name == "projects":
                _stream(pa, pq, project_rows(c), PROJECT_COLUMNS, tmp)
            elif name == "indicators":
                _stream(pa, pq, c.iter_indicators(), INDICATOR_COLUMNS, tmp)
            elif name == "issues":
                _stream(pa, pq, issue_rows(c), ISSUE_COLUMNS, tmp)
            else:
                getattr(frames, name).to_parquet(tmp, engine="pyarrow", index=False)
        written.append(target)
    return written


def _stream(pa, pq, rows: Iterable[tuple], columns: list[str], target: Path) -> None:
    types = {"float64": pa.float64(), "int64": pa.int64()}
    schema = pa.schema([(c, types.get(_NUMBERS.get(c, ""), pa.string())) for c in columns])
    with pq.ParquetWriter(target, schema) as writer:
        for frame in chunked_frames(rows, columns):
            writer.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False))
