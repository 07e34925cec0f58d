"""Issue 13 item 6: return lists and 校验结果 sheets are A4 documents people print and send.

Title block with the issuing unit (--issuer), the date and the deadline (--deadline), wrapped text at
a readable size, Chinese rule names with the code last, the header row on every page, page numbers;
file names within the 255-byte limit however long a department's name. The LibreOffice test prints
a real return list and a real annotated copy to PDF and reads the pages back with poppler.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, SEED, run_cli

from lubudget_xl.consolidate.feedback import COLUMNS, is_our_list, write_feedback
from lubudget_xl.consolidate.master import COLUMNS as MASTER_COLUMNS
from lubudget_xl.consolidate.master import SHEET_ISSUES
from lubudget_xl.errors import UserError
from lubudget_xl.printing import LANDSCAPE_WIDTH_UNITS, Heading, parse_deadline
from lubudget_xl.rules._docs import OTHER_CODES
from lubudget_xl.rules.names import SHORT_NAMES, rule_name

ISSUER = "六安市财政局预算绩效管理科"
LONG = "六安市某某区人民政府办公室下属" + "综合服务保障中心" * 12  # 111 characters, 333 bytes in UTF-8


def _master(path: Path, rows: list[dict]) -> Path:
    """A master book's 校验问题 sheet as `feedback` reads it (the headers of consolidate/master.py)."""
    headers = [c.header for c in MASTER_COLUMNS[SHEET_ISSUES]]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_ISSUES
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    book.save(path)
    return path


def _finding(department: str, n: int, code: str = "FUNDS_SUM") -> dict:
    return {
        "严重程度": "错误" if n % 3 else "警告", "问题代码": code, "部门": department, "项目名称": f"项目{n}",
        "问题说明": f"资金不平衡:年度资金总额 {n}0.0 万元,而 财政拨款 + 其他资金 = {n}1.0 万元;两者应相等。" * 2,
        "建议修改": f"{n}1.0", "来源文件": f"C:\\报送\\{department[:10]}.xlsx", "工作表": f"项目{n}", "单元格": "D12",
    }  # fmt: skip


def test_every_code_has_a_short_chinese_name():
    from lubudget_xl.rules import REGISTRY

    codes = [*REGISTRY, *(code for code, _, _ in OTHER_CODES)]
    missing = [c for c in codes if c not in SHORT_NAMES]
    assert missing == []
    assert all(re.search(r"[\u4e00-\u9fff]", SHORT_NAMES[c]) and len(SHORT_NAMES[c]) <= 10 for c in codes)
    assert rule_name("READ_SOMETHING_NEW") == "读取问题" and rule_name("ZZZ_X") == "其他问题" and rule_name("") == ""


@pytest.mark.parametrize(
    ("text", "words"),
    [("2024-02-30", "没有这一天"), ("2024/03/31", "年-月-日"), ("明天", "年-月-日"), ("2024-13-01", "没有这一天")],
)
def test_a_bad_deadline_is_a_chinese_usage_error(tmp_path, text, words):
    with pytest.raises(UserError, match=words):
        parse_deadline(text)
    master = _master(tmp_path / "汇总表.xlsx", [_finding("甲部门", 1)])
    for verb in (["feedback", str(master), "-o", str(tmp_path / "退回")],
                 ["check", str(SEED), "--annotate", str(tmp_path / "批注")]):  # fmt: skip
        done = run_cli(*verb, "--deadline", text)
        err = done.stderr.decode()
        assert done.returncode == 2 and words in err and "Traceback" not in err, err
    assert not (tmp_path / "退回").exists() and not (tmp_path / "批注").exists()  # refused before writing
    assert parse_deadline(" 2024-3-5 ") == date(2024, 3, 5) and parse_deadline(None) is None


def test_return_list_is_an_a4_document_with_title_block_and_chinese_rule_names(tmp_path):
    master = _master(tmp_path / "汇总表.xlsx", [_finding("六安市教育局", n) for n in range(1, 31)])
    done = run_cli("feedback", str(master), "-o", str(tmp_path / "退回"), "--issuer", ISSUER,
                   "--deadline", "2099-03-31")  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    path = tmp_path / "退回" / "退回修改_六安市教育局.xlsx"
    ws = openpyxl.load_workbook(path)["退回修改"]
    assert "六安市教育局" in ws["A1"].value and ws["A1"].font.sz >= 14
    assert ws["A2"].value == f"发文单位:{ISSUER}    发文日期:{date.today().year}年{date.today().month}月{date.today().day}日"
    assert ws["A3"].value.endswith("请于2099年3月31日前修改后报回。")
    header = [c.value for c in ws[4]]
    assert header == [h for h, _ in COLUMNS] and header[-2:] == ["问题类型", "问题代码"]
    rows = [r for r in ws.iter_rows(min_row=5) if r[0].value is not None]
    assert len(rows) == 30
    assert {(r[8].value, r[9].value) for r in rows} == {("资金不平衡", "FUNDS_SUM")}
    for row in rows:
        assert all(c.alignment.wrap_text and c.border.left.style for c in row[1:])
        assert all(c.font.sz >= 11 for c in row[:-1]) and row[-1].font.sz >= 9
        # tall enough for the wrapped 问题说明 (LibreOffice keeps a stored row height as it is)
        assert ws.row_dimensions[row[0].row].height >= 3 * 11
    # one A4 landscape page wide, never shrunk to one page tall; titles and page numbers on every page
    setup = ws.page_setup  # fitToWidth 1 is the schema's default: XlsxWriter leaves it out
    assert (int(setup.paperSize), setup.orientation, setup.fitToWidth or 1, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$4:$4"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sum(w for _, w in COLUMNS) <= LANDSCAPE_WIDTH_UNITS
    assert [ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(len(COLUMNS))] == [
        pytest.approx(w, abs=0.72) for _, w in COLUMNS
    ]


def test_row_heights_grow_with_the_text_up_to_excels_limit():
    from lubudget_xl.printing import MAX_ROW_HEIGHT, row_height

    one = row_height([("资金不平衡", 12, 11)])
    assert one < row_height([("资金不平衡" * 8, 12, 11)]) < row_height([("资金不平衡" * 16, 12, 11)])
    assert row_height([("甲" * 30_000, 38, 11)]) == MAX_ROW_HEIGHT and row_height([("", 10, 11)]) == 15.0


def test_long_department_names_fit_the_file_name_limit_and_stop_no_list(tmp_path):
    """A 111-character department (333 bytes) once overflowed the 255-byte limit (`OSError: File name
    too long`) and stopped the lists of every department after it."""
    twin = LONG[:-1] + "乙"  # same first 110 characters: must not share a file
    departments = [LONG, twin, "阿克苏地区财政局", "六安市教育局"]
    master = _master(tmp_path / "汇总表.xlsx", [_finding(d, n) for n, d in enumerate(departments, 1)])
    folder = tmp_path / "退回"
    written = write_feedback(master, folder, heading=Heading(issuer=ISSUER))
    assert len(written) == 4 and len({p.name for p in written}) == 4
    for path, department in zip(sorted(written, key=lambda p: departments.index(_department(p))), departments,
                                strict=True):  # fmt: skip
        assert len(path.name.encode("utf-8")) <= 255 and path.exists() and is_our_list(path)
        assert department in openpyxl.load_workbook(path)["退回修改"]["A1"].value  # the full name inside
    assert (folder / "退回修改_六安市教育局.xlsx").exists()  # short names stay as they were
    again = write_feedback(master, folder)  # the same names again: stable, nothing removed
    assert sorted(again) == sorted(written)
    # a list that cannot be written (a folder in its place) stops no other list, and says so in Chinese
    for path in written:
        path.unlink()
    blocked = folder / "退回修改_六安市教育局.xlsx"
    blocked.mkdir()
    with pytest.raises(UserError, match=r"1 份退回修改清单未能写出:退回修改_六安市教育局\.xlsx.*其余 3 份已写出"):
        write_feedback(master, folder)
    assert sum(1 for p in folder.iterdir() if p.is_file()) == 3


def _department(path: Path) -> str:
    title = openpyxl.load_workbook(path)["退回修改"]["A1"].value
    return title.removesuffix(" 项目支出预算绩效目标表 退回修改清单")


def test_annotated_copy_names_stay_within_the_limit(tmp_path):
    """A source named near the limit (245 bytes) exists; `<name>_校验.xlsx` would not fit."""
    from lubudget_xl.annotate_copy import annotated_name, distinct_names

    source = _filled(tmp_path / (LONG[:80] + ".xlsx"))
    name = annotated_name(source)
    assert len(name.encode()) <= 255 and name.endswith("_校验.xlsx") and name != annotated_name(Path("x" + source.name))
    twins = distinct_names([tmp_path / "a" / source.name, tmp_path / "b" / source.name])
    assert len(set(twins)) == 2 and all(len(n.encode()) <= 255 for n in twins)
    out = tmp_path / "批注"
    done = run_cli("check", str(source), "--annotate", str(out), "--catalog", "2021", "--quiet")
    assert done.returncode == 1, done.stderr.decode()
    assert [p.name for p in out.iterdir()] == [name]


def _filled(path: Path) -> Path:
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.loading import load_any
    from lubudget_xl.template.filler import fill_workbook

    catalog = load_catalog("2021")
    fill_workbook(load_any(SEED, catalog).projects, catalog, path)
    return path


# --- printed through LibreOffice and read back with poppler ---------------------------------------

NEEDED = ("soffice", "pdfinfo", "pdftotext", "pdftoppm")


def _pdf(source: Path, out: Path) -> Path:
    profile = f"file:///tmp/lo-print-{uuid.uuid4().hex}"
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=300)  # fmt: skip
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return out / (source.stem + ".pdf")


def _pages(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Words of each page: (xMin, yMin, xMax, yMax, text), from `pdftotext -bbox`."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=120).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", html.decode("utf-8"), re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)
        pages.append([(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in words])
    return pages


def _page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    return float(width), float(height)


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the first channel of every pixel (tools/pngsmall.py decodes the PNG)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import pngsmall

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    header, rows, bpp = pngsmall.decode(data)
    width, height = struct.unpack(">II", header[:8])
    return width, height, b"".join(bytes(row[::bpp]) for row in rows)


def _assert_printed_legibly(pdf: Path, title_words: list[str], header_words: list[str], tmp: Path) -> None:
    width, height = _page_size(pdf)
    assert sorted((round(width), round(height))) == [595, 842]  # A4, either orientation
    pages = _pages(pdf)
    assert len(pages) >= 2
    first = " ".join(w[4] for w in pages[0])
    assert all(t in first for t in title_words), first[:300]
    # the body text keeps its size: most words are at least 9 pt tall (5 pt when shrunk to a page)
    heights = sorted(w[3] - w[1] for w in pages[0])
    assert heights[len(heights) // 2] >= 9.0, heights[len(heights) // 2]
    # the header row again at the top of page 2, and the page numbers in the footer of both
    second = pages[1]
    top_words = " ".join(w[4] for w in sorted(second, key=lambda w: w[1])[:40])
    assert all(h in top_words for h in header_words), top_words
    for number, page in enumerate(pages[:2], start=1):
        text = " ".join(w[4] for w in page)
        assert re.search(rf"第 ?{number} ?页 ?共 ?\d+ ?页", text), text[-200:]
    tmp.mkdir()
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp / "page")], check=True,
                   timeout=120)  # fmt: skip
    png = next(tmp.glob("page*.png"))
    w, h, pixels = _png_pixels(png)
    assert sorted((w, h)) == [pytest.approx(496, abs=1), pytest.approx(702, abs=1)]  # A4 at 60 dpi
    dark = sum(1 for v in pixels if v < 128)
    assert 0.005 < dark / (w * h) < 0.5  # text and borders on a white page, neither blank nor black


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(any(shutil.which(n) is None for n in NEEDED), reason="LibreOffice or poppler not installed")
def test_return_list_and_annotated_copy_print_legibly(tmp_path):
    """The real outputs of `consolidate --feedback` and `check --annotate` on the seed, printed."""
    inbox = tmp_path / "报送"
    inbox.mkdir()
    filled = _filled(inbox / "六安政府办_2021.xlsx")
    options = ["--issuer", ISSUER, "--deadline", "2099-03-31", "--quiet"]
    done = run_cli("consolidate", str(inbox), "-o", str(tmp_path / "汇总表.xlsx"), "--feedback",
                   str(tmp_path / "退回"), "--fail-on", "never", *options)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    lists = sorted((tmp_path / "退回").glob("退回修改_*.xlsx"))
    assert lists
    returned = max(lists, key=lambda p: openpyxl.load_workbook(p)["退回修改"].max_row)  # the longest: 2+ pages
    pdf_dir = tmp_path / "pdf"
    pdf = _pdf(returned, pdf_dir)
    _assert_printed_legibly(pdf, [ISSUER, "退回修改清单", "2099年3月31日"], ["问题说明", "问题代码"], tmp_path / "png1")

    done = run_cli("check", str(filled), "--annotate", str(tmp_path / "批注"), "--catalog", "2021", *options)
    assert done.returncode == 1, done.stderr.decode()
    copy = tmp_path / "批注" / "六安政府办_2021_校验.xlsx"
    pdf = _pdf(copy, pdf_dir)  # 校验结果 is the first sheet: its pages come first
    _assert_printed_legibly(pdf, [ISSUER, "校验结果", "2099年3月31日"], ["修改建议", "代码"], tmp_path / "png2")
