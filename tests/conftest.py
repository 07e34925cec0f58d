"""Shared fixtures: the seed (a copy shipped as the package's sample) and the fixtures folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The maintainer's own catalogues (~/.lubudget/catalogs, `lubudget catalog new`) must not leak into the
# tests: every test process and the CLIs it starts see an empty folder unless a test points elsewhere.
os.environ["LUBUDGET_CATALOG_DIR"] = tempfile.mkdtemp(prefix="lubudget-test-catalogs-")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "lubudget_xl" / "samples" / "liuan_2021_gov_office_targets.txt"


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def run_cli(*args: str, cwd: Path | None = None, input_bytes: bytes | None = None):
    """Run `python -m lubudget_xl ARGS` in a fresh interpreter on this checkout's code."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "lubudget_xl", *args],
        cwd=cwd,
        env=env,
        input=input_bytes,
        capture_output=True,
        timeout=600,
    )
