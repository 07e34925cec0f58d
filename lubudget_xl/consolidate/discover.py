"""Which files a consolidation reads: INPUT files and folders (recursive), in a stable order.

Folders hold more than department submissions: Excel's `~$` lock files (left while a book is open
or after a crash), hidden files, notes and scans. Those are skipped but listed, so the reviewer sees
every file the batch looked at and nothing disappears silently (STYLE.md §9).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from lubudget_xl.errors import os_error_reason
from lubudget_xl.loading import RECORD_SUFFIXES, TEXT_SUFFIXES, WORKBOOK_SUFFIXES

READABLE_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES + RECORD_SUFFIXES


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    missing: list[Skipped] = field(default_factory=list)  # INPUT paths that do not exist


def _hidden_on_windows(path: Path) -> bool:
    """Explorer's hidden attribute (Windows only; elsewhere a leading dot is what hides a file)."""
    try:
        attributes = getattr(os.stat(path), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 2))


def _skip_reason(path: Path, explicit: bool) -> str | None:
    name = path.name
    if name.startswith("~$"):
        return "Excel 临时锁定文件(~$ 开头),已跳过"
    if name.startswith(".") or _hidden_on_windows(path):
        return "隐藏文件,已跳过"
    if not explicit and path.suffix.lower() not in READABLE_SUFFIXES:
        return f"不是可读取的文件类型({path.suffix or '无扩展名'}),已跳过"
    return None


def discover(inputs: list[str | os.PathLike[str]], exclude: list[str | os.PathLike[str]] = ()) -> Discovery:
    """Expand INPUT paths into files to read and files skipped (with reasons).

    A file named explicitly is always read (an unknown kind then becomes a failed outcome with
    load_any's reason); inside folders only readable kinds are taken. A missing INPUT is listed in
    `missing` (it becomes a failed row of 文件清单 and a finding): a typo must not silently drop a
    whole department, nor stop the other departments' files. `exclude` (files or folders) keeps
    our own outputs — the master book, records JSON, feedback and Parquet folders — out when they
    are written inside an input folder.
    """
    excluded = {_resolved(Path(p)) for p in exclude}
    seen: set[Path | None] = set()
    found = Discovery()

    def add(path: Path, explicit: bool) -> None:
        if not _utf8_name(str(path)):
            found.skipped.append(Skipped(shown(str(path)), _UNDECODABLE))
            return
        resolved = _resolved(path)
        if resolved is None:
            found.skipped.append(Skipped(str(path), "快捷方式(符号链接)互相指向,形成循环,无法读取"))
            return
        if resolved in seen or resolved in excluded:
            return
        seen.add(resolved)
        reason = _skip_reason(path, explicit)
        if reason:
            found.skipped.append(Skipped(str(path), reason))
        else:
            found.files.append(str(path))

    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            _walk(path, found, excluded, add)
        elif path.exists() or path.is_symlink():
            add(path, explicit=True)
        else:
            found.missing.append(Skipped(str(path), "文件或文件夹不存在"))
    return found


_UNDECODABLE = "文件名的编码不是 UTF-8(多半是用 GBK 编码的压缩包解压所得),无法可靠处理;请重命名后重新提交"


def _walk(top: Path, found: Discovery, excluded: set[Path | None], add) -> None:
    """os.walk that follows linked folders once each (a loop of links ends), and lists every
    folder it cannot enter instead of leaving it out silently."""
    visited = {_resolved(top)}

    def unreadable(err: OSError) -> None:
        found.skipped.append(Skipped(str(err.filename), f"无法打开文件夹({os_error_reason(err)}),其中的文件未读取"))

    for root, dirs, names in os.walk(top, onerror=unreadable, followlinks=True):
        keep = []
        for d in sorted(dirs):
            path = Path(root) / d
            if d.startswith("."):
                found.skipped.append(Skipped(str(path), "隐藏文件夹,已跳过"))
                continue
            if not _utf8_name(str(path)):
                found.skipped.append(Skipped(shown(str(path)), _UNDECODABLE))
                continue
            resolved = _resolved(path)
            if resolved in excluded:
                continue
            if resolved is None or resolved in visited:
                found.skipped.append(Skipped(str(path), "快捷方式(符号链接)指向已读过的文件夹或形成循环,已跳过"))
                continue
            visited.add(resolved)
            keep.append(d)
        dirs[:] = keep
        for name in sorted(names):
            add(Path(root) / name, explicit=False)


def _resolved(path: Path) -> Path | None:
    """The real path; None for a loop of links (Python 3.11 raises RuntimeError, 3.13 OSError)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


def _utf8_name(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were no UTF-8, kept as surrogates by the OS layer
        return False
    return True


def shown(text: str) -> str:
    """A path as a person can read it: each part whose bytes were no UTF-8 decoded as GBK
    (GB 18030), the encoding Chinese Windows uses, so it can be printed and written anywhere.
    (A part's bytes decode as a whole: some GBK pairs are also valid UTF-8.)"""
    if _utf8_name(text):
        return text
    parts = re.split(r"([/\\\s:,;()()“”])", text)
    return "".join(p if _utf8_name(p) else os.fsencode(p).decode("gb18030", "replace") for p in parts)
