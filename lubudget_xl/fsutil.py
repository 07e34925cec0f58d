"""Atomic output: write to a temporary file beside the target, then rename over it.

An interrupted run (kill -9) leaves either the previous file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lubudget_xl.errors import UserError, os_error_reason, write_error


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# A temporary file of ours this old belongs to a run that was killed (kill -9, power loss), not to
# one still writing: the next write of the same target removes it.
STALE_SECONDS = 3600


def remove_stale_temporaries(target: Path, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove `.<name>.*.tmp` files that killed runs left beside `target`."""
    import time

    removed = []
    cutoff = time.time() - older_than
    with contextlib.suppress(OSError):
        for candidate in target.parent.glob(f".{glob_escape(_tmp_stem(target))}.*.tmp"):
            with contextlib.suppress(OSError):
                if candidate.is_file() and candidate.stat().st_mtime < cutoff:
                    candidate.unlink()
                    removed.append(candidate)
    return removed


def _tmp_stem(target: Path) -> str:
    """The target's name in its temporary file's name, shortened when the name is near the 255-byte
    limit (the temporary file adds 14 bytes around it)."""
    return fit_name(target.name)


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it onto `target`.
    The temporary file is `.<name>.<random>.tmp`, so a later write removes what a killed run left."""
    target = Path(target)
    if target.is_dir():
        raise UserError(f"{target}: 无法写入(这是文件夹,不是文件)")
    remove_stale_temporaries(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{_tmp_stem(target)}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        blocked = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
        reason = f"{blocked} 是文件,不是文件夹" if blocked else os_error_reason(err)
        raise UserError(f"{target}: 无法写入({reason})") from None
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except OSError as err:  # writing the temporary file: a full disk, a quota, a vanished share
            raise write_error(target, err) from None
        try:
            os.replace(tmp_path, target)
        except OSError as err:
            raise write_error(target, err) from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


# File names are limited to 255 bytes (ext4; NTFS and most shares count 255 UTF-16 units); our
# temporary file adds `.` + `.<8 random>.tmp` around the name, so names we make stay well below.
MAX_NAME_BYTES = 200


def fit_name(stem: str, suffix: str = "", prefix: str = "", max_bytes: int = MAX_NAME_BYTES) -> str:
    """`prefix + stem + suffix`, or, when that is longer than `max_bytes` in UTF-8, `stem` cut at a
    character boundary with `_` and 8 hex digits of its SHA-1 added, so two long names that share
    a beginning still get different files and the same name always gets the same file."""
    name = f"{prefix}{stem}{suffix}"
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    import hashlib

    tag = "_" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
    room = max_bytes - len(f"{prefix}{tag}{suffix}".encode())
    cut = stem.encode("utf-8")[: max(room, 0)].decode("utf-8", "ignore").rstrip(" .")
    return f"{prefix}{cut}{tag}{suffix}"
