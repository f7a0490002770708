"""Fingerprints of pages (generator/site/incremental.py) and of search years (search/index.py)
must be the same in every process: a key that changes with Python's string hashing, or with
whether the issues were read afresh or came from the cache, would render every page and index
every year again on the next build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import make_project

SCRIPT = """
import hashlib, tempfile
from pathlib import Path
from generator.project import load_project
from generator.search.index import plan_shards
from generator.search.records import RecordWriter
from generator.site.content import site_content
from generator.site.incremental import PageKeys, environment_key
from generator.site.mkdocs_config import mkdocs_config, site_theme_dirs
archive = load_project(Path("site_config.yml")).archive
content = site_content(archive, False)
docs = Path(tempfile.mkdtemp()) / "docs"
docs.mkdir()
config = mkdocs_config(archive.publication, content, docs_dir=docs, site_dir=Path(tempfile.mkdtemp()))
keys = PageKeys(environment_key(config, site_theme_dirs(archive.publication)))
print(hashlib.sha256("".join(keys.key(page) for page in content.pages).encode()).hexdigest())
print([shard.key for shard in plan_shards(archive, RecordWriter(archive.publication))])
"""


def test_fingerprints_do_not_depend_on_string_hashing_nor_on_the_cache(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    keys = set()
    for seed in ("1", "2", "3"):  # the first run reads every issue, the others come from the cache
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=project,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        keys.add(result.stdout.strip())
    assert (project / ".jianbao-cache" / "issues.pickle").is_file()
    assert len(keys) == 1, keys
