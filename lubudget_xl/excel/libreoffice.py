"""Run our macros in LibreOffice, headless, through UNO (the demo's save check; the tests drive the same
session script, `lo_session.py`, which the system Python runs because it has `uno`).

Every run uses its own LibreOffice profile (-env:UserInstallation), so runs never share one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
SESSION = Path(__file__).with_name("lo_session.py")


def missing() -> str | None:
    """What is missing to run the macros in LibreOffice and print them, or None."""
    absent = [name for name in ("soffice", "pdftoppm", "pdftotext") if shutil.which(name) is None]
    if not absent and (not Path(SYSTEM_PYTHON).exists() or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0):  # fmt: skip
        absent.append("python3-uno")
    return "、".join(absent) or None


def run_session(books: list[dict], message_log: Path, python: str = sys.executable) -> list[dict]:
    """Open each book in one LibreOffice and run its steps (see lo_session.py); message boxes go to
    `message_log`, the macros' child process is `python`. Raises RuntimeError when LibreOffice fails."""
    with tempfile.TemporaryDirectory(prefix="lubudget_lo_") as tmp:
        tag = uuid.uuid4().hex[:8]
        spec = {"profile": str(Path(tmp) / "profile"), "pipe": f"lubudget_{os.getpid()}_{tag}", "books": books,
                "env": {"LUBUDGET_PYTHON": python, "LUBUDGET_MESSAGE_LOG": str(message_log)}}  # fmt: skip
        spec_file = Path(tmp) / "spec.json"
        spec_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run([SYSTEM_PYTHON, str(SESSION), str(spec_file)], capture_output=True, text=True,
                              timeout=900)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    report = json.loads(done.stdout.strip().splitlines()[-1])
    errors = [book["error"] for book in report if "error" in book]
    if errors:
        raise RuntimeError("; ".join(errors))
    return report


def messages(message_log: Path) -> list[str]:
    """The message boxes the macros showed, in order (the log holds hex UTF-16 lines)."""
    if not message_log.exists():
        return []
    lines = message_log.read_text(encoding="ascii").splitlines()
    return [bytes.fromhex(line.strip()).decode("utf-16-be") for line in lines if line.strip()]


def render_page(pdf: Path, page: int, png: Path, dpi: int = 80) -> Path:
    """One page of a PDF as PNG (poppler's pdftoppm)."""
    stem = png.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(stem)], check=True, capture_output=True, timeout=120)  # fmt: skip
    return png


def first_page_with(pdf: Path, text: str, last: int = 200) -> int | None:
    """The first page (1-based) whose text holds `text`."""
    for page in range(1, last + 1):
        done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                              timeout=60)  # fmt: skip
        if done.returncode != 0:
            return None
        if text in done.stdout.decode("utf-8", "replace"):
            return page
    return None
