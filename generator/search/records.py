"""Search records: every item of every published issue as one small page for Pagefind.

Each item is rendered on its own, from the model, by the theme's `jianbao/search-record.html`,
as `<issue URL>/<anchor>.html` (`2021/06/item-3.html`); the search box turns a record's URL
back into the item's place on its issue page (`2021/06/#item-3`). Records give one hit per
item, never one per page; filters per item (year, section, region, tags) and a date order,
straight from the model. Home, lists, the 404 page and drafts are never records.

Chinese is matched character by character. Pagefind's extended build cuts Chinese into words
with jieba when indexing, but the browser cuts the query with ICU (`Intl.Segmenter`), and the
two disagree (`达州市` indexed as one word is searched as `达州 市`, and misses). So a record's
text has a space after every search word (`tokens`): a Chinese character, a mark, or a run of
Latin letters and digits. Pagefind's standard build, which splits at spaces only, then stores
one "word" per character, and the search box asks for the query's characters as an exact
phrase. The search box drops those spaces again when it shows the text. (The extended build
was used before: it cut at zero-width spaces between the characters instead, but its
segmenter cost 40 % more time and 30 % more memory on the same records.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.body import images, parse_body, plain_text
from generator.model import Archive, Issue, Publication
from generator.themes import theme_file

RECORD_TEMPLATE = "jianbao/search-record.html"
SORT_ANCHOR_TEMPLATE = "jianbao/search-sort-anchor.html"
"""Each bundle's first page, never a hit: the template says why."""
SORT_ANCHOR = "sort-anchor.html"
_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+|\S")
"""A search "word": a run of Latin letters and digits (accented ones too, but not × and ÷, so
that 1920×1080 is three words), or any other single character.
assets/jianbao/search.js cuts queries with the same expression: keep the two in step."""
FACETS = (("year", "年份"), ("section", "栏目"), ("region", "地区"), ("tag", "标签"))
"""The filters of the search box, in its order: record filter name and label."""


@dataclass(frozen=True)
class SearchRecord:
    """One item as the search index holds it."""

    file: str
    """`2021/06/item-3.html`: the issue page's URL and the item's anchor."""
    title: str
    issue: str
    """The issue's 期号 (`2021年第6期`, `2021年增刊第1期`): a filter, shown with each hit, and
    searchable text (with `kind` and `section`), so that an item is found by its year and issue."""
    kind: str | None
    """专刊 or 增刊 (a filter and searchable text, like `issue`); None for a regular issue."""
    date: str
    """The issue's date (`2021年6月4日`); a filter, never matched."""
    year: int
    section: str
    """The section's title: a filter and searchable text."""
    region: str | None
    tags: tuple[str, ...]
    source: str | None
    paragraphs: tuple[str, ...]
    order: int
    """Place in its bundle (a year, or part of the newest year), oldest issue and first item
    first: the date sort. Counted within the bundle, so that a new issue changes no other
    bundle's records (each bundle is its own index)."""


def indexed_issues(archive: Archive) -> list[Issue]:
    """The issues whose items are searchable: published ones only, oldest first."""
    return sorted(archive.visible(include_drafts=False), key=lambda issue: issue.sort_key)


def issues_by_year(archive: Archive) -> dict[int, list[Issue]]:
    """The searchable issues of each year, oldest year first."""
    years: dict[int, list[Issue]] = {}
    for issue in indexed_issues(archive):
        years.setdefault(issue.year, []).append(issue)
    return years


def tokens(text: str) -> str:
    """`执法“寻租”G318线 2021年` -> `执 法 “ 寻 租 ” G318 线 2021 年`: the search words, one
    space apart (whitespace in the text is such a space too)."""
    return " ".join(_TOKEN.findall(text))


def search_records(publication: Publication, issues: Iterable[Issue]) -> list[SearchRecord]:
    """The records of some issues (oldest first), numbered in that order."""
    from generator.site.urls import SiteUrls  # the site's URL scheme; imported late (no cycle)

    records: list[SearchRecord] = []
    for issue in issues:
        for section, items in issue.sections(publication):
            for item in items:
                blocks = parse_body(item.body)
                records.append(
                    SearchRecord(
                        file=f"{SiteUrls.issue(issue)}{item.anchor}.html",
                        title=item.title,
                        issue=issue.label,
                        kind=issue.kind.label,
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


class RecordWriter:
    """The theme's record templates (self-contained: they include nothing), autoescaped."""

    def __init__(self, publication: Publication) -> None:
        from jinja2 import Environment, StrictUndefined

        environment = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
        environment.filters["tokens"] = tokens
        sources = [
            theme_file(publication, f"site/{name}").read_text(encoding="utf-8")
            for name in (RECORD_TEMPLATE, SORT_ANCHOR_TEMPLATE)
        ]
        self.source = "\0".join(sources)
        """Both templates: part of each bundle's fingerprint."""
        self._record, self._anchor = (environment.from_string(source) for source in sources)

    def write(self, bundle: str, records: Iterable[SearchRecord], folder: Path) -> None:
        """A bundle's records as `folder/<record.file>`, and its sort anchor as
        `folder/<bundle>/sort-anchor.html`."""
        anchor = folder / bundle / SORT_ANCHOR
        anchor.parent.mkdir(parents=True, exist_ok=True)
        anchor.write_text(self._anchor.render(), encoding="utf-8")
        for record in records:
            path = folder / record.file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self._record.render(record=record), encoding="utf-8")


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
