"""Shared helpers: throwaway projects built from the fixture trees under tests/fixtures/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)
