"""Zip packages written byte by byte, so a test can declare what zipfile would never write:
sizes that lie, the encryption flag, compression methods no spreadsheet program uses."""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")


@dataclass
class Entry:
    name: str
    packed: bytes
    method: int = zipfile.ZIP_DEFLATED
    crc: int = 0
    size: int = 0  # declared uncompressed size
    flags: int = 0


def entries_of(path: Path) -> list[Entry]:
    """A real package's entries, deflated afresh (sizes and CRCs true)."""
    out = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            out.append(Entry(info.filename, deflate(data), crc=zlib.crc32(data), size=len(data)))
    return out


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def write_zip(path: Path, entries: list[Entry]) -> Path:
    body, central = bytearray(), bytearray()
    for e in entries:
        name = e.name.encode("utf-8")
        offset = len(body)
        body += _LOCAL.pack(b"PK\x03\x04", 20, e.flags | 0x800, e.method, 0, 0x21, e.crc, len(e.packed), e.size,
                            len(name), 0) + name + e.packed
        central += _CENTRAL.pack(b"PK\x01\x02", 20, 20, e.flags | 0x800, e.method, 0, 0x21, e.crc, len(e.packed),
                                 e.size, len(name), 0, 0, 0, 0, 0, offset) + name
    end = _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))
    return path


def zeros_bomb(megabytes: int) -> bytes:
    """Deflated zeros that inflate to `megabytes` MB (about a thousandth of that packed): one
    fully flushed block repeated (each stands alone), then an empty final block."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(2**20)) + packer.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + b"\x03\x00"
