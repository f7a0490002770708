"""The search index: one Pagefind bundle per year, cached, merged again in the browser.

    site/pagefind/shards.json   {"bundles": ["2022-q3", "2022-q1-q2", "2021"], …}: newest first
    site/pagefind/2022-q3/      a whole Pagefind bundle (pagefind.js, its index, its records)
    site/pagefind/2021/         …

Why one bundle per year: Pagefind holds everything it indexes in memory and spends about 3 ms
per record; ten years in one bundle (7,800 items) took 15 s and 1.5 GB. One year (about 800
items) takes 2 s and 150 MB, years are indexed side by side on every core, and each bundle is
kept in `.jianbao-cache/search/<fingerprint>/` (the fingerprint of its issues, jianbao's code,
the record templates and Pagefind's version): an edit or a new issue re-indexes its own bundle
only, and only that bundle's records are made. The weekly edits and new issues go to the
latest quarter, so the newest year is two bundles: its latest quarter (at most about 200
items, a quarter of the time to index) and the quarters before it, which are indexed again
once a quarter; on the first build of a new year they become one bundle again.
Records and Pagefind's output are made in memory where there is room (`/dev/shm`), then
copied into the cache. The site gets hard links to the cached files. The search box loads
the newest bundle's `pagefind.js` and merges the others into it (Pagefind's `mergeIndex`):
one WebAssembly module, one list of results.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.files import link_or_copy, move_folder, scratch_folder, swap_in
from generator.model import Archive, Issue, Publication
from generator.pickle_cache import code_version, pickled_by_value
from generator.problems import UserError
from generator.search.records import RecordWriter, SearchRecord, issues_by_year, search_records
from generator.search.stable import prune, stabilise

BUNDLE_FOLDER = "pagefind"
"""Where the index goes, at the site's root."""
MANIFEST = "shards.json"
"""In the bundle folder: the bundles, newest first (what the search box merges)."""
CACHE_FOLDER = ".jianbao-cache/search"
SCRATCH_BYTES_PER_RECORD = 16_000
"""A record's HTML (about 3 KB) and its part of Pagefind's output (about 6 KB), generously."""
LANGUAGE = "zh"
"""The language of every record and of every page (`<html lang="zh">`): one index."""


class SearchIndexError(UserError):
    """Pagefind is missing or failed: its output says why."""


@dataclass(frozen=True)
class Shard:
    """Some searchable issues (a year's, or part of the newest year's), and the fingerprint that
    names their bundle in the cache."""

    name: str
    """The bundle's folder: `2021`; in the newest year `2022-q3` (its latest quarter) and
    `2022-q1-q2` (the quarters before)."""
    publication: Publication
    issues: tuple[Issue, ...]
    key: str
    """Of the issues, the publication, jianbao's code, the record templates and Pagefind's
    version: the same key, the same records (which are made only for a bundle not in the cache)."""

    @functools.cached_property
    def records(self) -> tuple[SearchRecord, ...]:
        return tuple(search_records(self.publication, self.issues))

    @property
    def size(self) -> int:
        """The number of records (one per item)."""
        return sum(len(items) for issue in self.issues for _, items in issue.sections(self.publication))


@dataclass(frozen=True)
class IndexReport:
    records: int
    bundles: int
    indexed: int
    """Bundles Pagefind indexed in this run; the others came from the cache."""
    seconds: float


def plan_shards(archive: Archive, writer: RecordWriter) -> list[Shard]:
    """The searchable issues in bundles, oldest first, each with its fingerprint."""
    environment = f"{writer.source}\0{_pagefind_version()}\0{LANGUAGE}\0{code_version()}".encode()
    shards = []
    for name, issues in _bundles(archive):
        made_from = pickled_by_value((archive.publication, issues))
        digest = hashlib.sha256(environment + b"\0" + made_from)
        shards.append(Shard(name, archive.publication, tuple(issues), digest.hexdigest()[:32]))
    return shards


def _bundles(archive: Archive) -> list[tuple[str, list[Issue]]]:
    """A bundle per year, oldest first; in the newest year, its latest quarter on its own
    (`2022-q3`) after the quarters before it (`2022-q1-q2`)."""
    years = issues_by_year(archive)
    bundles = [(str(year), issues) for year, issues in years.items()]
    if not years:
        return bundles
    newest = bundles.pop()[1]  # years are oldest first
    year = newest[0].year
    latest = max(_quarter(issue) for issue in newest)
    earlier = [issue for issue in newest if _quarter(issue) < latest]
    if earlier:
        quarters = "q1" if latest == 2 else f"q1-q{latest - 1}"
        bundles.append((f"{year}-{quarters}", earlier))
    bundles.append((f"{year}-q{latest}", [issue for issue in newest if _quarter(issue) == latest]))
    return bundles


def _quarter(issue: Issue) -> int:
    return (issue.date.month - 1) // 3 + 1


def index_site(archive: Archive, site_dir: Path, workers: int | None = None) -> IndexReport:
    """Index the archive's published items into `site_dir/pagefind/`, replacing any index there.

    Bundles not in the cache are indexed first, `workers` at a time (default: one per core);
    the cache keeps only the bundles of this archive afterwards.
    """
    start = time.perf_counter()
    writer = RecordWriter(archive.publication)
    shards = plan_shards(archive, writer)
    cache = archive.publication.root / CACHE_FOLDER
    missing = [shard for shard in shards if not (cache / shard.key).is_dir()]
    if missing:
        _require_pagefind()
        cache.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            for done in [pool.submit(_index_bundle, shard, writer, cache) for shard in missing]:
                done.result()
    target = site_dir / BUNDLE_FOLDER
    staging = Path(tempfile.mkdtemp(prefix=".jianbao-search-", dir=site_dir))
    try:
        bundle = staging / BUNDLE_FOLDER
        for shard in shards:
            shutil.copytree(cache / shard.key, bundle / shard.name, copy_function=link_or_copy)
        if shards:
            (bundle / MANIFEST).write_text(json.dumps(manifest(shards)) + "\n", encoding="utf-8")
        swap_in(bundle if shards else None, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _forget_other_bundles(cache, {shard.key for shard in shards})
    return IndexReport(
        records=sum(shard.size for shard in shards),
        bundles=len(shards),
        indexed=len(missing),
        seconds=time.perf_counter() - start,
    )


def manifest(shards: list[Shard]) -> dict[str, object]:
    """What the search box needs to merge the bundles: their folders, newest first, and the base
    of the weights that keep their date orders apart. A place in a bundle's date order is less
    than the number of its records plus its sort anchor, so it fits below a power of two; each
    bundle's places are weighted by that power once more than the bundle before
    (assets/jianbao/search.js)."""
    places = max(shard.size for shard in shards) + 1
    return {"bundles": [shard.name for shard in reversed(shards)], "weight_base": 1 << places.bit_length()}


def run_pagefind(records_dir: Path, bundle: Path) -> None:
    """Pagefind's command line (its standard build: the records are cut into words already)."""
    import pagefind_bin

    command = [
        str(pagefind_bin.get_executable()),
        "--site", str(records_dir),
        "--output-path", str(bundle),
        "--force-language", LANGUAGE,
        "--quiet",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        output = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("检索索引生成失败（Pagefind）：" + " / ".join(output))


def _index_bundle(shard: Shard, writer: RecordWriter, cache: Path) -> None:
    """Records, Pagefind, then the finished bundle moved into the cache (never half there). The
    records and Pagefind's output are made in memory where there is room (`scratch_folder`):
    10,000 short-lived files a year of issues."""
    scratch = scratch_folder(cache, shard.size * SCRATCH_BYTES_PER_RECORD)
    work = Path(tempfile.mkdtemp(prefix=f".jianbao-{shard.name}-", dir=scratch))
    try:
        writer.write(shard.name, shard.records, work / "records")
        bundle = work / "bundle"
        run_pagefind(work / "records", bundle)
        prune(bundle)
        stabilise(bundle)
        move_folder(bundle, cache / shard.key)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _require_pagefind() -> None:
    if importlib.util.find_spec("pagefind_bin") is None:
        raise SearchIndexError(
            "检索索引生成失败：没有安装 Pagefind。请运行 pip install 'pagefind_bin>=1.5.2,<1.6'"
            "（scripts/setup.sh 会安装它）。"
        )


def _forget_other_bundles(cache: Path, keep: set[str]) -> None:
    """Bundles of earlier versions of the archive (a build in progress elsewhere names its
    scratch folder with a leading dot, and is left alone)."""
    if cache.is_dir():
        for path in cache.iterdir():
            if path.is_dir() and not path.name.startswith(".") and path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return ""
