"""Pages that did not change are not rendered again: MkDocs' dirty build, driven by fingerprints.

A page's HTML depends on its own data (`SitePage`: URL, template, title, date, data), on what
every page shows (the MkDocs configuration: site name, navigation, `extra`), on the theme's
files and on the code and versions that render it (jianbao's site package, MkDocs, Material).
The fingerprint of each page is kept in `.jianbao-cache/pages.json` with the folder the site
went to. The next build into the same folder starts from the files it is about to write again
(`Carrier`) and renders only the pages whose fingerprint changed.
Tests compare such a build with a full one, byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.theme import Theme

from generator.files import digest_tree, link_or_copy, write_atomic
from generator.pickle_cache import ValuePickler, pickled_by_value
from generator.site.views import Deferred, IssueSummary, SitePage

MEMORY_FILE = ".jianbao-cache/pages.json"
_SITE_CODE = Path(__file__).parent
_UNCHANGING_OPTIONS = ("docs_dir", "site_dir", "config_file_path", "plugins")
"""Configuration that differs from build to build (scratch folders) or is not rendered."""


class UnchangedPage(File):
    """A generated page whose HTML from the last build is still right: MkDocs skips it in a
    dirty build (it asks `is_modified`)."""

    def is_modified(self) -> bool:
        return False


@dataclass
class PageMemory:
    """What the last build of one site folder looked like."""

    site: Path | None = None
    """The folder the last build went to (None: nothing to build on)."""
    fingerprints: dict[str, str] = field(default_factory=dict)
    """By page source (`2021/06/index.md`)."""

    @classmethod
    def recall(cls, root: Path, site: Path) -> PageMemory:
        """The last build's fingerprints, if it went to `site` and `site` is still there."""
        try:
            stored = json.loads((root / MEMORY_FILE).read_text(encoding="utf-8"))
            if stored["site"] == str(site.resolve()) and site.is_dir():
                return cls(site.resolve(), dict(stored["fingerprints"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return cls()

    def remember(self, root: Path, site: Path, fingerprints: dict[str, str]) -> None:
        """Keep this build's fingerprints (a cache: if it cannot be written, the next build
        renders every page)."""
        path = root / MEMORY_FILE
        stored = {"site": str(site.resolve()), "fingerprints": dict(sorted(fingerprints.items()))}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(stored, ensure_ascii=False))
        except OSError:
            pass


def environment_key(config: MkDocsConfig, theme_dirs: Iterable[Path]) -> str:
    """Everything every page depends on besides its own data."""
    digest = hashlib.sha256()
    for package in ("mkdocs", "mkdocs-material", "jinja2", "markupsafe"):
        digest.update(f"{package} {version(package)}\0".encode())
    options = {key: value for key, value in config.items() if key not in _UNCHANGING_OPTIONS}
    digest.update(json.dumps(_canonical(options), ensure_ascii=False).encode())
    for folder in [_SITE_CODE, *theme_dirs]:
        digest_tree(digest, Path(folder))
    return digest.hexdigest()


def _canonical(value: Any) -> Any:
    """`value` as JSON data that is the same in every run: sets sorted (their order changes with
    Python's string hashing from one process to the next); the theme by its folders, templates
    and options. Anything else is refused, so that nothing unstable slips into a fingerprint."""
    if isinstance(value, Theme):
        return {
            "dirs": value.dirs,
            "static_templates": _canonical(value.static_templates),
            "options": _canonical(dict(value.items())),
        }
    if isinstance(value, Mapping):
        return {str(key): _canonical(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_canonical(item) for item in value), key=repr)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if type(value).__name__ == "Locale":  # the theme's language (MkDocs' stub or Babel's)
        return str(value)
    raise TypeError(f"{type(value).__name__} in the MkDocs configuration: say how to fingerprint it")


class PageKeys:
    """Page fingerprints: each page's data pickled by value (`ValuePickler`: five times faster
    than its repr, and as exact), each issue summary in it pickled once and referred to by its
    own digest.

    A summary (an issue's headlines and links) is on many pages: its year's, and those of every
    section, region and tag it has. Pickled in full on each of them, the pages of 520 issues
    made 56 MB to pickle; with each summary once, 26 MB in about half the time.
    """

    def __init__(self, environment: str) -> None:
        self.environment = environment.encode()
        self._summaries: dict[int, tuple[IssueSummary, bytes]] = {}
        """By `id`: the summary (kept, so that its id is not reused) and its digest."""

    def key(self, page: SitePage) -> str:
        buffer = io.BytesIO()
        if isinstance(page.data, Deferred):
            head = (page.url, page.template, page.title, page.updated)
            buffer.write(pickled_by_value(head) + page.data.inputs)
        else:
            _SummaryPickler(buffer, self._summary_digest).dump(page)
        return hashlib.sha256(self.environment + b"\0" + buffer.getbuffer()).hexdigest()

    def _summary_digest(self, summary: IssueSummary) -> bytes:
        known = self._summaries.get(id(summary))
        if known is None:
            digest = hashlib.sha256(pickled_by_value(summary)).digest()
            known = self._summaries[id(summary)] = (summary, digest)
        return known[1]


class _SummaryPickler(ValuePickler):
    def __init__(self, buffer: io.BytesIO, digest: Callable[[IssueSummary], bytes]) -> None:
        super().__init__(buffer)
        self.digest = digest

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is IssueSummary:
            return _summary_by_digest, (self.digest(obj),)
        return NotImplemented


def _summary_by_digest(digest: bytes) -> None:
    """What a summary is pickled as in a fingerprint (never unpickled)."""


class Carrier:
    """Puts the last build's files into the new site. A page MkDocs will not write again is
    hard-linked (no bytes copied); any other file is copied, because MkDocs may write over it
    in place, and the previous site must stay whole until the new one is swapped in."""

    def __init__(self, previous: Path, site_dir: Path) -> None:
        self.previous = previous
        self.site_dir = site_dir
        self._folders: set[Path] = set()

    def carry(self, file: File, *, link: bool = False) -> bool:
        """False if the last build wrote no such file."""
        source = self.previous / file.dest_uri
        if not source.is_file():
            return False
        target = self.site_dir / file.dest_uri
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        if link:
            link_or_copy(source, target)
        else:
            shutil.copy2(source, target)
        return True


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextmanager
def dirty_build_allowed() -> Iterator[None]:
    """MkDocs warns that a dirty build may leave navigation stale; here the fingerprints cover
    the navigation, so the warning is not for jianbao's users."""
    logger = logging.getLogger("mkdocs.commands.build")
    quiet = _NoDirtyWarning()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)
