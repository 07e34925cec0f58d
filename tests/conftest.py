"""Shared fixtures: the seed (a copy shipped as the package's sample) and the fixtures folder.

In CI (the `CI` environment variable set, as `.ci/run` is run): Hypothesis draws the same examples
on every run (profile `ci`: derandomize, no example database, no deadline on a loaded machine), so a
red run can be reproduced and a green one does not turn red by luck; and a test marked
`libreoffice` that cannot run (no soffice, no python3-uno) fails instead of being skipped.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# Explicit profiles: Hypothesis' own automatic "ci" profile depends on its version and treats any CI
# value (even "false") as CI.
_DEFAULT = settings.get_profile("default")
settings.register_profile("ci", _DEFAULT, derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", _DEFAULT)
settings.load_profile("ci" if in_ci() else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a LibreOffice test never passes as skipped: what it proves would go unproven."""
    outcome = yield
    report = outcome.get_result()
    expected = hasattr(report, "wasxfail")  # an xfail is reported as skipped: not ours to turn
    if report.skipped and not expected and in_ci() and item.get_closest_marker("libreoffice") is not None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"LibreOffice test could not run in CI (CI={os.environ['CI']!r}): {reason}"
