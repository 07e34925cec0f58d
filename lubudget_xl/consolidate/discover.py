"""Which files a consolidation reads: INPUT files and folders (recursive), in a stable order.

Folders hold more than department submissions: Excel's `~$` lock files (left while a book is open
or after a crash), hidden files, notes and scans. Those are skipped but listed, so the reviewer sees
every file the batch looked at and nothing disappears silently (STYLE.md §9). A skipped file a
department may have meant as its submission (a PDF, a Word file, a scan, a name that cannot be
read) is `returned`: it becomes a finding, and so reaches the return list of files without a
department, like a file that failed. WPS 表格 files (.et) are read when their first bytes are
those of an .xls (OLE) or .xlsx (zip) workbook, as they are when WPS saves them.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from lubudget_xl.errors import os_error_reason
from lubudget_xl.loading import RECORD_SUFFIXES, TEXT_SUFFIXES, WORKBOOK_SUFFIXES, WPS_SUFFIXES

READABLE_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES + RECORD_SUFFIXES


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str
    returned: bool = False  # possibly meant as a submission: a finding, on a return list


_WORKBOOK_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # zip, OLE (CFB)
_KINDS = {
    ".pdf": "PDF 文件", ".ofd": "OFD 版式文件",
    ".doc": "Word 文档", ".docx": "Word 文档", ".wps": "WPS 文字文档", ".rtf": "RTF 文档",
    ".jpg": "图片", ".jpeg": "图片", ".png": "图片", ".gif": "图片", ".bmp": "图片", ".tif": "图片", ".tiff": "图片",
    ".zip": "压缩包", ".rar": "压缩包", ".7z": "压缩包",
}  # fmt: skip
ROLLOVER_REPORT_SUFFIX = "_结转报告.txt"  # written by `lubudget rollover` beside its workbook
_RESUBMIT = "如这是报送的绩效目标表,请改交 Excel 工作簿(.xlsx)"


def _workbook_inside(path: Path) -> bool:
    """An .xls (OLE) or .xlsx (zip) by its first bytes: what WPS writes under .et."""
    try:
        with path.open("rb") as fh:
            return fh.read(8).startswith(_WORKBOOK_MAGIC)
    except OSError:
        return True  # read it: the reader reports why it cannot be opened, in Chinese


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


def _skip_reason(path: Path, explicit: bool) -> tuple[str, bool] | None:
    """Why `path` is not read, and whether that is a finding (None: read it)."""
    name = path.name
    if name.startswith("~$"):
        return "Excel 临时锁定文件(~$ 开头),已跳过", False
    if name.startswith(".") or _hidden_on_windows(path):
        return "隐藏文件,已跳过", False
    if not explicit and name.endswith(ROLLOVER_REPORT_SUFFIX):
        return "lubudget rollover 生成的结转报告,不是报表,已跳过", False
    suffix = path.suffix.lower()
    if explicit or suffix in READABLE_SUFFIXES:
        return None
    if suffix in WPS_SUFFIXES:
        if _workbook_inside(path):
            return None
        return f"WPS 表格文件({suffix})的内容不是 xls/xlsx 格式,无法读取,已跳过;请在 WPS 中另存为 .xlsx 后重新提交", True
    kind = _KINDS.get(suffix, f"不是可读取的文件类型({suffix or '无扩展名'})")
    advice = ";压缩包请先解压" if kind == "压缩包" else ""
    return f"{kind},不能作为绩效目标表读取,已跳过{advice};{_RESUBMIT}", True


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
            found.skipped.append(Skipped(shown(str(path)), _UNDECODABLE, True))
            return
        resolved = _resolved(path)
        if resolved is None:
            found.skipped.append(Skipped(str(path), "快捷方式(符号链接)互相指向,形成循环,无法读取", True))
            return
        if resolved in seen or resolved in excluded:
            return
        seen.add(resolved)
        skip = _skip_reason(path, explicit)
        if skip:
            found.skipped.append(Skipped(str(path), *skip))
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
        found.skipped.append(Skipped(str(err.filename), f"无法打开文件夹({os_error_reason(err)}),其中的文件未读取", True))

    for root, dirs, names in os.walk(top, onerror=unreadable, followlinks=True):
        keep = []
        for d in sorted(dirs):
            path = Path(root) / d
            if d.startswith("."):
                found.skipped.append(Skipped(str(path), "隐藏文件夹,已跳过"))
                continue
            if not _utf8_name(str(path)):
                found.skipped.append(Skipped(shown(str(path)), _UNDECODABLE, True))
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
