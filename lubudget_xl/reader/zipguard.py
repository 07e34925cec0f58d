"""Checks on a workbook's zip before any parser unpacks it (issue 13: one crafted 2 kB file must
not end a batch).

calamine (Rust) trusts what a package declares: a part is inflated to whatever it produces, a
shared-string table's `uniqueCount` is allocated up front, an entry flagged as encrypted or packed
with a method it does not know ends in an English error. Each check here reads only the zip
directory, the local headers and, where needed, counts inflated bytes without keeping them, and
raises `ZipRefused` with a Chinese reason (the caller adds the file name).
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lubudget_xl.reader.package import Package

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
# Methods a spreadsheet program writes: stored and deflated. zipfile also unpacks bzip2 and lzma,
# calamine does not; anything else (AES = 99, deflate64 = 9 …) no reader here can unpack.
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_ENCRYPTED = 0x1
# Deflate cannot expand data more than ~1032 times: below this many packed bytes, no entry can
# inflate beyond the limit whatever it declares, and nothing needs counting.
_MAX_RATIO = 1032
# A shared string is at least `<si/>`; a table with more entries than this is no form either.
MAX_SHARED_STRINGS = 10_000_000
_SST_START = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?sst\b[^>]*>")
_UNIQUE = re.compile(rb"""\buniqueCount\s*=\s*["']\s*([0-9]+)""")
_SST_REL = re.compile(rb"""<Relationship\b[^>]*>""")
_TARGET = re.compile(rb"""\bTarget\s*=\s*["']([^"']*)["']""")


class ZipRefused(Exception):
    """The package is refused before parsing; `str()` is a Chinese reason without the file name."""


def check_entries(zf: Package) -> None:
    """Encryption flags and compression methods, in the directory and in each local header."""
    raw = zf.raw
    for info in zf.infolist():
        local = _local_header(raw, info) if raw is not None else None
        flags = info.flag_bits | (local[2] if local else 0)
        if flags & _ENCRYPTED:
            raise ZipRefused(f"其中的“{info.filename}”已加密(压缩包设置了密码),无法读取;"
                             "请在 Excel 中取消密码并另存为 .xlsx 后再提交")
        for method in {info.compress_type, local[3] if local else info.compress_type}:
            if method not in _METHODS:
                raise ZipRefused(f"其中的“{info.filename}”使用了电子表格程序不使用的压缩方式(编号 {method}),"
                                 "可能是用压缩软件重新打包或已损坏;请在 Excel 中另存为 .xlsx 后再提交")


def _local_header(raw: bytes, info: zipfile.ZipInfo) -> tuple | None:
    try:
        head = _LOCAL.unpack_from(raw, info.header_offset)
    except struct.error:
        return None
    return head if head[0] == b"PK\x03\x04" else None


def check_inflation(zf: Package, limit: int) -> None:
    """The bytes the parts really inflate to, counted (not kept) and capped at `limit` in total:
    a zip bomb that declares small sizes would otherwise be unpacked in full by calamine."""
    infos = zf.infolist()
    declared = sum(info.file_size for info in infos)
    if declared > limit:
        raise ZipRefused(_too_big(declared, limit))
    if sum(info.compress_size for info in infos) * _MAX_RATIO <= limit:
        return  # too small to inflate beyond the limit, whatever it declares
    produced = 0
    for info in infos:
        if info.compress_type == zipfile.ZIP_STORED:
            produced += info.compress_size
            continue
        # An entry is counted up to its declared size: one byte more and it is a lie (a bomb that
        # under-declares), refused without inflating the rest.
        size = _inflated_size(zf, info, min(info.file_size, limit - produced))
        if size > info.file_size:
            raise ZipRefused(f"其中的“{info.filename}”解压后超过其声明的大小({info.file_size} 字节),"
                             "可能是损坏或恶意构造的文件(压缩炸弹)")
        produced += size
        if produced > limit:
            raise ZipRefused(_too_big(produced, limit, at_least=True))


def _too_big(size: int, limit: int, at_least: bool = False) -> str:
    amount = f"{'超过 ' if at_least else ''}{size // 2**20} MB"
    return f"解压后达 {amount},远超绩效目标表应有的大小(上限 {limit // 2**20} MB),可能是损坏或恶意构造的文件"


def _inflated_size(zf: Package, info: zipfile.ZipInfo, budget: int) -> int:
    """Bytes a deflated entry produces, stopping once past `budget` (damage: what came before)."""
    inflater = zlib.decompressobj(-15)
    produced = 0
    try:
        for chunk in zf.packed_chunks(info):
            while chunk:
                produced += len(inflater.decompress(chunk, 1 << 20))
                if produced > budget:
                    return produced
                chunk = inflater.unconsumed_tail
            if inflater.eof:
                break
    except (zlib.error, struct.error):
        pass  # damaged data or header: the parser reports it (nothing more comes out of it)
    return produced


def shared_string_parts(zf: Package) -> set[str]:
    """The shared-string parts a reader may open: the conventional name and any the workbook's
    relationships point to."""
    names = {name for name in zf.namelist() if posixpath.basename(name).lower() == "sharedstrings.xml"}
    try:
        rels = zf.head(zf.getinfo("xl/_rels/workbook.xml.rels"), 1 << 20)
    except KeyError:
        return names
    for rel in _SST_REL.findall(rels):
        if b"sharedStrings" in rel and (target := _TARGET.search(rel)):
            path = target[1].decode("utf-8", "replace")
            names.add(path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join("xl", path)))
    return names


def check_shared_strings(zf: Package) -> None:
    """A shared-string table whose declared `uniqueCount` no real table reaches (calamine allocates
    that many entries before reading one)."""
    for name in shared_string_parts(zf):
        try:
            info = zf.getinfo(name)
        except KeyError:
            continue
        head = zf.head(info, 1 << 16)
        start = _SST_START.search(head)
        unique = _UNIQUE.search(start[0]) if start else None
        if unique is None:
            continue
        count = int(unique[1]) if len(unique[1]) < 20 else 10**20
        if count > min(MAX_SHARED_STRINGS, info.file_size // 5 + 16):
            raise ZipRefused(f"共享文本表声明了 {count} 条文本,与其实际大小不符,可能是损坏或恶意构造的文件")
