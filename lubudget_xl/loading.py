"""One entry point for every source we read: published text, workbooks, records JSON.

Each reader returns a `ReadResult`; input that cannot be used at all raises `UserError` with a
Chinese message naming the file, so a batch can record it and go on.
"""

from __future__ import annotations

from pathlib import Path

from lubudget_xl.catalog import Catalog
from lubudget_xl.errors import UserError
from lubudget_xl.read_result import ReadResult

TEXT_SUFFIXES = (".txt", ".text", ".tsv", ".csv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".ods")
RECORD_SUFFIXES = (".json",)
# WPS 表格's own suffixes: inside, an .xls (OLE/CFB) or .xlsx (zip) workbook, read by content.
WPS_SUFFIXES = (".et", ".ett")

__all__ = ["RECORD_SUFFIXES", "TEXT_SUFFIXES", "WORKBOOK_SUFFIXES", "WPS_SUFFIXES", "ReadResult", "load_any"]


def load_any(path: str | Path, catalog: Catalog | None = None, *, selfeval: bool = False) -> ReadResult:
    """Read `path` by its kind (suffix). Raises UserError for a missing, unreadable or unknown file.

    A 绩效自评表 workbook is refused (UserError pointing to `lubudget selfeval`) unless `selfeval`:
    then it is read as `SelfEvaluation` records (check and consolidate take both forms)."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path}: 是文件夹,不是文件")
    if not path.exists():
        raise UserError(f"{path}: 文件不存在")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from lubudget_xl.textimport import import_text

        return import_text(path, catalog)
    if suffix in WORKBOOK_SUFFIXES + WPS_SUFFIXES:
        from lubudget_xl.reader import read_workbook
        from lubudget_xl.selfeval.detect import SelfEvaluationForm

        try:
            return read_workbook(path, catalog)
        except SelfEvaluationForm as form:
            if not selfeval:
                raise
            from lubudget_xl.selfeval.reader import read_selfeval_sheets

            return read_selfeval_sheets(form.file, form.sheets, catalog, form.properties)
    if suffix in RECORD_SUFFIXES:
        from lubudget_xl.records import read_records

        return ReadResult(file=str(path), projects=read_records(path))
    kinds = "、".join(TEXT_SUFFIXES + WORKBOOK_SUFFIXES + WPS_SUFFIXES + RECORD_SUFFIXES)
    raise UserError(f"{path}: 不支持的文件类型 {suffix or '(无扩展名)'},可读取: {kinds}")
