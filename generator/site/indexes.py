"""The three indexes of the archive: by section, by region and by tag.

Each index has a list page (every term with its number of items) and one page per term with
every item of that term across all issues, newest issue first, grouped by year, each linking
to its issue's page at the item's anchor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from generator.model import Issue, Item, Publication, chinese_date
from generator.site.urls import SiteUrls
from generator.site.views import IssueSummary, Link, SitePage, latest_date


@dataclass(frozen=True)
class TermsView:
    """A list of sections, regions or tags, each with how many items it has."""

    kind: str
    terms: tuple[Link, ...]


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    date_label: str | None


@dataclass(frozen=True)
class IssueEntries:
    issue: IssueSummary
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class TermYear:
    year: int
    issues: tuple[IssueEntries, ...]


@dataclass(frozen=True)
class TermView:
    """Every item of one section, region or tag, newest issue first, grouped by year."""

    kind: str
    name: str
    item_count: int
    years: tuple[TermYear, ...]
    index: Link


@dataclass(frozen=True)
class Term:
    """A section, region or tag with its items across the archive, oldest first."""

    name: str
    url: str
    items: list[tuple[Issue, Item]]

    @property
    def link(self) -> Link:
        return Link(self.url, self.name, len(self.items))


@dataclass(frozen=True)
class Index:
    kind: str
    url: str
    terms: list[Term]


def index_pages(index: Index, summaries: dict[int, IssueSummary]) -> list[SitePage]:
    """One index (by section, region or tag): its list page, then one page per term."""
    back = Link(index.url, f"按{index.kind}浏览")
    view = TermsView(index.kind, tuple(term.link for term in index.terms))
    every_issue = [issue for term in index.terms for issue, _ in term.items]
    pages = [SitePage(index.url, "jianbao/terms.html", back.text, latest_date(every_issue), view)]
    for term in index.terms:
        term_view = TermView(index.kind, term.name, len(term.items), _by_year(term.items, summaries), back)
        updated = latest_date([issue for issue, _ in term.items])
        pages.append(
            SitePage(term.url, "jianbao/term.html", f"{index.kind}：{term.name}", updated, term_view)
        )
    return pages


def build_indexes(publication: Publication, issues: list[Issue], urls: SiteUrls) -> list[Index]:
    pairs = [(issue, item) for issue in issues for item in issue.items]
    sections = [
        Term(section.title, urls.section(section.id), [p for p in pairs if p[1].section_id == section.id])
        for section in publication.sections
    ]
    regions: dict[str, list[tuple[Issue, Item]]] = defaultdict(list)
    tags: dict[str, list[tuple[Issue, Item]]] = defaultdict(list)
    for issue, item in pairs:
        if item.region:
            regions[item.region].append((issue, item))
        for tag in item.tags:
            tags[tag].append((issue, item))
    return [
        Index("栏目", SiteUrls.SECTIONS, sections),
        Index("地区", SiteUrls.REGIONS, _terms(regions, urls.region)),
        Index("标签", SiteUrls.TAGS, _terms(tags, urls.tag)),
    ]


def _terms(grouped: dict[str, list[tuple[Issue, Item]]], url_of: Callable[[str], str]) -> list[Term]:
    """Terms with items, most items first, then by name: a stable order."""
    names = sorted(grouped, key=lambda name: (-len(grouped[name]), name))
    return [Term(name, url_of(name), grouped[name]) for name in names]


def _by_year(pairs: list[tuple[Issue, Item]], summaries: dict[int, IssueSummary]) -> tuple[TermYear, ...]:
    """Items grouped by issue, newest issue first, and the issues by year."""
    by_issue: dict[int, list[Item]] = defaultdict(list)
    order: list[Issue] = []
    for issue, item in pairs:
        if id(issue) not in by_issue:
            order.append(issue)
        by_issue[id(issue)].append(item)
    years: dict[int, list[IssueEntries]] = defaultdict(list)
    for issue in reversed(order):
        entries = tuple(
            Entry(
                item.title, SiteUrls.item(issue, item.anchor), chinese_date(item.date) if item.date else None
            )
            for item in by_issue[id(issue)]
        )
        years[issue.year].append(IssueEntries(summaries[id(issue)], entries))
    return tuple(TermYear(year, tuple(years[year])) for year in sorted(years, reverse=True))
