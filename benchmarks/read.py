"""How fast a workbook becomes records: read_workbook vs bare python-calamine vs openpyxl.

Run: python benchmarks/read.py [repeats]   (default 7; the best run is reported)
The workbook is the seed's 10 projects filled into the 2021 template (10 project sheets plus the
template's list and identity sheets); then a batch of 100 department files read once each as the
consolidation job does (CPU time per file, best of 3 passes), one sheet of 100,000 indicator rows,
and one sheet holding 1,000 project tables.
DESIGN.md's measurement: openpyxl ~210 ms, read-only ~50 ms, calamine ~4 ms per 10-sheet file.
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from lubudget_xl.catalog import load_catalog  # noqa: E402
from lubudget_xl.consolidate.samples import write_workbook_batch  # noqa: E402
from lubudget_xl.loading import load_any  # noqa: E402
from lubudget_xl.reader import read_workbook  # noqa: E402
from lubudget_xl.template.filler import fill_workbook  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "lubudget_xl" / "samples" / "liuan_2021_gov_office_targets.txt"


def best_ms(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def best_cpu_ms_per_file(fn, files: list[Path], repeats: int) -> float:
    """CPU time (other processes on the machine do not count), best pass, per file."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for path in files:
            fn(path)
        best = min(best, time.process_time() - start)
    return best / len(files) * 1000


def calamine_bare(path: Path) -> None:
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    book.close()


def openpyxl_values(path: Path, read_only: bool) -> None:
    wb = openpyxl.load_workbook(path, read_only=read_only, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def big_workbook(folder: Path, rows: int) -> Path:
    """One project sheet with `rows` indicator rows, its XML written directly (fast to build)."""
    skeleton = folder / "skeleton.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "项目"
    wb.save(skeleton)

    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    head = ["绩效指标", "一级指标", "二级指标", "三级指标", "本年度指标值"]
    xml = [
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
        f'<row r="1">{cell("A1", "项目名称")}{cell("B1", "大项目")}</row>',
        '<row r="2">' + "".join(cell(f"{c}2", t) for c, t in zip("ABCDE", head, strict=True)) + "</row>",
        f'<row r="3">{cell("B3", "产出指标")}{cell("C3", "数量指标")}{cell("D3", "指标3")}{cell("E3", "≥3次")}</row>',
    ]
    xml += [f'<row r="{r}">{cell(f"D{r}", f"指标{r}")}{cell(f"E{r}", f"≥{r}次")}</row>' for r in range(4, rows + 3)]
    xml.append("</sheetData></worksheet>")
    path = folder / "big.xlsx"
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = "".join(xml).encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item.filename, data)
    return path


def many_tables(folder: Path, copies: int) -> Path:
    """The seed's tables pasted `copies` times, cell by cell, into one sheet (10 × copies tables)."""
    text = SEED.read_text(encoding="utf-8") * copies
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("全部")
    for line in text.splitlines():
        ws.append([value or None for value in line.split("\t")])
    path = folder / "many.xlsx"
    wb.save(path)
    return path


def main(repeats: int) -> None:
    catalog = load_catalog("2021")
    projects = load_any(SEED, catalog).projects
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "filled.xlsx"
        fill_workbook(projects, catalog, path)
        sheets = len(CalamineWorkbook.from_path(str(path)).sheet_names)
        result = read_workbook(path, catalog)
        print(f"{path.name}: {sheets} sheets, {len(result.projects)} projects, {result.rows_read} indicator rows")
        for label, fn in (
            ("read_workbook (records)", lambda: read_workbook(path, catalog)),
            ("python-calamine bare", lambda: calamine_bare(path)),
            ("openpyxl read-only", lambda: openpyxl_values(path, True)),
            ("openpyxl default", lambda: openpyxl_values(path, False)),
        ):
            print(f"  {label:<26} {best_ms(fn, repeats):8.1f} ms per workbook")
        inbox = Path(tmp) / "inbox"
        batch = write_workbook_batch(inbox, 100, 10, seed=2021)
        print(f"a batch of {len(batch)} department files (10 projects each), CPU time per file:")
        for label, fn in (
            ("read_workbook (records)", lambda p: read_workbook(p, catalog)),
            ("python-calamine bare", calamine_bare),
        ):
            print(f"  {label:<26} {best_cpu_ms_per_file(fn, batch, 3):8.2f} ms")
        big = big_workbook(Path(tmp), 100_000)
        print("one sheet, 100,000 indicator rows:")
        for label, fn in (
            ("read_workbook (records)", lambda: read_workbook(big, catalog)),
            ("python-calamine bare", lambda: calamine_bare(big)),
        ):
            print(f"  {label:<26} {best_ms(fn, max(1, repeats // 3)):8.1f} ms")
        many = many_tables(Path(tmp), 100)
        print("one sheet holding 1,000 project tables (the seed pasted 100 times):")
        for label, fn in (
            ("read_workbook (records)", lambda: read_workbook(many, catalog)),
            ("python-calamine bare", lambda: calamine_bare(many)),
        ):
            print(f"  {label:<26} {best_ms(fn, max(1, repeats // 3)):8.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
