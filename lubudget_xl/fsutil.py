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


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it onto `target`."""
    target = Path(target)
    if target.is_dir():
        raise UserError(f"{target}: 无法写入(这是文件夹,不是文件)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
