"""Shared helpers: throwaway projects built from the fixture trees under tests/fixtures/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.model import Archive
from generator.project import load_project

FIXTURES = Path(__file__).parent / "fixtures"
BASE_PROJECT = FIXTURES / "基础项目"
REPO_ROOT = Path(__file__).parent.parent


def make_project(destination: Path, *overlays: Path) -> Path:
    """Copy the base project, then each overlay tree on top of it (expected.txt left out)."""
    project = destination / "简报项目"
    shutil.copytree(BASE_PROJECT, project)
    for overlay in overlays:
        shutil.copytree(overlay, project, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return project


def run_cli(project: Path, *args: str) -> Result:
    """Run `jianbao` in-process from inside the project folder."""
    previous = Path.cwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(previous)


def load_archive(config: Path) -> Archive:
    result = load_project(config)
    assert result.archive is not None, [problem.message for problem in result.problems.errors]
    return result.archive


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture(scope="session")
def archive() -> Archive:
    """The sample archive of the repository (content/ and site_config.yml), loaded once."""
    return load_archive(REPO_ROOT / "site_config.yml")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, launched once for every browser test."""
    from tests.browser import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop-sized page in a context that fails on any request leaving 127.0.0.1."""
    from tests.browser import offline_context

    with offline_context(browser, viewport={"width": 1280, "height": 900}) as context:
        yield context.new_page()
