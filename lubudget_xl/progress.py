"""Progress is a callback (STYLE.md §8): the core reports, the front end decides how to show it.

The core calls `on_progress(done, total, current)` after each unit of work (`current` names what
was just finished, e.g. a file path). The CLI draws a bar on a terminal, plain lines otherwise and
nothing with --quiet; the Excel bridge writes to the status bar. The core never prints.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[int, int, str], None]


def no_progress(done: int, total: int, current: str) -> None:
    """The default callback: report nothing."""
