"""Seed text → records → filled template → reader: the same records, in every field and row.

Also after LibreOffice re-saves the workbook (what a department using WPS/LibreOffice returns),
and with the template identity checked against the catalogue in use.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SEED, run_cli

from lubudget_xl.catalog import load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.loading import load_any
from lubudget_xl.model import ProjectTarget
from lubudget_xl.reader import read_workbook
from lubudget_xl.records import read_records
from lubudget_xl.template.builder import build_template
from lubudget_xl.template.filler import fill_workbook


def _content(p: ProjectTarget) -> dict:
    """A record without where it came from (locations, file, template)."""
    d = p.to_dict()
    for key in ("locations", "source_file", "template"):
        d.pop(key)
    for ind in d["indicators"]:
        ind.pop("locations")
    return d


@pytest.fixture(scope="module")
def catalog():
    return load_catalog("2021")


@pytest.fixture(scope="module")
def seed_records(catalog):
    return load_any(SEED, catalog).projects


@pytest.fixture(scope="module")
def filled(tmp_path_factory, seed_records, catalog) -> Path:
    path = tmp_path_factory.mktemp("roundtrip") / "六安市政府办公室.xlsx"
    fill_workbook(seed_records, catalog, path)
    return path


def _assert_same(records, result):
    assert len(result.projects) == len(records) == 10
    assert result.rows_read == sum(len(p.indicators) for p in records) == 113
    for before, after in zip(records, result.projects, strict=True):
        assert _content(after) == _content(before), before.name


def test_seed_fill_read_gives_the_same_records(filled, seed_records, catalog):
    result = read_workbook(filled, catalog)
    _assert_same(seed_records, result)
    assert result.issues == []  # our own template, this year's catalogue: nothing to say
    assert result.template is not None and result.template.year == 2021
    assert result.template.catalog_version == catalog.version
    assert all(p.template == result.template for p in result.projects)


def test_locations_point_at_the_cells_read(filled, catalog):
    """Every location, opened with openpyxl (an independent reader), holds the value we read."""
    result = read_workbook(filled, catalog)
    wb = openpyxl.load_workbook(filled)
    for p in result.projects:
        ws = wb[p.locations["name"].sheet]
        assert ws[p.locations["name"].cell].value == p.name
        assert ws[p.locations["unit"].cell].value == p.unit
        assert ws[p.locations["goal"].cell].value == p.goal
        assert ws[p.locations["department"].cell].value == p.department
        assert ws[p.locations["funds.total"].cell].value == p.funds.total
        assert ws[p.locations["funds.other"].cell].value == p.funds.other
        for ind in p.indicators:
            assert ws[ind.locations["level3"].cell].value == ind.level3
            assert str(ws[ind.locations["value"].cell].value) == ind.value
            assert ws[ind.locations["level1"].cell].value == ind.level1
            assert ws[ind.locations["level2"].cell].value == ind.level2


def test_sign_and_unit_columns(tmp_path, seed_records):
    """The 101号 form has 指标值符号/计量单位 columns: the filler splits ≥95% there, we read it back."""
    catalog = load_catalog("2022-101")
    path = tmp_path / "101.xlsx"
    fill_workbook(seed_records, catalog, path)
    result = read_workbook(path, catalog)
    assert result.rows_read == 113
    pairs = [(a, b) for p, q in zip(seed_records, result.projects, strict=True)
             for a, b in zip(p.indicators, q.indicators, strict=True)]
    split = [(a, b) for a, b in pairs if b.sign is not None]
    assert split, "no value was split into the sign column"
    for a, b in pairs:
        assert (b.level3, b.parsed.kind, b.parsed.number) == (a.level3, a.parsed.kind, a.parsed.number)
        assert (b.parsed.sign, b.parsed.unit) == (a.parsed.sign, a.parsed.unit)
    a, b = split[0]
    assert f"{b.sign}{b.value}{b.unit or ''}" == a.value
    assert b.locations["sign"].cell[0] < b.locations["value"].cell[0] < b.locations["unit"].cell[0]


def _without_custom_properties(src: Path, dst: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "docProps/custom.xml":
                zout.writestr(item, zin.read(item))
    dst.write_bytes(buffer.getvalue())


def test_identity_from_hidden_sheet_when_properties_are_lost(filled, tmp_path, catalog):
    path = tmp_path / "无属性.xlsx"
    _without_custom_properties(filled, path)
    result = read_workbook(path, catalog)
    assert result.template is not None
    assert (result.template.template_id, result.template.year) == ("lubudget-pt", 2021)
    assert result.template.template_version == "2021.1"


def test_workbook_of_another_year(filled):
    """A 2021 workbook checked against the 2022 catalogue: an error naming both versions."""
    catalog = load_catalog("2022")
    result = read_workbook(filled, catalog)
    (issue,) = [i for i in result.issues if i.code == "READ_TEMPLATE_YEAR"]
    assert issue.severity == "error"
    assert "2021" in issue.message and "2022" in issue.message
    assert "anhui-88-2021.1" in issue.message and catalog.version in issue.message
    assert len(result.projects) == 10  # still read, so the reviewer sees what was filled


def test_unknown_template_version(tmp_path, catalog):
    wb = build_template(catalog)
    wb["模板信息"]["B4"] = "1999.7"
    wb.custom_doc_props = type(wb.custom_doc_props)()
    ws = wb.worksheets[0]
    ws["B3"], ws["B4"] = "某单位", "甲项目"
    path = tmp_path / "旧版.xlsx"
    wb.save(path)
    result = read_workbook(path, catalog)
    codes = {i.code: i for i in result.issues}
    assert "READ_TEMPLATE_VERSION" in codes
    assert "1999.7" in codes["READ_TEMPLATE_VERSION"].message and "2021.1" in codes["READ_TEMPLATE_VERSION"].message
    assert [p.name for p in result.projects] == ["甲项目"]


def test_known_layout_revisions_follow_the_template():
    """The reader knows the template builder's current sheet layout (without importing it)."""
    from lubudget_xl.reader.identity import KNOWN_LAYOUT_REVISIONS
    from lubudget_xl.template.layout import LAYOUT_REVISION

    assert LAYOUT_REVISION in KNOWN_LAYOUT_REVISIONS


def test_blank_template(tmp_path, catalog):
    """The issued template, unfilled: its title formula has no result yet and is not a finding."""
    path = tmp_path / "空白模板.xlsx"
    build_template(catalog).save(path)
    result = read_workbook(path, catalog)
    assert result.projects == []
    assert {i.code for i in result.issues} == {"READ_BLANK_FORM", "READ_NO_PROJECT"}


def _soffice(src: Path, fmt: str, outdir: Path) -> Path:
    profile = f"file:///tmp/lo-reader-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir", str(outdir),
         str(src)],
        check=True, capture_output=True, timeout=180,
    )
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return outdir / f"{src.stem}.{fmt}"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_after_libreoffice_round_trip(filled, seed_records, catalog, tmp_path, fmt, monkeypatch):
    converted = _soffice(filled, fmt, tmp_path)
    result = read_workbook(converted, catalog)
    _assert_same(seed_records, result)
    assert result.template is not None and result.template.year == 2021  # LibreOffice makes it 2021.0
    assert result.issues == []
    # the size guard works for every format (for .ods it is applied to calamine's extent)
    monkeypatch.setattr("lubudget_xl.reader.workbook.MAX_CELLS", 50)
    with pytest.raises(UserError, match="数据区域过大"):
        read_workbook(converted, catalog)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_excel_97_workbook_and_one_renamed_to_xlsx(filled, seed_records, catalog, tmp_path):
    """.xls keeps no custom properties we read: the identity comes from the 模板信息 sheet. The same
    file renamed to .xlsx (a common mistake) is read by its content, with a warning."""
    converted = _soffice(filled, "xls", tmp_path)
    result = read_workbook(converted, catalog)
    _assert_same(seed_records, result)
    assert result.template is not None and result.template.template_version == "2021.1"
    renamed = tmp_path / "改名.xlsx"
    shutil.copy(converted, renamed)
    again = read_workbook(renamed, catalog)
    _assert_same(seed_records, again)
    assert [i.code for i in again.issues] == ["READ_WRONG_SUFFIX"]


def test_cli_import_of_a_filled_workbook(filled, seed_records, tmp_path):
    out = tmp_path / "records.json"
    done = run_cli("import", str(filled), "-o", str(out))
    assert done.returncode == 0, done.stderr.decode("utf-8")
    records = read_records(out)
    assert [_content(p) for p in records] == [_content(p) for p in seed_records]
    assert records[0].locations["name"].sheet == records[0].name


def test_a_form_with_every_header_row_and_an_extra_fund_row(tmp_path, seed_records):
    """A catalogue whose form has 主管部门, 项目期 and a 上年结转 fund row: filled, read back the same."""
    import copy

    from lubudget_xl.catalog import Catalog

    data = copy.deepcopy(load_catalog("2021").data)
    data["form"]["header_fields"] = ["name", "competent_department", "unit", "attribute", "period",
                                     "funds.total", "funds.fiscal", "funds.other", "goal"]
    data["form"]["extra_fund_rows"] = ["上年结转"]
    catalog = Catalog(data=data)
    records = copy.deepcopy(seed_records[:3])
    for n, p in enumerate(records):
        p.competent_department = "六安市人民政府办公室"
        p.period = f"{n + 1}年"
        p.funds.extra["上年结转"] = 1.5 * n
    path = tmp_path / "全表头.xlsx"
    fill_workbook(records, catalog, path)
    result = read_workbook(path, catalog)
    for before, after in zip(records, result.projects, strict=True):
        assert _content(after) == _content(before)
        assert after.locations["funds.上年结转"].cell.startswith("D")
        assert {"competent_department", "period"} <= after.locations.keys()


def test_an_annotated_copy_reads_the_same(filled, seed_records, catalog, tmp_path):
    """A department returns the checked copy (notes, fills, a 校验结果 sheet): still the same records,
    even when a finding's text quotes a label such as 项目名称:."""
    from lubudget_xl.annotate_copy import write_annotated_copy
    from lubudget_xl.issues import Issue, Severity
    from lubudget_xl.model import Location

    first = read_workbook(filled, catalog).projects[0]
    issue = Issue("HEADER_MISSING", Severity.ERROR, "项目名称:请填写完整名称", first.locations["name"], first.name)
    copy, _ = write_annotated_copy(filled, [issue, Issue("X", Severity.INFO, "项目名称:甲", Location(str(filled)))],
                                   tmp_path)
    result = read_workbook(copy, catalog)
    assert "校验结果" in openpyxl.load_workbook(copy, read_only=True).sheetnames
    _assert_same(seed_records, result)
