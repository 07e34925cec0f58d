"""Where the bulk of a batch waits between reading and writing: spool files on disk.

A worker reads a file, keeps what the cross-file checks need (`rows.ProjectKey`, finding counts)
and appends the rest — the 项目清单 rows, the indicator rows, the findings, full records for
--json — to its own spool file, as four pickles. The master book is then written by streaming
those parts back in input order, so the parent holds ~2 KB per file instead of ~300 KB and
memory stays flat as a batch grows from hundreds to tens of thousands of files.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from typing import Any, BinaryIO

PARTS = ("projects", "indicators", "issues", "records")
PREFIX = "lubudget-spool-"
STALE_SECONDS = 2 * 24 * 3600  # a spool this old belongs to a run that was killed, not to a running one


@dataclass
class Payload:
    """One file's bulk, aligned by project: `indicators[i]` are the rows of `projects[i]`."""

    projects: list[dict[str, Any]]  # rows.project_row
    indicators: list[list[tuple]]  # rows.indicator_rows per project
    issues: list[dict[str, Any]]  # Issue.to_dict() per finding
    records: list[dict[str, Any]] | None = None  # ProjectTarget.to_dict() per project, for --json


@dataclass(frozen=True)
class SpoolRef:
    """Where a payload's parts were written: (offset, length) per part of PARTS."""

    path: str
    spans: tuple[tuple[int, int], ...]


class SpoolWriter:
    """Appends payloads to one file of `folder`; one writer per process, so no file is shared."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.path = ""
        self.handle: BinaryIO | None = None
        self.offset = 0

    def put(self, payload: Payload) -> SpoolRef:
        if self.handle is None:
            self.path = os.path.join(self.folder, f"{os.getpid()}-{uuid.uuid4().hex[:8]}.spool")
            self.handle = open(self.path, "wb")  # noqa: SIM115 - kept open for the process's files
        spans = []
        for name in PARTS:
            data = pickle.dumps(getattr(payload, name), protocol=pickle.HIGHEST_PROTOCOL)
            self.handle.write(data)
            spans.append((self.offset, len(data)))
            self.offset += len(data)
        return SpoolRef(self.path, tuple(spans))

    def flush(self) -> None:
        """Called before a result is handed to the parent, which may read it at once."""
        if self.handle is not None:
            self.handle.flush()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class Spool:
    """A temporary folder of spool files and the handles that read them back; `close()` removes it."""

    def __init__(self) -> None:
        remove_stale_spools()
        self.folder = tempfile.mkdtemp(prefix=PREFIX)
        self.writer = SpoolWriter(self.folder)  # this process's own (serial reading, retries)
        self._handles: dict[str, BinaryIO] = {}

    def load(self, ref: SpoolRef, part: str) -> Any:
        self.writer.flush()
        handle = self._handles.get(ref.path)
        if handle is None:
            handle = self._handles[ref.path] = open(ref.path, "rb")  # noqa: SIM115
        offset, length = ref.spans[PARTS.index(part)]
        handle.seek(offset)
        return pickle.loads(handle.read(length))

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()
        self.writer.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def remove_stale_spools(folder: str | None = None, older_than: float = STALE_SECONDS) -> list[str]:
    """Remove spool folders left by runs that were killed (kill -9, power loss): those not touched
    for `older_than` seconds. Returns what was removed."""
    folder = folder or tempfile.gettempdir()
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    cutoff = time.time() - older_than
    for entry in entries:
        try:
            if not (entry.name.startswith(PREFIX) and entry.is_dir()):
                continue
            touched = max([entry.stat().st_mtime, *(f.stat().st_mtime for f in os.scandir(entry.path))])
            if touched < cutoff:  # neither the folder nor a spool file in it written for days
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(entry.path)
        except OSError:
            continue
    return removed


def load_part(payload: Payload | SpoolRef, part: str, spool: Spool | None) -> Any:
    """One part of a file's payload, whether it is still in memory or spooled."""
    if isinstance(payload, Payload):
        return getattr(payload, part)
    if spool is None:
        raise ValueError("a spooled payload needs its Spool to be read")
    return spool.load(payload, part)
