"""Make pdftoppm's PNGs small enough to commit (stdlib only; Pillow is not a dependency).

Antialiased text gives every pixel its own shade, which zlib cannot compress: a 1000 × 300 crop of
a master-book list is ~250 KB. Posterizing each channel to 8 levels (pure black and white kept)
leaves the text as legible and the file 2–3 × smaller.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type → channels (8-bit images only)


def _chunks(data: bytes):
    pos = len(_SIGNATURE)
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        yield data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
        pos += 12 + size


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def decode(data: bytes) -> tuple[bytes, list[bytearray], int]:
    """The header chunk, the unfiltered rows and the bytes per pixel of an 8-bit PNG."""
    parts = list(_chunks(data))
    header = parts[0][1]
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    if depth != 8 or colour not in _CHANNELS:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour})")
    bpp = _CHANNELS[colour]
    raw = zlib.decompress(b"".join(body for kind, body in parts if kind == b"IDAT"))
    stride = width * bpp
    previous, rows = bytearray(stride), []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + previous[i]) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + previous[i]) // 2) & 255
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, previous[i], previous[i - bpp] if i >= bpp else 0)) & 255
        rows.append(line)
        previous = line
    return header, rows, bpp


def encode(header: bytes, rows: list[bytearray]) -> bytes:
    """Rows back into a PNG, each filtered with Up, compressed at level 9."""
    previous = bytes(len(rows[0])) if rows else b""
    filtered = []
    for row in rows:
        filtered.append(b"\x02" + bytes((x - p) & 255 for x, p in zip(row, previous, strict=True)))
        previous = row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    idat = zlib.compress(b"".join(filtered), 9)
    return _SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def posterize(path: Path, levels: int = 8) -> int:
    """Rewrite the PNG at `path` with `levels` shades per channel; returns the new size in bytes."""
    step = 256 // levels
    table = bytes(v if v in (0, 255) else min(255, v // step * step + step // 2) for v in range(256))
    header, rows, _ = decode(path.read_bytes())
    data = encode(header, [bytearray(row.translate(table)) for row in rows])
    path.write_bytes(data)
    return len(data)
