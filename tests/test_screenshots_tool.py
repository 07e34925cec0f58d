"""tools/screenshots.py prints exactly the chosen sheet, and tools/pngsmall.py keeps the picture.

The guide's pictures are only as true as these two steps: LibreOffice prints every sheet that has a
print area, even a hidden one, so the copy must leave the others without; and the posterized PNG
must be the same picture, shades aside.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import pngsmall  # noqa: E402
import screenshots  # noqa: E402

TEMPLATE = ROOT / "workbook_templates" / "2022" / "绩效目标表模板_2022.xlsx"


def _png(rows: list[bytes], width: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    return pngsmall.encode(header, [bytearray(r) for r in rows])


def test_encode_decode_round_trip_keeps_every_pixel() -> None:
    width = 7
    rows = [bytes((x * 37 + y * 11 + c * 5) % 256 for x in range(width) for c in range(3)) for y in range(5)]
    header, decoded, bpp = pngsmall.decode(_png(rows, width))
    assert bpp == 3 and struct.unpack(">II", header[:8]) == (width, 5)
    assert [bytes(r) for r in decoded] == rows


def test_decode_reads_every_filter_type() -> None:
    """pdftoppm filters rows with Sub, Up, Average and Paeth: each must unfilter to the pixels."""
    width, bpp = 4, 3
    rows = [bytes((x * 53 + y * 29 + c) % 256 for x in range(width) for c in range(bpp)) for y in range(5)]
    previous, raw = bytes(width * bpp), b""
    for kind, row in enumerate(rows):
        out = bytearray()
        for i, value in enumerate(row):
            left = row[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            base = (0, left, up, (left + up) // 2, pngsmall._paeth(left, up, corner))[kind]
            out.append((value - base) & 255)
        raw += bytes([kind]) + bytes(out)
        previous = row

    def chunk(k: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + k + body + struct.pack(">I", zlib.crc32(k + body))

    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, 5, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))  # fmt: skip
    assert [bytes(r) for r in pngsmall.decode(data)[1]] == rows


def test_posterize_keeps_black_and_white_and_shrinks_shades(tmp_path: Path) -> None:
    width = 256
    rows = [bytes(v for v in range(256) for _ in range(3)) for _ in range(40)]
    path = tmp_path / "ramp.png"
    path.write_bytes(_png(rows, width))
    size = pngsmall.posterize(path)
    assert size == path.stat().st_size
    _, out, _ = pngsmall.decode(path.read_bytes())
    shades = set(out[0])
    assert {0, 255} <= shades and len(shades) <= 8 + 2
    assert all(abs(out[0][3 * v] - v) <= 16 for v in range(256))  # each shade within half a step


@pytest.mark.libreoffice
@pytest.mark.slow
def test_only_the_chosen_sheet_is_printed(tmp_path: Path) -> None:
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler not installed")
    books = []
    for n, sheet in enumerate(("填报说明", "项目1")):
        book = tmp_path / f"shot{n}.xlsx"
        screenshots.only_sheet(TEMPLATE, sheet, book, whole_sheet=False, screen=None)
        books.append(book)
    screenshots.to_pdf(books, tmp_path)

    def text(n: int) -> str:
        return subprocess.run(["pdftotext", str(tmp_path / f"shot{n}.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip

    notes, form = text(0), text(1)
    assert "填报说明" in notes and "实施单位" not in notes  # the project sheet has a print area: left out
    assert "实施单位" in form and "一、怎样填写" not in form
    assert "校验区" not in form  # its print area kept: the 校验区 lies outside it
    x0, y0, x1, y1 = screenshots.content_box(tmp_path / "shot1.pdf", 1)
    assert 0 < x0 < x1 and 0 < y0 < y1 < 842  # A4 portrait, in points
