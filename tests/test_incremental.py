"""Page fingerprints (generator/site/incremental.py) must be the same in every process: a key
that changes with Python's string hashing would render every page again on every build."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

SCRIPT = """
import hashlib, tempfile
from pathlib import Path
from generator.project import load_project
from generator.site.content import site_content
from generator.site.incremental import environment_key, page_key
from generator.site.mkdocs_config import mkdocs_config, site_theme_dirs
archive = load_project(Path("site_config.yml")).archive
content = site_content(archive, False)
docs = Path(tempfile.mkdtemp()) / "docs"
docs.mkdir()
config = mkdocs_config(archive.publication, content, docs_dir=docs, site_dir=Path(tempfile.mkdtemp()))
environment = environment_key(config, site_theme_dirs(archive.publication))
print(environment, hashlib.sha256("".join(page_key(environment, page) for page in content.pages).encode()).hexdigest())
"""


def test_fingerprints_do_not_depend_on_string_hashing() -> None:
    keys = set()
    for seed in ("1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        keys.add(result.stdout.strip())
    assert len(keys) == 1, keys
