"""A workbook's zip, each part unpacked at most once, handed to calamine in a faster form.

calamine unpacks every sheet part twice (cell values, then merged ranges) and our own scan
(properties.py) unpacks it once more. `Package` reads the file once and unpacks the parts we parse
ourselves, CRC checked; `stored_copy` is the same package, byte for byte the same parts, with
those stored uncompressed, so calamine does not inflate them again: a quarter less calamine time
on a 13-sheet workbook (tests/test_reader_package.py checks that calamine reads the copy exactly
as the file). Anything unusual (encryption, zip64, duplicate names, a large file) is read by
zipfile and calamine from the file exactly as before.

(Moving each sheet's merge list ahead of its cells would spare calamine its second parse too,
but calamine's two passes read malformed XML differently, so a broken sheet could then read;
measured and dropped.)
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

# Files up to this size are read into memory (a filled form is ~60 kB); larger ones stay on disk.
MAX_IN_MEMORY = 64 * 2**20
# Parts unpacked for the stored copy, in total (calamine then builds grids of them anyway).
MAX_STORED = 64 * 2**20
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_UTF8_NAME = 0x800
_DATE = (1 << 5) | 1  # 1980-01-01: calamine ignores part dates
_PLAIN_FLAGS = 0x800 | 0x8  # utf-8 name, sizes in a data descriptor; anything else: zipfile reads it


class Package:
    """`getinfo`/`read`/`namelist`/`infolist` as zipfile.ZipFile, plus `stored_copy`."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._zip = zipfile.ZipFile(path)  # its checks and messages on the file, as before
        try:
            self._data = path.read_bytes() if path.stat().st_size <= MAX_IN_MEMORY else None
        except BaseException:
            self._zip.close()
            raise
        self.unpacked: dict[str, bytes] = {}

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def infolist(self) -> list[zipfile.ZipInfo]:
        return self._zip.infolist()

    def namelist(self) -> list[str]:
        return self._zip.namelist()

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        return self._zip.getinfo(name)

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The part's bytes, as zipfile would give them (zipfile itself raises on any fault)."""
        data = self._inflate(info)
        if data is None:
            data = self._zip.read(info)
        self.unpacked[info.filename] = data
        return data

    def _inflate(self, info: zipfile.ZipInfo) -> bytes | None:
        """Unpack a plain deflated or stored part straight from memory; None when it is not plain
        or not intact (then zipfile reads it and reports the fault in its own words)."""
        raw = self._data
        if raw is None or info.flag_bits & ~_PLAIN_FLAGS or info.compress_type not in (0, 8):
            return None
        start = info.header_offset
        try:
            head = _LOCAL.unpack_from(raw, start)
            name = info.orig_filename.encode("ascii")
        except (struct.error, UnicodeEncodeError):
            return None
        body = start + _LOCAL.size + head[9] + head[10]
        named = start + _LOCAL.size
        if head[0] != b"PK\x03\x04" or head[2] & ~_PLAIN_FLAGS or raw[named : named + head[9]] != name:
            return None
        packed = raw[body : body + info.compress_size]
        if len(packed) != info.compress_size:
            return None
        if info.compress_type == 0:
            data = packed
        else:
            inflater = zlib.decompressobj(-15)
            try:
                # never more than declared: a part that under-declares its size (a zip bomb) stops here
                data = inflater.decompress(packed, info.file_size + 1)
            except zlib.error:
                return None
            if not inflater.eof or inflater.unused_data or inflater.unconsumed_tail:
                return None
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            return None
        return data

    @property
    def raw(self) -> bytes | None:
        """The file's bytes when it was small enough to hold in memory."""
        return self._data

    def packed_chunks(self, info: zipfile.ZipInfo, size: int = 1 << 20) -> Iterator[bytes]:
        """An entry's packed bytes as they are in the file (after its local header), in chunks."""
        if self._data is not None:
            head = _LOCAL.unpack_from(self._data, info.header_offset)
            start = info.header_offset + _LOCAL.size + head[9] + head[10]
            for offset in range(start, start + info.compress_size, size):
                yield self._data[offset : min(offset + size, start + info.compress_size)]
            return
        with open(self._path, "rb") as fh:
            fh.seek(info.header_offset)
            head = _LOCAL.unpack(fh.read(_LOCAL.size))
            fh.seek(head[9] + head[10], 1)
            left = info.compress_size
            while left > 0 and (chunk := fh.read(min(size, left))):
                left -= len(chunk)
                yield chunk

    def head(self, info: zipfile.ZipInfo, size: int) -> bytes:
        """The first `size` bytes of a part, unpacking no more than that (zipfile inflates lazily)."""
        with self._zip.open(info) as part:
            return part.read(size)

    def stored_copy(self) -> bytes | None:
        """The package with every part we unpacked stored uncompressed and the others copied byte
        for byte; None when the package is not a plain one (then calamine reads the file)."""
        raw = self._data
        infos = self._zip.infolist()
        if raw is None or not 0 < len(infos) <= 0xFFFF or min(i.header_offset for i in infos) != 0:
            return None  # also: data before the first part, let calamine judge such a file itself
        if len(infos) != len({i.filename for i in infos}) or len(infos) != len({i.orig_filename for i in infos}):
            return None  # a name twice: which one calamine reads is its own business
        if sum(len(data) for data in self.unpacked.values()) > MAX_STORED:
            return None
        out: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for info in infos:
            if info.flag_bits & ~_PLAIN_FLAGS or max(info.compress_size, info.file_size) > 0xFFFFFFFE:
                return None
            name = info.orig_filename.encode("utf-8")
            data = self.unpacked.get(info.filename)
            if data is not None:
                method, size = 0, len(data)
                out += (_LOCAL.pack(b"PK\x03\x04", 20, _UTF8_NAME, 0, 0, _DATE, info.CRC, size, size, len(name), 0),
                        name, data)
                length = _LOCAL.size + len(name) + size
            else:  # the part's own header and packed bytes, as calamine would have read them
                method, size = info.compress_type, info.compress_size
                part = self._packed(info)
                if part is None:
                    return None
                out.append(part)
                length = len(part)
            central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, _UTF8_NAME, method, 0, _DATE, info.CRC, size,
                                         info.file_size, len(name), 0, 0, 0, 0, 0, offset) + name)
            offset += length
        directory = b"".join(central)
        out += (directory, _END.pack(b"PK\x05\x06", 0, 0, len(infos), len(infos), len(directory), offset, 0))
        return b"".join(out)

    def _packed(self, info: zipfile.ZipInfo) -> bytes | None:
        """A part's local header and packed bytes as they are in the file, when they are all there."""
        raw = self._data
        assert raw is not None
        try:
            head = _LOCAL.unpack_from(raw, info.header_offset)
        except struct.error:
            return None
        end = info.header_offset + _LOCAL.size + head[9] + head[10] + info.compress_size
        if head[0] != b"PK\x03\x04" or end > len(raw):
            return None
        return raw[info.header_offset : end]

