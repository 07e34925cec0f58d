"""Render the user guide's screenshots (docs/img/*.png) from real outputs: `make screenshots`.

Every picture is made the way a user would make the file: the `lubudget` verbs run in-process
on the built-in sample (the seed's 2021 tables) and on the demo's inbox of department files
(`cli/demo_steps_consolidate.build_inbox`), into a temporary folder. A chosen sheet is printed
by LibreOffice (headless) to PDF from a copy of the workbook in which every other sheet is hidden,
and one page becomes a PNG with poppler's `pdftoppm -r 80`, cropped to the page's text (pdftotext
-bbox) and posterized to stay small (`pngsmall.py`). Nothing is drawn by hand, so a change of layout
in the outputs shows in the pictures after the next run.

    .venv/bin/python tools/screenshots.py [--out docs/img] [--keep DIR]

Needs soffice and pdftoppm. Each PNG must stay under 200 KB (the run fails otherwise).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pngsmall import posterize  # tools/ is this script's folder

ROOT = Path(__file__).resolve().parents[1]
MAX_BYTES = 200 * 1024
DPI = 80
ISSUER = "六安市财政局绩效管理科"
DEADLINE_DAYS = 14  # the return lists' deadline: two weeks after the day they are issued (today)


@dataclass(frozen=True)
class Shot:
    """One picture: `sheet` of `book` (a key of the outputs), page `page` of its printout."""

    png: str
    book: str
    sheet: str
    page: int = 1
    max_height: int | None = None  # crop to the page's content, at most this many pixels high
    max_width: int | None = None  # … and this many pixels wide
    dpi: int = DPI  # above 80 only for a crop of a page printed small (the form with its 校验区)
    whole_sheet: bool = False  # drop the print area (the template's 校验区 lies outside it)
    screen: int | None = None  # A3 landscape at this % scale: the master book's lists as on a screen


def lubudget(*argv: str) -> int:
    """One `lubudget` command in this process, its console text swallowed; returns the exit code."""
    from lubudget_xl.cli import main

    with contextlib.redirect_stderr(io.StringIO()) as err, contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    if code not in (0, 1):
        raise SystemExit(f"lubudget {' '.join(argv)} exited {code}:\n{err.getvalue()}")
    return code


def has_option(verb: str, option: str) -> bool:
    """Whether the current CLI's `verb` takes `option` (return lists gained --issuer/--deadline)."""
    from lubudget_xl.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "verb")
    return option in sub.choices[verb]._option_string_actions


def make_outputs(work: Path) -> dict[str, Path]:
    """The outputs the guide shows, made by the commands the guide names, run in `work` with
    relative paths as a user types them (so 文件清单 shows 2022年报送/…, not a temporary folder).
    The inbox is the demo's year of 30 department files with the usual accidents."""
    from lubudget_xl.cli.demo import sample_path
    from lubudget_xl.cli.demo_steps_yearcycle import build_inbox_2022

    sample = str(sample_path())
    with contextlib.chdir(work):
        lubudget("template", "build", "--catalog", "2022-101", "-o", "绩效目标表模板_2022-101.xlsx")
        lubudget("fill", sample, "-o", "六安市人民政府办公室_2021.xlsx", "--quiet")
        lubudget("rollover", sample, "--to-year", "2022", "--catalog", "2022-101", "-o", "结转_2022.xlsx")
        lubudget("check", "六安市人民政府办公室_2021.xlsx", "--annotate", "校验副本", "--quiet")
        build_inbox_2022(Path("2022年报送"))
        lubudget("consolidate", "2022年报送", "-o", "2022年汇总表.xlsx", "--quiet")
        extra = []
        if has_option("feedback", "--issuer"):
            extra += ["--issuer", ISSUER]
        if has_option("feedback", "--deadline"):
            extra += ["--deadline", (date.today() + timedelta(days=DEADLINE_DAYS)).isoformat()]
        lubudget("feedback", "2022年汇总表.xlsx", "-o", "2022年退回修改", "--quiet", *extra)
    return {
        "template": work / "绩效目标表模板_2022-101.xlsx",
        "rolled": work / "结转_2022.xlsx",
        "annotated": work / "校验副本" / "六安市人民政府办公室_2021_校验.xlsx",
        "master": work / "2022年汇总表.xlsx",
        "feedback": work / "2022年退回修改" / "退回修改_金安区农业农村局.xlsx",
    }


SHOTS = (
    Shot("填报_空白模板_101号.png", "template", "项目1", whole_sheet=True, dpi=120, max_height=330),
    Shot("填报_项目表_101号.png", "rolled", "市长热线工作经费", whole_sheet=True, dpi=120),
    Shot("填报_批注副本_项目表.png", "annotated", "市长热线工作经费"),
    Shot("填报_校验结果.png", "annotated", "校验结果", max_height=480),
    Shot("审核_汇总表_部门汇总.png", "master", "部门汇总", screen=100),
    Shot("审核_汇总表_校验问题.png", "master", "校验问题", screen=80, max_height=300, max_width=1000),
    Shot("审核_汇总表_文件清单.png", "master", "文件清单", screen=100),
    Shot("审核_退回修改清单.png", "feedback", "退回修改", max_height=500),
)

_SHEET = re.compile(r"<sheet\b[^>]*?/>")


def only_sheet(book: Path, sheet: str, target: Path, whole_sheet: bool, screen: int | None) -> None:
    """A copy of `book` where `sheet` is the only visible sheet (LibreOffice prints visible sheets
    only); optionally without its print area, or set to print landscape one page wide."""
    with zipfile.ZipFile(book) as src:
        names = src.namelist()
        xml = src.read("xl/workbook.xml").decode("utf-8")
        sheets = _SHEET.findall(xml)
        index = next((n for n, tag in enumerate(sheets) if f'name="{sheet}"' in tag), None)
        if index is None:
            raise SystemExit(f"{book.name}: no sheet {sheet}")

        def state(match: re.Match) -> str:
            tag = re.sub(r'\sstate="[^"]*"', "", match.group(0))
            hidden = sheets.index(match.group(0)) != index
            return tag[:-2] + (' state="hidden"/>' if hidden else "/>")

        xml = _SHEET.sub(state, xml)
        xml = re.sub(r'activeTab="\d+"', f'activeTab="{index}"', xml).replace('firstSheet="0"', f'firstSheet="{index}"')
        # LibreOffice prints a hidden sheet that has a print area: drop the print settings of the others
        xml = re.sub(r'<definedName name="_xlnm\.Print_(?:Area|Titles)" localSheetId="(\d+)">[^<]*</definedName>',
                     lambda m: m.group(0) if int(m.group(1)) == index else "", xml)
        if whole_sheet:
            xml = re.sub(rf'<definedName name="_xlnm.Print_Area" localSheetId="{index}">[^<]*</definedName>', "", xml)
        part = _sheet_part(src, index)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in names:
                data = src.read(name)
                if name == "xl/workbook.xml":
                    data = xml.encode("utf-8")
                elif name == part and screen:
                    data = _screen(data.decode("utf-8"), screen).encode("utf-8")
                dst.writestr(name, data)


def _sheet_part(src: zipfile.ZipFile, index: int) -> str:
    """The worksheet part of the index-th sheet, through the workbook's relationships."""
    xml = src.read("xl/workbook.xml").decode("utf-8")
    rid = re.findall(r'r:id="([^"]+)"', "".join(_SHEET.findall(xml)))[index]
    rels = src.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rel = next(tag for tag in re.findall(r"<Relationship\b[^>]*/>", rels) if f'Id="{rid}"' in tag)
    target = re.search(r'Target="([^"]+)"', rel).group(1)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _screen(xml: str, scale: int) -> str:
    """A3 landscape at `scale` % (no fit to page): the sheet about as it looks on a screen, for
    wide lists that are read in Excel rather than printed (the master book)."""
    xml = re.sub(r"<pageSetUpPr\b[^>]*/>", "", xml)
    setup = f'<pageSetup paperSize="8" orientation="landscape" scale="{scale}"/>'  # A3: more columns in view
    if re.search(r"<pageSetup\b[^>]*/>", xml):
        return re.sub(r"<pageSetup\b[^>]*/>", setup, xml, count=1)
    margins = re.search(r"<pageMargins\b[^>]*/>", xml)
    if margins:  # schema order: printOptions, pageMargins, pageSetup, headerFooter, ...
        return xml[: margins.end()] + setup + xml[margins.end():]
    later = [xml.find(tag) for tag in ("<headerFooter", "<rowBreaks", "<colBreaks", "<drawing", "<legacyDrawing",
                                         "<tableParts", "<extLst", "</worksheet>")]  # fmt: skip
    at = min(i for i in later if i >= 0)
    return xml[:at] + setup + xml[at:]


def to_pdf(books: list[Path], folder: Path) -> None:
    """Every book to PDF in one LibreOffice run, with a throw-away profile."""
    profile = folder / "lo_profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *map(str, books)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    missing = [b.name for b in books if not (folder / f"{b.stem}.pdf").exists()]
    if done.returncode != 0 or missing:
        raise SystemExit(f"LibreOffice did not print {missing}: {done.stderr[-1000:]}")


def content_box(pdf: Path, page: int) -> tuple[float, float, float, float]:
    """The union of the page's words in points (x0, y0, x1, y1), the footer (第 1 页,共 1 页) left out."""
    done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=120)  # fmt: skip
    height = float(re.search(r'<page width="[^"]+" height="([^"]+)"', done.stdout).group(1))
    boxes = [tuple(map(float, m)) for m in re.findall(
        r'<word xMin="([^"]+)" yMin="([^"]+)" xMax="([^"]+)" yMax="([^"]+)">', done.stdout)]  # fmt: skip
    body = [b for b in boxes if b[1] < height * 0.93]
    if not body:
        raise SystemExit(f"{pdf.name}: page {page} holds no text")
    return min(b[0] for b in body), min(b[1] for b in body), max(b[2] for b in body), max(b[3] for b in body)


def to_png(pdf: Path, shot: Shot, png: Path) -> Path:
    """One page of `pdf` as PNG at the shot's resolution, cropped to its content (plus a margin for
    the cell borders) and to `max_height`."""
    x0, y0, x1, y1 = (round(v * shot.dpi / 72) for v in content_box(pdf, shot.page))
    margin = shot.dpi // 8
    x, y = max(0, x0 - margin), max(0, y0 - margin)
    width, height = x1 - x + margin, y1 - y + margin
    height = min(height, shot.max_height or height)
    width = min(width, shot.max_width or width)
    args = ["pdftoppm", "-png", "-r", str(shot.dpi), "-f", str(shot.page), "-l", str(shot.page), "-singlefile",
            "-x", str(x), "-y", str(y), "-W", str(width), "-H", str(height)]  # fmt: skip
    drawn = pdf.with_suffix(".png")
    subprocess.run([*args, str(pdf), str(drawn.with_suffix(""))], check=True, capture_output=True, timeout=120)
    size = posterize(drawn)
    if size >= MAX_BYTES:
        raise SystemExit(f"{png.name}: {size // 1024} KB, over the {MAX_BYTES // 1024} KB limit (lower max_height)")
    shutil.copyfile(drawn, png)
    return png


def render(shots: tuple[Shot, ...], out_dir: Path, work: Path) -> list[Path]:
    outputs = make_outputs(work)
    copies = work / "copies"
    copies.mkdir()
    books = []
    for n, shot in enumerate(shots):
        book = copies / f"shot{n}.xlsx"
        only_sheet(outputs[shot.book], shot.sheet, book, shot.whole_sheet, shot.screen)
        books.append(book)
    to_pdf(books, copies)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [to_png(copies / f"shot{n}.pdf", shot, out_dir / shot.png) for n, shot in enumerate(shots)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"), help="folder for the PNGs")
    parser.add_argument("--keep", help="keep the outputs and PDFs in this folder (default: a temporary one)")
    args = parser.parse_args(argv)
    absent = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if absent:
        print(f"missing: {', '.join(absent)}", file=sys.stderr)
        return 2
    if args.keep:
        work = Path(args.keep)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        pngs = render(SHOTS, Path(args.out), work)
    else:
        with tempfile.TemporaryDirectory(prefix="lubudget_shots_") as tmp:
            pngs = render(SHOTS, Path(args.out), Path(tmp))
    for png in pngs:
        print(f"{png} {png.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
