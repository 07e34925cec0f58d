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
    Frames,
    chunked_frames,
    issue_rows,
)
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import atomic_path

TABLES = ("departments", "projects", "indicators", "issues", "files")
_NUMBERS = {"parsed_number": "float64", "line": "int64"}  # every other column of the long tables is text


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
            if name == "indicators":
                _stream(pa, pq, c.iter_indicators(), INDICATOR_COLUMNS, tmp)
            elif name == "issues":
                _stream(pa, pq, issue_rows(c), ISSUE_COLUMNS, tmp)
            else:
                getattr(frames, name).to_parquet(tmp, engine="pyarrow", index=False)
        written.append(target)
    return written


def _stream(pa, pq, rows: Iterable[tuple], columns: list[str], target: Path) -> None:
    schema = pa.schema([(c, pa.float64() if _NUMBERS.get(c) == "float64" else pa.int64() if c in _NUMBERS else pa.string())
                        for c in columns])  # fmt: skip
    with pq.ParquetWriter(target, schema) as writer:
        for frame in chunked_frames(rows, columns):
            writer.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False))
