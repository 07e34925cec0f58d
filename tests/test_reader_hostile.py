"""Files a finance bureau really receives: broken, encrypted, renamed, empty, huge, uncalculated.

Each must give a specific Chinese UserError naming the file, or an Issue, never a traceback.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import run_cli
from reader_forms import PROJECT, Shape, write_form

from lubudget_xl.catalog import load_catalog
from lubudget_xl.errors import UserError
from lubudget_xl.reader import read_workbook


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "good.xlsx"
    wb = openpyxl.Workbook()
    write_form(wb.active, PROJECT, Shape())
    wb.save(path)
    return path


def _error(path: Path) -> str:
    with pytest.raises(UserError) as info:
        read_workbook(path, load_catalog("2021"))
    message = str(info.value)
    assert str(path) in message
    return message


def test_truncated_zip(good, tmp_path):
    data = good.read_bytes()
    path = tmp_path / "截断.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "损坏" in _error(path)


def test_damaged_compressed_part(good, tmp_path):
    """The zip directory is intact but a sheet's deflate data is not: a Chinese error, no zlib traceback."""
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(40, 80):
        data[start + k] ^= 0x5A
    path = tmp_path / "压缩数据损坏.xlsx"
    path.write_bytes(bytes(data))
    assert "损坏" in _error(path)
    done = run_cli("check", str(path))
    output = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 2 and "无法解压" in output and "Traceback" not in output


def test_not_a_zip(tmp_path):
    path = tmp_path / "改名.xlsx"
    path.write_text("项目名称,甲\n", encoding="utf-8")
    assert "不是 Excel 工作簿" in _error(path)


def test_html_named_xls(tmp_path):
    path = tmp_path / "网页.xls"
    path.write_text("<html><body><table><tr><td>项目名称</td></tr></table></body></html>", encoding="utf-8")
    assert "网页" in _error(path)


def test_empty_file(tmp_path):
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    assert "0 字节" in _error(path)


def test_zip_that_is_no_workbook(tmp_path):
    path = tmp_path / "压缩包.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "不是 Excel 工作簿" in _error(path)


def test_password_protected(good, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    path = tmp_path / "加密.xlsx"
    with good.open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert "密码" in _error(path)


def test_workbook_without_project_sheet(tmp_path):
    path = tmp_path / "无项目.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "请在项目表中填写"
    wb.save(path)
    message = _error(path)
    assert "没有找到项目表" in message and "说明" in message


def test_blank_template_is_an_issue(tmp_path):
    path = tmp_path / "空白模板.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, label in enumerate(["项目名称", "实施单位", "项目属性", "年度目标"], start=1):
        ws.cell(r, 1, label)
    wb.save(path)
    result = read_workbook(path, load_catalog("2021"))
    assert result.projects == []
    assert {i.code for i in result.issues} >= {"READ_BLANK_FORM", "READ_NO_PROJECT"}


def test_source_file_is_not_modified(good):
    before = good.read_bytes()
    read_workbook(good, load_catalog("2021"))
    assert good.read_bytes() == before


def test_formulas_without_cached_values(tmp_path):
    """openpyxl writes formulas without results: a field we read that is such a formula is reported."""
    path = tmp_path / "公式.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    written = write_form(ws, PROJECT, Shape(check_area=True, goal_below=False))
    total = written.cells["funds.total"]
    ws[total] = "=D10+D11"
    ws[written.rows[0]["value"]] = '="≥"&18'
    wb.save(path)
    result = read_workbook(path, load_catalog("2021"))
    (p,) = result.projects
    assert p.funds.total is None and p.funds.fiscal == 150.5
    assert p.indicators[0].value == ""
    found = {(i.code, i.location.cell) for i in result.issues if i.code == "READ_FORMULA_NO_VALUE"}
    # the check area's formulas (H2, H3) are not fields and are not reported
    assert found == {("READ_FORMULA_NO_VALUE", total), ("READ_FORMULA_NO_VALUE", written.rows[0]["value"])}
    issue = next(i for i in result.issues if i.location.cell == total)
    assert "公式没有计算结果,请在 Excel 中打开并保存后再提交" in issue.message
    assert issue.params["formula"] == "D10+D11" and issue.project == PROJECT["name"]


def _big_sheet_xml(rows: int) -> bytes:
    """Sheet XML with the grid header and `rows` indicator rows (inline strings), built directly:
    writing it through a spreadsheet library would take seconds of the suite's time."""

    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    parts = [
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
        f'<row r="1">{cell("A1", "项目名称")}{cell("B1", "大项目")}</row>',
        '<row r="2">' + "".join(cell(f"{c}2", t) for c, t in zip("ABCDE", ["绩效指标", "一级指标", "二级指标",
                                                                         "三级指标", "本年度指标值"], strict=True)) + "</row>",
        f'<row r="3">{cell("B3", "产出指标")}{cell("C3", "数量指标")}{cell("D3", "指标3")}{cell("E3", "≥3次")}</row>',
    ]
    parts += [f'<row r="{r}">{cell(f"D{r}", f"指标{r}")}{cell(f"E{r}", f"≥{r}次")}</row>' for r in range(4, rows + 3)]
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode("utf-8")


def test_hundred_thousand_rows(tmp_path):
    """A project sheet with 100,000 indicator rows is read in one pass (benchmarks/read.py times it)."""
    skeleton = tmp_path / "skeleton.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "项目"
    wb.save(skeleton)
    path = tmp_path / "十万行.xlsx"
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = _big_sheet_xml(100_000) if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item.filename, data)
    result = read_workbook(path, load_catalog("2021"))
    (p,) = result.projects
    assert len(p.indicators) == 100_000
    last = p.indicators[-1]
    assert (last.level1, last.level2, last.level3, last.value) == ("产出指标", "数量指标", "指标100002", "≥100002次")
    assert last.locations["value"].cell == "E100002" and last.locations["level1"].cell == "B3"


def test_hostile_xml_in_custom_properties(good, tmp_path):
    """An entity-expansion bomb in docProps/custom.xml is refused by defusedxml, not expanded."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
        '<property name="LubudgetTemplateId"><vt:lpwstr xmlns:vt="x">&lol2;</vt:lpwstr></property></Properties>'
    )
    path = tmp_path / "炸弹.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("docProps/custom.xml", bomb)
    path.write_bytes(buffer.getvalue())
    assert "不安全" in _error(path)


def test_cli_import_of_broken_workbook(good, tmp_path):
    """The batch-facing CLI prints the Chinese message and exits 2, no traceback."""
    path = tmp_path / "坏.xlsx"
    shutil.copy(good, path)
    path.write_bytes(path.read_bytes()[:100])
    done = run_cli("import", str(path), "-o", str(tmp_path / "out.json"))
    assert done.returncode == 2
    text = done.stderr.decode("utf-8")
    assert "Traceback" not in text and str(path) in text


def test_xlsx_named_xls(good, tmp_path):
    """An .xlsx renamed to .xls is read by its content, with a warning to save it properly."""
    path = tmp_path / "改名.xls"
    shutil.copy(good, path)
    result = read_workbook(path, load_catalog("2021"))
    assert [p.name for p in result.projects] == [PROJECT["name"]]
    assert "READ_WRONG_SUFFIX" in {i.code for i in result.issues}


def test_percent_formatted_numbers(tmp_path):
    """Typing 95% into Excel stores 0.95 formatted as a percentage: we read what the person sees."""
    path = tmp_path / "百分比.xlsx"
    wb = openpyxl.Workbook()
    written = write_form(wb.active, PROJECT, Shape())
    rate = wb.active[written.rows[2]["value"]]
    rate.value, rate.number_format = 0.95, "0%"
    plain = wb.active[written.rows[1]["value"]]
    plain.value = 24
    wb.save(path)
    (p,) = read_workbook(path, load_catalog("2021")).projects
    assert p.indicators[2].value == "95%"
    assert (p.indicators[2].parsed.number, p.indicators[2].parsed.unit) == (95.0, "%")
    assert p.indicators[1].value == "24"
    assert p.funds.total == 156.0


def test_stray_value_in_the_last_cell_of_the_sheet(tmp_path):
    """A value typed into XFD1048576 would make calamine allocate 17 billion cells and abort the
    process; it is refused first, naming the sheet and the cell."""
    path = tmp_path / "最远单元格.xlsx"
    wb = openpyxl.Workbook()
    write_form(wb.active, PROJECT, Shape())
    wb.active.title = "项目一"
    wb.active["XFD1048576"] = " "
    wb.save(path)
    message = _error(path)
    assert "项目一" in message and "XFD1048576" in message


def test_stray_value_far_below_is_still_read(tmp_path):
    """A stray value in row 200,000 of column H: a big but bounded grid, read normally."""
    path = tmp_path / "远处.xlsx"
    wb = openpyxl.Workbook()
    write_form(wb.active, PROJECT, Shape())
    wb.active["H200000"] = "x"
    wb.save(path)
    (p,) = read_workbook(path, load_catalog("2021")).projects
    assert len(p.indicators) == len(PROJECT["indicators"])


def test_zip_bomb(good, tmp_path, monkeypatch):
    """Parts that unpack far beyond what a form needs are refused before anything unpacks (the
    limit is lowered here so the bomb stays small: 24 MB of XML from a few kB)."""
    monkeypatch.setattr("lubudget_xl.reader.workbook.MAX_UNPACKED", 16 * 2**20)
    path = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/padding.xml", b" " * (24 * 2**20))
    assert path.stat().st_size < 2**20
    assert "24 MB" in _error(path)


def test_a_master_workbook_is_no_form(tmp_path):
    """Lists with a 项目名称 column (a consolidated master book) are not read as one giant project."""
    path = tmp_path / "汇总表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目清单"
    ws.append(["部门", "项目名称", "实施单位", "项目属性", "年度资金总额"])
    ws.append(["某局", "甲项目", "某局本级", "经常性项目", 10])
    issues = wb.create_sheet("校验问题")
    issues.append(["严重程度", "问题代码", "部门", "项目名称", "问题说明"])
    issues.append(["错误", "FUNDS_SUM", "某局", "甲项目", "资金不平衡"])
    indicators = wb.create_sheet("绩效指标")
    indicators.append(["项目名称", "一级指标", "二级指标", "三级指标", "本年度指标值"])
    indicators.append(["甲项目", "产出指标", "数量指标", "培训次数", "≥2次"])
    wb.save(path)
    message = _error(path)
    assert "清单式表格" in message and "项目清单" in message and "绩效指标" in message
