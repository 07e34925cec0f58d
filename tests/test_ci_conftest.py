"""What conftest.py does under CI (the `CI` variable that `.ci/run` is run with): a fixed Hypothesis
seed, and LibreOffice tests that fail, not skip, when they cannot run. Proved by running pytest on a
small test folder that uses this conftest, with and without CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PROBE = '''
import pytest
from hypothesis import given, settings, strategies as st

SEEN = []


def test_profile_of_this_run():
    current = settings()
    print("PROFILE", current.derandomize, current.database is None, current.deadline)


@given(st.integers())
@settings(max_examples=20)
def test_draws(n):
    SEEN.append(n)


def test_draws_are_printed():
    print("DRAWS", SEEN)


@pytest.mark.libreoffice
def test_needs_office():
    pytest.skip("soffice not found")


def test_plain_skip_stays_a_skip():
    pytest.skip("not about LibreOffice")


@pytest.mark.libreoffice
@pytest.mark.xfail(reason="known", strict=False)
def test_known_failure():
    raise AssertionError
'''


def _run(folder: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-p", "no:randomly", "-rsfx",
         str(folder)],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _probe(tmp_path: Path) -> Path:
    folder = tmp_path / "probe"
    folder.mkdir()
    shutil.copy(ROOT / "tests" / "conftest.py", folder / "conftest.py")
    (folder / "pytest.ini").write_text("[pytest]\nmarkers =\n    libreoffice: needs LibreOffice\n", encoding="utf-8")
    (folder / "test_probe.py").write_text(PROBE, encoding="utf-8")
    return folder


def _line(output: str, tag: str) -> str:
    """The probe's printed line starting with `tag` (pytest's progress dots may precede it)."""
    return re.search(rf"{tag} .*", output).group()


def test_under_ci_libreoffice_skips_fail_and_hypothesis_is_derandomized(tmp_path):
    folder = _probe(tmp_path)
    first, second = _run(folder, "true"), _run(folder, "true")
    assert first.returncode == 1, first.stdout
    assert "FAILED" in first.stdout and "test_needs_office" in first.stdout
    assert "LibreOffice test could not run in CI" in first.stdout and "soffice not found" in first.stdout
    assert "1 failed, 3 passed, 1 skipped, 1 xfailed" in first.stdout
    assert _line(first.stdout, "PROFILE") == "PROFILE True True None"
    assert _line(first.stdout, "DRAWS") == _line(second.stdout, "DRAWS")  # the same examples every run


def test_outside_ci_the_same_tests_skip_and_draws_are_random(tmp_path):
    folder = _probe(tmp_path)
    for ci in (None, "false"):
        done = _run(folder, ci)
        assert done.returncode == 0, done.stdout
        assert "3 passed, 2 skipped, 1 xfailed" in done.stdout
        assert _line(done.stdout, "PROFILE").startswith("PROFILE False False")
