"""A minimal writer of [MS-CFB] compound files (version 3, 512-byte sectors), enough for vbaProject.bin.

No Python package on PyPI writes compound files from scratch (olefile and cfb only read, or overwrite a
stream in place), so this writes one: header, FAT, directory, mini FAT and mini stream. Streams under
4096 bytes live in the mini stream (64-byte mini sectors), larger ones in regular sectors. Every
timestamp and CLSID is zero and the layout depends only on the input, so the bytes are reproducible.

Layout written: header | FAT sectors | directory sectors | mini FAT sectors | mini stream | big streams.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT, ENDOFCHAIN, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """[MS-CFB] §2.6.4: shorter names sort first, then an upper-case comparison."""
    return (len(name), name.upper())


def _build_tree(entries: list[_Entry]) -> int:
    """Link siblings as a balanced binary search tree; return the root's id.

    A middle-split tree has all empty leaves at depth d or d+1; colouring the nodes of the incomplete
    last level red keeps every path's black count equal, so the tree is a valid red-black tree.
    """
    entries = sorted(entries, key=lambda e: _sort_key(e.name))
    full_levels = (len(entries) + 1).bit_length() - 1  # levels that are completely filled

    def link(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = entries[mid]
        node.color = _RED if depth >= full_levels else _BLACK
        node.left = link(lo, mid, depth + 1)
        node.right = link(mid + 1, hi, depth + 1)
        return node.sid

    return link(0, len(entries), 0)


def _tree_from_paths(streams: Mapping[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            found = next((c for c in node.children if c.name == part and c.kind == _STORAGE), None)
            if found is None:
                found = _Entry(part, _STORAGE)
                node.children.append(found)
            node = found
        if any(c.name.upper() == parts[-1].upper() for c in node.children):
            raise ValueError(f"duplicate compound-file entry: {path}")
        if len(parts[-1]) > 31:
            raise ValueError(f"compound-file names have at most 31 characters: {path}")
        node.children.append(_Entry(parts[-1], _STREAM, bytes(data)))
    return root


def _flatten(root: _Entry) -> list[_Entry]:
    """Directory order: breadth-first, children sorted, so ids are stable for the same input."""
    order, queue = [], [root]
    while queue:
        node = queue.pop(0)
        node.sid = len(order)
        order.append(node)
        queue.extend(sorted(node.children, key=lambda e: _sort_key(e.name)))
    for node in order:
        if node.children:
            node.child = _build_tree(node.children)
    return order


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def _dir_entry(e: _Entry) -> bytes:
    name = e.name.encode("utf-16-le") + b"\0\0"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        e.kind,
        e.color,
        e.left,
        e.right,
        e.child,
        b"\0" * 16,
        0,
        0,
        0,
        e.start,
        e.size,
    )


_EMPTY_ENTRY = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"", 0, 0, 0, 0, 0)


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """Build a compound file from {"STORAGE/STREAM": bytes}; storages are created from the paths."""
    entries = _flatten(_tree_from_paths(streams))
    root = entries[0]
    for e in entries:
        if e.kind == _STORAGE:  # [MS-CFB] 2.6.3: a storage object's starting sector and size MUST be 0
            e.start, e.size = 0, 0

    # Mini stream: small streams packed in 64-byte mini sectors, chained in the mini FAT.
    mini_fat: list[int] = []
    mini_data = bytearray()
    big = [e for e in entries if e.kind == _STREAM and len(e.data) >= MINI_CUTOFF]
    for e in entries:
        if e.kind != _STREAM:
            continue
        e.size = len(e.data)
        if e.size >= MINI_CUTOFF:
            continue
        if e.size == 0:
            e.start = ENDOFCHAIN
            continue
        count = -(-e.size // MINI_SECTOR)
        e.start = len(mini_fat)
        mini_fat += [e.start + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
        mini_data += _pad(e.data, MINI_SECTOR)

    dir_bytes_count = -(-len(entries) // 4)
    minifat_sectors = -(-len(mini_fat) * 4 // SECTOR)
    ministream_sectors = -(-len(mini_data) // SECTOR)
    big_sectors = [-(-len(e.data) // SECTOR) for e in big]
    payload = dir_bytes_count + minifat_sectors + ministream_sectors + sum(big_sectors)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < payload + fat_sectors:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("compound file too large for a header-only DIFAT")

    fat: list[int] = [FATSECT] * fat_sectors

    def chain(count: int) -> int:
        if count == 0:
            return ENDOFCHAIN
        first = len(fat)
        fat.extend(first + i + 1 for i in range(count - 1))
        fat.append(ENDOFCHAIN)
        return first

    dir_start = chain(dir_bytes_count)
    minifat_start = chain(minifat_sectors)
    root.start = chain(ministream_sectors)
    root.size = len(mini_data)
    for e, count in zip(big, big_sectors, strict=True):
        e.start = chain(count)

    directory = b"".join(_dir_entry(e) for e in entries)
    directory += _EMPTY_ENTRY * (dir_bytes_count * 4 - len(entries))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", FREESECT) * (
        fat_sectors * SECTOR // 4 - len(fat)
    )
    minifat_bytes = struct.pack(f"<{minifat_sectors * SECTOR // 4}I", *mini_fat, *[FREESECT] * (
        minifat_sectors * SECTOR // 4 - len(mini_fat)
    ))

    difat = list(range(fat_sectors)) + [FREESECT] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_sectors,
        dir_start,
        0,
        MINI_CUTOFF,
        minifat_start if minifat_sectors else ENDOFCHAIN,
        minifat_sectors,
        ENDOFCHAIN,
        0,
        *difat,
    )
    body = [header, fat_bytes, directory, minifat_bytes, _pad(bytes(mini_data), SECTOR)]
    body += [_pad(e.data, SECTOR) for e in big]
    out = b"".join(body)
    assert len(out) == SECTOR * (1 + len(fat)), "sector layout mismatch"
    return out
