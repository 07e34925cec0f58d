"""Shared fixtures: the seed (a copy shipped as the package's sample) and the fixtures folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "lubudget_xl" / "samples" / "liuan_2021_gov_office_targets.txt"


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
