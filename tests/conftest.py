"""Shared fixtures.

Standalone builds are cached in one directory for the whole test session (and shared by
pytest-xdist workers through the build lock), so each distinct network compiles once.
"""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def build_cache():
    """Build cache shared by the session's standalone runs."""
    path = Path(os.environ.get("BIONEURO_TEST_CACHE", REPO / ".bioneuro_cache" / "tests"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def chdir_tmp(tmp_path, monkeypatch):
    """Run a test inside its own empty working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
