"""Issue 13, guards before the parser: each crafted package is refused with a Chinese message that
names the file, before calamine sees it. Every read runs in a child process with a 2 GB address
space, so a guard that does not hold shows as an abort or a traceback of that child (the suite
goes on), never as gigabytes taken from the machine."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, ROOT
from reader_forms import PROJECT, Shape, write_form
from zipcraft import Entry, deflate, entries_of, write_zip, zeros_bomb

SHEET = "xl/worksheets/sheet1.xml"
_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
from lubudget_xl.catalog import load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.reader import read_workbook
try:
    result = read_workbook(sys.argv[1], load_catalog("2021"))
    print(json.dumps({"kind": "read", "projects": [p.name for p in result.projects],
                      "year": result.projects[0].template.year if result.projects and result.projects[0].template else None}))
except UserError as err:
    print(json.dumps({"kind": "refused", "message": str(err)}))
"""
# What a Chinese message may hold in Latin letters: format names, units, cell addresses, part names.
_ALLOWED = {"excel", "xlsx", "xls", "ods", "xml", "zip", "wps", "mb", "kb", "xfd"}


def english(message: str, path: Path) -> list[str]:
    """Latin words of three letters or more in `message`, other than the file's path, part names
    (xl/…, docProps/…) and format names: what would be a library's English."""
    text = message.replace(str(path), "")
    text = re.sub(r"[\w./\[\]]*\.(xml|rels|bin)\b", "", text)
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in _ALLOWED]


def read_in_child(path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, env=env, timeout=300)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, f"reader ended with {done.returncode}: {stderr[-800:]}"
    assert "Traceback" not in stderr, stderr[-800:]
    return json.loads(done.stdout)


def refused(path: Path) -> str:
    outcome = read_in_child(path)
    assert outcome["kind"] == "refused", outcome
    message = outcome["message"]
    assert str(path) in message
    assert english(message, path) == [], message
    return message


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("guards") / "good.xlsx"
    wb = openpyxl.Workbook()
    write_form(wb.active, PROJECT, Shape())
    wb.active.title = "项目一"
    wb.save(path)
    return path


def rewritten(good: Path, out: Path, part: str, change) -> Path:
    entries = entries_of(good)
    for e in entries:
        if e.name == part:
            data = change(zlib.decompress(e.packed, -15))
            e.packed, e.crc, e.size = deflate(data), zlib.crc32(data), len(data)
    return write_zip(out, entries)


def far_cell(tag: bytes, first: bool = False):
    def change(data: bytes) -> bytes:
        row = b'<row r="1048576">' + tag + b"<is><t>x</t></is></c></row>"
        if first:
            return data.replace(b"<sheetData>", b"<sheetData>" + row, 1)
        return data.replace(b"</sheetData>", row + b"</sheetData>", 1)
    return change


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("far_cell_before_row_1", far_cell(b'<c r="XFD1048576" t="inlineStr">', first=True)),
        ("single_quotes", far_cell(b"<c r='XFD1048576' t='inlineStr'>")),
        ("attributes_in_another_order", far_cell(b'<c t="inlineStr" r="XFD1048576">')),
        ("lower_case_reference", far_cell(b'<c r="xfd1048576" t="inlineStr">')),
        ("prefixed_cell", far_cell(b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                   b'r="XFD1048576" t="inlineStr">')),
        ("spaces_around_equals", far_cell(b'<c t="inlineStr" r = "XFD1048576">')),
    ],
)
def test_far_cell_however_written(good, tmp_path, name, change):
    message = refused(rewritten(good, tmp_path / f"{name}.xlsx", SHEET, change))
    assert "项目一" in message and "XFD1048576" in message


def test_over_long_column_name(good, tmp_path):
    change = far_cell(b'<c r="ZZZZZZZ5" t="inlineStr">')
    message = refused(rewritten(good, tmp_path / "长列名.xlsx", SHEET, change))
    assert "项目一" in message and "超出 Excel 工作表范围" in message


def test_ordinary_far_value_and_empty_formatted_last_row_still_read(good, tmp_path):
    """A formatted but empty last row (Excel writes those) and a value in H200000 are no reason to refuse."""
    def change(data: bytes) -> bytes:
        extra = b'<row r="200000"><c r="H200000" t="inlineStr"><is><t>x</t></is></c></row>'
        extra += b'<row r="1048576" ht="20" customHeight="1"/>'
        return data.replace(b"</sheetData>", extra + b"</sheetData>", 1)
    outcome = read_in_child(rewritten(good, tmp_path / "远处.xlsx", SHEET, change))
    assert outcome == {"kind": "read", "projects": [PROJECT["name"]], "year": None}


def _with_shared_strings(good: Path, out: Path, unique: int) -> Path:
    entries = entries_of(good)
    sst = (f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{unique}" '
           f'uniqueCount="{unique}"><si><t>x</t></si></sst>').encode()
    for e in entries:
        data = zlib.decompress(e.packed, -15)
        if e.name == SHEET:
            data = data.replace(b"</sheetData>", b'<row r="40"><c r="A40" t="s"><v>0</v></c></row></sheetData>')
        elif e.name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                b"</Relationships>")
        else:
            continue
        e.packed, e.crc, e.size = deflate(data), zlib.crc32(data), len(data)
    entries.append(Entry("xl/sharedStrings.xml", deflate(sst), crc=zlib.crc32(sst), size=len(sst)))
    return write_zip(out, entries)


def test_shared_string_count_beyond_the_table(good, tmp_path):
    assert read_in_child(_with_shared_strings(good, tmp_path / "正常.xlsx", 1))["kind"] == "read"
    message = refused(_with_shared_strings(good, tmp_path / "共享文本.xlsx", 4_000_000_000))
    assert "共享文本表" in message and "4000000000" in message


def test_entry_with_the_encryption_flag(good, tmp_path):
    entries = entries_of(good)
    next(e for e in entries if e.name == SHEET).flags = 0x1
    assert "已加密" in refused(write_zip(tmp_path / "加密标志.xlsx", entries))


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, 99])
def test_compression_method_no_spreadsheet_program_uses(good, tmp_path, method):
    path = tmp_path / f"压缩方式{method}.xlsx"
    if method == 99:
        entries = entries_of(good)
        next(e for e in entries if e.name == SHEET).method = 99
        write_zip(path, entries)
    else:
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", method) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info))
    assert f"编号 {method}" in refused(path)


def test_zip_bomb_that_under_declares_its_size(good, tmp_path, monkeypatch):
    """40 MB of zeros in a 40 kB entry declared as 100 bytes: counted while inflating (the limit is
    lowered here so the bomb stays small; the next test is the full-size one)."""
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.errors import UserError
    from lubudget_xl.reader import read_workbook

    monkeypatch.setattr("lubudget_xl.reader.workbook.MAX_UNPACKED", 16 * 2**20)
    entries = entries_of(good)
    entries.append(Entry("xl/media/image1.bin", zeros_bomb(40), crc=0, size=100))
    path = write_zip(tmp_path / "炸弹.xlsx", entries)
    with pytest.raises(UserError) as info:
        read_workbook(path, load_catalog("2021"))
    assert "超过其声明的大小(100 字节)" in str(info.value) and english(str(info.value), path) == []


def test_bomb_disguised_as_the_sheet(good, tmp_path):
    """1.1 GB of zeros as the sheet, declared at the sheet's real size: never held (the child's
    2 GB address space would not take it beside calamine's own copy)."""
    entries = entries_of(good)
    sheet = next(e for e in entries if e.name == SHEET)
    sheet.packed, sheet.size = zeros_bomb(1100), sheet.size
    assert "解压后超过其声明的大小" in refused(write_zip(tmp_path / "表炸弹.xlsx", entries))


def test_bomb_that_declares_its_size(good, tmp_path):
    """Declared honestly, 1.1 GB is refused from the directory alone, before anything inflates."""
    entries = entries_of(good)
    entries.append(Entry("xl/media/image1.bin", zeros_bomb(1100), crc=0, size=1100 * 2**20))
    message = refused(write_zip(tmp_path / "大炸弹.xlsx", entries))
    assert "解压后达 1100 MB" in message and "上限 1024 MB" in message


def test_year_property_of_inf(good, tmp_path):
    """A custom property LubudgetYear of type r8 holding INF: read as no year, not an OverflowError."""
    custom = (
        b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="LubudgetTemplateId">'
        b'<vt:lpwstr>lubudget-targets</vt:lpwstr></property>'
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="LubudgetYear"><vt:r8>INF</vt:r8>'
        b'</property></Properties>'
    )
    entries = entries_of(good)
    entries.append(Entry("docProps/custom.xml", deflate(custom), crc=zlib.crc32(custom), size=len(custom)))
    outcome = read_in_child(write_zip(tmp_path / "年度inf.xlsx", entries))
    assert outcome == {"kind": "read", "projects": [PROJECT["name"]], "year": 0}


def test_damaged_xls_that_panics_calamine(tmp_path):
    """tests/fixtures/issue13_xls_panic.xls: a form saved as .xls by LibreOffice with a few bytes
    changed; calamine's cfb reader panics (pyo3 PanicException, a BaseException)."""
    path = tmp_path / "损坏.xls"
    path.write_bytes((FIXTURES / "issue13_xls_panic.xls").read_bytes())
    assert "损坏" in refused(path)


def test_invalid_xml_in_properties_is_reported_in_chinese(good, tmp_path):
    entries = entries_of(good)
    bad = b"<Properties><property name='x'><vt:lpwstr>1</Properties>"
    entries.append(Entry("docProps/custom.xml", deflate(bad), crc=zlib.crc32(bad), size=len(bad)))
    message = refused(write_zip(tmp_path / "坏属性.xlsx", entries))
    assert "docProps/custom.xml 不是有效的 XML(第 1 行" in message


def test_sheet_calamine_cannot_parse_is_reported_in_chinese(good, tmp_path):
    """A shared-string index with no table: calamine's "Cell string index not found …" used to
    follow the Chinese text in brackets."""
    def change(data: bytes) -> bytes:
        return data.replace(b"</sheetData>", b'<row r="40"><c r="A40" t="s"><v>7</v></c></row></sheetData>', 1)
    message = refused(rewritten(good, tmp_path / "坏表.xlsx", SHEET, change))
    assert "损坏" in message
