"""The package handed to calamine (the parts we unpacked stored uncompressed) gives exactly what
calamine gives reading the file itself, and a file calamine refuses is still refused in
calamine's own words."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from reader_forms import PROJECT, Shape, write_form

from lubudget_xl.catalog import load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.reader import read_workbook
from lubudget_xl.reader.package import Package
from lubudget_xl.reader.workbook import _load_grids, _zip_extras


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    """Merged cells, a formula without a value, a sheet without merges and an empty sheet."""
    path = tmp_path_factory.mktemp("package") / "表.xlsx"
    wb = openpyxl.Workbook()
    write_form(wb.active, PROJECT, Shape(check_area=True))
    wb.active["H30"] = "=1+1"
    plain = wb.create_sheet("说明")
    plain["A1"], plain["C4"] = "说明文字", 3.5
    wb.create_sheet("空表")
    wb.save(path)
    return path


def _calamine(source: Path | bytes) -> dict:
    book = (CalamineWorkbook.from_path(str(source)) if isinstance(source, Path)
            else CalamineWorkbook.from_filelike(io.BytesIO(source)))
    try:
        out = {}
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            out[name] = (sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges, sheet.start, sheet.end)
        return out
    finally:
        book.close()


def test_stored_copy_reads_as_the_file(workbook):
    _, _, stored = _zip_extras(workbook)
    assert stored is not None
    with zipfile.ZipFile(io.BytesIO(stored)) as zf, zipfile.ZipFile(workbook) as original:
        sheets = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/")]
        assert sheets and all(i.compress_type == zipfile.ZIP_STORED for i in sheets)
        assert {i.filename: zf.read(i) for i in zf.infolist()} == {i.filename: original.read(i) for i in original.infolist()}
    expected = _calamine(workbook)
    assert any(ranges for _, ranges, _, _ in expected.values())  # the form has merged cells
    assert _calamine(stored) == expected
    assert _load_grids(workbook, False, stored) == _load_grids(workbook, False)


def _rewritten(source: Path, target: Path, part: str, change) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item.filename, change(data) if item.filename == part else data)
    return target


def _outcome(path: Path, stored: bytes | None) -> object:
    try:
        return _load_grids(path, False, stored)
    except UserError as err:
        return str(err)


def test_a_sheet_broken_after_its_cells_stays_broken(workbook, tmp_path):
    """calamine's merge pass reads on after the cells, so in the file it trips over a broken tag
    there; the copy must trip over it too."""
    for i, (part, sheet, broken) in enumerate((
        ("xl/worksheets/sheet2.xml", "说明", b"</sheetData></oops>"),  # no merge list
        ("xl/worksheets/sheet2.xml", "说明", b"</sheetData></sheetData>"),
        ("xl/worksheets/sheet1.xml", "Sheet", b"</sheetData></a></b>"),  # before the merge list
    )):
        path = _rewritten(workbook, tmp_path / f"坏{i}.xlsx", part, lambda d, b=broken: d.replace(b"</sheetData>", b))
        _, _, stored = _zip_extras(path)
        expected = _outcome(path, None)
        assert isinstance(expected, str) and sheet in expected  # calamine refuses the file
        assert _outcome(path, stored) == expected


def test_part_reading_equals_zipfile(workbook):
    with Package(workbook) as package, zipfile.ZipFile(workbook) as zf:
        for info in zf.infolist():
            assert package.read(package.getinfo(info.filename)) == zf.read(info)


def test_zip_calamine_refuses_is_refused_in_its_words(workbook, tmp_path):
    """A multi-disk marker in the end record: Python's zipfile reads past it, calamine does not;
    the reader must refuse the file as calamine does, not read the repaired copy, and say so in
    Chinese only (calamine's "Multi-disk …" reached departments' return lists, issue 13)."""
    data = bytearray(workbook.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<H", data, end + 4, 1)  # number of this disk
    path = tmp_path / "多卷.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(UserError) as info:
        read_workbook(path, load_catalog("2021"))
    message = str(info.value)
    assert str(path) in message and "损坏" in message and "Multi-disk" not in message
