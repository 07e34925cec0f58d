"""Which files a consolidation reads: INPUT files and folders (recursive), in a stable order.

Folders hold more than department submissions: Excel's `~$` lock files (left while a book is open
or after a crash), hidden files, notes and scans. Those are skipped but listed, so the reviewer sees
every file the batch looked at and nothing disappears silently (STYLE.md §9).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

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
    excluded = {Path(p).resolve() for p in exclude}
    seen: set[Path] = set()
    found = Discovery()

    def add(path: Path, explicit: bool) -> None:
        resolved = path.resolve()
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
            for root, dirs, names in os.walk(path):
                hidden = [d for d in dirs if d.startswith(".")]
                for d in hidden:
                    found.skipped.append(Skipped(str(Path(root) / d), "隐藏文件夹,已跳过"))
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (Path(root) / d).resolve() not in excluded)
                for name in sorted(names):
                    add(Path(root) / name, explicit=False)
        elif path.exists():
            add(path, explicit=True)
        else:
            found.missing.append(Skipped(str(path), "文件或文件夹不存在"))
    return found
