"""Full-text search with Pagefind: every published news item is one search record.

The built site's pages are not what Pagefind indexes. Each item of each published issue is
rendered on its own, from the model, by the theme's `jianbao/search-record.html`, into a scratch
folder as `<issue URL>/<anchor>.html` (`2021/06/item-3.html`); `python -m pagefind` indexes that
folder into the site's `pagefind/`. The search box (`assets/jianbao/search.js`) turns a record's
URL back into the item's place on its issue page (`2021/06/#item-3`). Records give:

- one hit per item, never one per page, and never the same item twice: home, lists and the 404
  page are never indexed, and drafts never are, even in a `--drafts` build;
- filters per item (year, section, region, tags) and a date order, straight from the model;
- Chinese matched character by character. Pagefind's extended build cuts Chinese into words
  with jieba when indexing, but the browser cuts the query with ICU (`Intl.Segmenter`), and the
  two disagree (`达州市` indexed as one word is searched as `达州 市`, and misses). So the
  record's text has a zero-width space between every character (`tokens`): Pagefind stores one
  "word" per character and still shows the text unchanged, and the search box asks for the
  query's characters as an exact phrase. Runs of Latin letters and digits stay whole. (This
  needs the extended build: its segmenter cuts at the zero-width spaces, where the standard
  build would read a whole run of characters as one word.)

Pagefind 1.5.2 writes its filter indexes in hash-map order, so two runs differ; `_stabilise`
rewrites them sorted (as Pagefind's own newer code does) so that a build is byte-identical.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.body import images, parse_body, plain_text
from generator.files import swap_in
from generator.model import Archive, Issue, Publication
from generator.problems import UserError
from generator.themes import theme_file

BUNDLE_FOLDER = "pagefind"
"""Where the index goes, at the site's root; the search box loads `pagefind/pagefind.js`."""
RECORD_TEMPLATE = "jianbao/search-record.html"
LANGUAGE = "zh"
"""The language of every record and of every page (`<html lang="zh">`): one index."""
ZWSP = "\u200b"
_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+|\S")
"""A search "word": a run of Latin letters and digits, or any other single character.
assets/jianbao/search.js cuts queries with the same expression: keep the two in step."""
_UNUSED_BUNDLE_FILES = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces: the search box uses the JS API (pagefind.js) only."""
FACETS = (("year", "年份"), ("section", "栏目"), ("region", "地区"), ("tag", "标签"))
"""The filters of the search box, in its order: record filter name and label."""


class SearchIndexError(UserError):
    """Pagefind is missing or failed: its output says why."""


@dataclass(frozen=True)
class SearchRecord:
    """One item as the search index holds it."""

    file: str
    """`2021/06/item-3.html`: the issue page's URL and the item's anchor."""
    title: str
    issue: str
    """The issue's 期号 (`2021年第6期`); a filter, so that it is shown but never matched."""
    date: str
    """The issue's date (`2021年6月4日`); a filter, like `issue`."""
    year: int
    section: str
    region: str | None
    tags: tuple[str, ...]
    source: str | None
    paragraphs: tuple[str, ...]
    order: int
    """Place in the archive, oldest issue and first item first: the date sort."""


@dataclass(frozen=True)
class IndexReport:
    records: int
    seconds: float
    bytes: int
    skipped: bool = False
    """True when the records were unchanged since the last run and the index was kept."""


def indexed_issues(archive: Archive) -> list[Issue]:
    """The issues whose items are searchable: published ones only, oldest first."""
    return sorted(archive.visible(include_drafts=False), key=lambda issue: issue.sort_key)


def tokens(text: str) -> str:
    """`执法“寻租”G318线` -> `执​法​“​寻​租​”​G318​线`: a zero-width space after every search word.

    Whitespace is kept (collapsed); the text reads the same, and Pagefind sees one word per
    Chinese character.
    """
    return " ".join(ZWSP.join(_TOKEN.findall(chunk)) for chunk in text.split())


def search_records(archive: Archive) -> list[SearchRecord]:
    from generator.site.urls import SiteUrls  # the site's URL scheme; imported late (no cycle)

    publication = archive.publication
    records: list[SearchRecord] = []
    for issue in indexed_issues(archive):
        for section, items in issue.sections(publication):
            for item in items:
                blocks = parse_body(item.body)
                records.append(
                    SearchRecord(
                        file=f"{SiteUrls.issue(issue)}{item.anchor}.html",
                        title=item.title,
                        issue=issue.label,
                        date=issue.date_label,
                        year=issue.year,
                        section=section.title,
                        region=item.region,
                        tags=item.tags,
                        source=item.source,
                        paragraphs=(*_lines(plain_text(blocks)), *_captions(blocks)),
                        order=len(records) + 1,
                    )
                )
    return records


def search_facets(archive: Archive) -> list[dict[str, Any]]:
    """The search box's filters (`FACETS`), each with the values the indexed items have: years
    newest first; sections, regions and tags in site_config.yml's order (others after, sorted)."""
    publication = archive.publication
    issues = indexed_issues(archive)
    items = [item for issue in issues for item in issue.items]
    used_sections = {item.section_id for item in items}
    values = {
        "year": [_facet(str(year), f"{year}年") for year in sorted({i.year for i in issues}, reverse=True)],
        "section": [_facet(s.title) for s in publication.sections if s.id in used_sections],
        "region": [_facet(r) for r in _in_order(publication.regions, {i.region for i in items if i.region})],
        "tag": [_facet(t) for t in _in_order(publication.tags, {t for i in items for t in i.tags})],
    }
    return [{"name": name, "label": label, "values": values[name]} for name, label in FACETS]


def write_records(archive: Archive, folder: Path, template: Any = None) -> list[SearchRecord]:
    """Render every record into `folder` with the theme's template; returns what was written."""
    records = search_records(archive)
    template = template or _record_template(archive.publication)[0]
    for record in records:
        path = folder / record.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.render(record=record), encoding="utf-8")
    return records


def index_site(archive: Archive, site_dir: Path) -> IndexReport:
    """Index the archive's published items into `site_dir/pagefind/`, replacing any index there."""
    return SiteIndexer()(archive, site_dir)


class SiteIndexer:
    """`index_site` that does nothing when no record would change: `jianbao serve` rebuilds the
    site on every edit, and most edits (a style, a draft, a page template) change no record.
    What the records are made of is compared before anything is rendered."""

    def __init__(self) -> None:
        self._last: tuple[Path, str] | None = None

    def __call__(self, archive: Archive, site_dir: Path) -> IndexReport:
        start = time.perf_counter()
        target = site_dir / BUNDLE_FOLDER
        template, source = _record_template(archive.publication)
        digest = _inputs_digest(archive, source)
        if self._last == (target, digest) and (target / "pagefind.js").is_file():
            count = sum(len(issue.items) for issue in indexed_issues(archive))
            return IndexReport(count, time.perf_counter() - start, _size(target), skipped=True)
        scratch = Path(tempfile.mkdtemp(prefix=".jianbao-search-", dir=site_dir))
        try:
            records = write_records(archive, scratch / "records", template)
            bundle = scratch / BUNDLE_FOLDER
            if records:
                run_pagefind(scratch / "records", bundle)
                _prune(bundle)
                _stabilise(bundle)
            swap_in(bundle if records else None, target)
            self._last = (target, digest)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return IndexReport(len(records), time.perf_counter() - start, _size(target))


def run_pagefind(records_dir: Path, bundle: Path) -> None:
    """`python -m pagefind` (the extended build, which can cut Chinese) over the records."""
    if (
        importlib.util.find_spec("pagefind") is None
        or importlib.util.find_spec("pagefind_bin_extended") is None
    ):
        raise SearchIndexError(
            "检索索引生成失败：没有安装 Pagefind 扩展版。请运行 pip install 'pagefind[extended]'"
            "（scripts/setup.sh 会安装它）。"
        )
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(records_dir),
        "--output-path", str(bundle),
        "--force-language", LANGUAGE,
        "--quiet",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        output = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("检索索引生成失败（Pagefind）：" + " / ".join(output))


# ------------------------------------------------------------------ records


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _captions(blocks: list[Any]) -> list[str]:
    """Figure captions are text on the page too (`plain_text` leaves images out)."""
    return [image["alt"].strip() for image in images(blocks) if image.get("alt", "").strip()]


def _in_order(vocabulary: Iterable[str], used: set[str]) -> list[str]:
    ordered = [name for name in vocabulary if name in used]
    return ordered + sorted(used - set(ordered))


def _facet(value: str, text: str | None = None) -> dict[str, str]:
    return {"value": value, "text": text or value}


def _record_template(publication: Publication) -> tuple[Any, str]:
    """The theme's record template (self-contained: it includes nothing), autoescaped, and its
    source."""
    from jinja2 import Environment, StrictUndefined

    source = theme_file(publication, f"site/{RECORD_TEMPLATE}").read_text(encoding="utf-8")
    environment = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    environment.filters["tokens"] = tokens
    return environment.from_string(source), source


# ------------------------------------------------------------------ the bundle


def _prune(bundle: Path) -> None:
    for pattern in _UNUSED_BUNDLE_FILES:
        for path in bundle.glob(pattern):
            path.unlink()


def _inputs_digest(archive: Archive, template_source: str) -> str:
    """A fingerprint of everything the records are made of: the published issues' items as
    written, the sections' titles, the record template, and Pagefind's version."""
    digest = hashlib.sha256()
    digest.update(template_source.encode("utf-8"))
    digest.update(_pagefind_version().encode())
    for issue in indexed_issues(archive):
        sections = [
            (section.title, [(i.position, i.title, i.body, i.region, i.tags, i.source) for i in items])
            for section, items in issue.sections(archive.publication)
        ]
        digest.update(repr((issue.slug, issue.label, issue.date_label, issue.year, sections)).encode("utf-8"))
    return digest.hexdigest()


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin_extended")
    except PackageNotFoundError:
        return ""


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else 0


# ------------------------------------------------------------------ byte-stable filter indexes
#
# Pagefind's files are gzip("pagefind_dcd" + CBOR). Each filter index is named after a hash of
# its CBOR (`zh_` + 7 hex digits), the metadata file lists the filter indexes by name, and
# pagefind-entry.json names the metadata file. Pagefind 1.5.2 writes a filter's values, and the
# list of filters, in hash-map order: both are sorted here, then renamed and relinked, in
# Pagefind's own naming. Anything unexpected (another layout, a CBOR item not understood, a
# file that does not re-encode to its own bytes) leaves the bundle exactly as Pagefind wrote it.

_SIGNATURE = b"pagefind_dcd"


class _Unexpected(Exception):
    pass


def _stabilise(bundle: Path) -> bool:
    """Sort the filter indexes of a Pagefind 1.5 bundle; False if it was left as it was."""
    try:
        writes, removals = _stable_files(bundle)
    except (_Unexpected, OSError, ValueError, KeyError, IndexError, TypeError):
        return False
    for name in removals:
        (bundle / name).unlink()
    for name, data in writes.items():
        (bundle / name).write_bytes(data)
    return True


def _stable_files(bundle: Path) -> tuple[dict[str, bytes], list[str]]:
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    writes: dict[str, bytes] = {}
    removals: list[str] = []
    for language, about in entry["languages"].items():
        meta_name = f"pagefind.{about['hash']}.pf_meta"
        meta = _read_cbor(bundle / meta_name)
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise _Unexpected("metadata layout")
        renamed: list[list[str]] = []
        taken: set[str] = set()
        for filter_name, old_hash in sorted(meta[3], key=lambda pair: pair[0]):
            index = _read_cbor(bundle / "filter" / f"{old_hash}.pf_filter")
            if not (isinstance(index, list) and len(index) == 2 and index[0] == filter_name):
                raise _Unexpected("filter layout")
            index[1] = sorted(index[1], key=lambda value: value[0])
            encoded = _cbor_encode(index)
            new_hash = _short_hash(language, encoded, 7, taken)
            taken.add(new_hash)
            renamed.append([filter_name, new_hash])
            removals.append(f"filter/{old_hash}.pf_filter")
            writes[f"filter/{new_hash}.pf_filter"] = _pack(encoded)
        meta[3] = renamed
        encoded_meta = _cbor_encode(meta)
        new_meta_hash = _short_hash(language, encoded_meta, 10, set())
        removals.append(meta_name)
        writes[f"pagefind.{new_meta_hash}.pf_meta"] = _pack(encoded_meta)
        entry_text = entry_text.replace(f'"{about["hash"]}"', f'"{new_meta_hash}"')
    writes["pagefind-entry.json"] = entry_text.encode("utf-8")
    removals = [name for name in removals if name not in writes]
    return writes, removals


def _read_cbor(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise _Unexpected(f"{path.name}: no signature")
    body = data[len(_SIGNATURE) :]
    value, end = _cbor_decode(body, 0)
    if end != len(body) or _cbor_encode(value) != body:
        raise _Unexpected(f"{path.name}: does not round-trip")
    return value


def _pack(cbor: bytes) -> bytes:
    return gzip.compress(_SIGNATURE + cbor, compresslevel=9, mtime=0)


def _short_hash(language: str, data: bytes, length: int, taken: set[str]) -> str:
    """Pagefind's names: the language, then the SHA-1 as unpadded hex bytes, cut short."""
    full = "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())
    for end in range(length, len(full) + 1):
        name = f"{language}_{full[:end]}"
        if name not in taken:
            return name
    raise _Unexpected("hash collision")


def _cbor_decode(data: bytes, at: int) -> tuple[Any, int]:
    """The CBOR Pagefind writes: unsigned and negative integers, text, arrays, maps."""
    first = data[at]
    major, info = first >> 5, first & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise _Unexpected(f"CBOR item {first:#x}")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _cbor_decode(data, at)
            mapping[key], at = _cbor_decode(data, at)
        return mapping, at
    raise _Unexpected(f"CBOR major type {major}")


def _cbor_encode(value: Any) -> bytes:
    return b"".join(_cbor_parts(value))


def _cbor_parts(value: Any) -> Iterator[bytes]:
    if isinstance(value, bool) or value is None:
        raise _Unexpected("CBOR simple value")
    if isinstance(value, int):
        yield _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    elif isinstance(value, str):
        encoded = value.encode("utf-8")
        yield _cbor_head(3, len(encoded))
        yield encoded
    elif isinstance(value, list):
        yield _cbor_head(4, len(value))
        for item in value:
            yield from _cbor_parts(item)
    elif isinstance(value, dict):
        yield _cbor_head(5, len(value))
        for key, item in value.items():
            yield from _cbor_parts(key)
            yield from _cbor_parts(item)
    else:
        raise _Unexpected(f"CBOR {type(value).__name__}")


def _cbor_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise _Unexpected("CBOR integer too large")
