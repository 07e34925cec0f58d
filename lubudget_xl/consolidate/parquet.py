"""The master data as Parquet tables, for analysis beyond Excel (DuckDB, Spark, pandas).

A province-wide year is tens of thousands of tables: Excel can show one year's master book, but
comparisons across years and regions are queries over these files (`SELECT … FROM
'out/indicators.parquet'`). pyarrow is an optional extra (`pip install lubudget_xl[parquet]`).
"""

from __future__ import annotations

import os
from pathlib import Path

from lubudget_xl.consolidate.frames import Frames
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import atomic_path

TABLES = ("departments", "projects", "indicators", "issues", "files")


def write_parquet(frames: Frames, folder: str | os.PathLike[str]) -> list[Path]:
    """Write one `<table>.parquet` per table into `folder`, each atomically."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UserError("写 Parquet 需要 pyarrow:pip install 'lubudget_xl[parquet]'") from None
    folder = Path(folder)
    written = []
    for name in TABLES:
        target = folder / f"{name}.parquet"
        with atomic_path(target) as tmp:
            getattr(frames, name).to_parquet(tmp, engine="pyarrow", index=False)
        written.append(target)
    return written
