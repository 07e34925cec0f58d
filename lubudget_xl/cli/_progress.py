"""Progress on the terminal: the only place that draws it (STYLE.md §8).

`terminal_progress(total_label, quiet)` returns an `on_progress(done, total, current)` callback:
a redrawn bar with file count, files per second and time left on a TTY; a plain line every 10 %
(or every 5 s) when stderr is a file or a pipe (CI logs, the Excel bridge's log); nothing with
--quiet. Call `.finish()` to end the bar's line.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    return f"{seconds // 60}:{seconds % 60:02d}"


class TerminalProgress:
    def __init__(self, unit: str = "个文件", quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.unit = unit
        self.quiet = quiet
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.last_line = 0.0
        self.last_step = -1
        self.drawn = False

    def __call__(self, done: int, total: int, current: str) -> None:
        if self.quiet or total <= 0:
            return
        now = time.monotonic()
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0.0
        if self.tty:
            width = 24
            filled = int(width * done / total)
            name = current[-40:]
            self.stream.write(
                f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} {self.unit}"
                f"  {rate:.1f} 个/秒  剩余 {_clock(left)}  {name}\x1b[K"
            )
            self.stream.flush()
            self.drawn = True
            return
        step = done * 10 // total
        if step != self.last_step or now - self.last_line >= 5 or done == total:
            self.last_step, self.last_line = step, now
            print(f"已读取 {done}/{total} {self.unit}({rate:.1f} 个/秒,预计剩余 {_clock(left)})", file=self.stream)

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
