"""Every page of the site as data: its URL, its template, its title and what the template shows.

One function per kind of page; `site_pages` puts them together in a fixed order. There is one
page per issue, year, section, region and tag, and no page lists every issue, so the site stays
linear in the number of issues.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from generator.model import Issue, Publication
from generator.pickle_cache import code_version, pickled_by_value
from generator.site.indexes import Index, build_indexes, index_pages
from generator.site.urls import SiteUrls
from generator.site.views import Deferred, IssueSummary, Link, SitePage, issue_view, latest_date, summarize

RECENT_ISSUES = 8


@dataclass(frozen=True)
class HomeView:
    latest: IssueSummary | None
    recent: tuple[IssueSummary, ...]
    years: tuple[Link, ...]


@dataclass(frozen=True)
class YearView:
    year: int
    issues: tuple[IssueSummary, ...]
    previous: Link | None
    """The year before, if any issue has it."""
    next: Link | None


@dataclass(frozen=True)
class ArchiveView:
    years: tuple[Link, ...]
    sections: tuple[Link, ...]
    regions: tuple[Link, ...]
    tags: tuple[Link, ...]


def site_pages(
    publication: Publication, issues: list[Issue], media_files: frozenset[str], with_pdf: bool = True
) -> list[SitePage]:
    """`issues`: the issues to publish, oldest first (drafts already left out or not); `with_pdf`:
    whether the site has their PDFs to link to."""
    urls = SiteUrls(
        publication,
        regions={item.region for issue in issues for item in issue.items if item.region},
        tags={tag for issue in issues for item in issue.items for tag in item.tags},
    )
    summaries = {id(issue): summarize(issue, publication, with_pdf) for issue in issues}
    indexes = build_indexes(publication, issues, urls)
    return [
        home_page(publication, issues, summaries),
        *issue_pages(publication, issues, urls, media_files, summaries, with_pdf),
        archive_page(issues, indexes),
        *year_pages(issues, summaries),
        *(page for index in indexes for page in index_pages(index, summaries)),
    ]


def home_page(publication: Publication, issues: list[Issue], summaries: dict[int, IssueSummary]) -> SitePage:
    newest_first = [summaries[id(issue)] for issue in reversed(issues)]
    view = HomeView(
        latest=newest_first[0] if newest_first else None,
        recent=tuple(newest_first[1 : 1 + RECENT_ISSUES]),
        years=_year_links(issues),
    )
    title = publication.site_name or publication.title
    return SitePage(SiteUrls.HOME, "jianbao/home.html", title, latest_date(issues), view)


def issue_pages(
    publication: Publication,
    issues: list[Issue],
    urls: SiteUrls,
    media_files: frozenset[str],
    summaries: dict[int, IssueSummary],
    with_pdf: bool,
) -> list[SitePage]:
    """One page per issue, its data `Deferred`: made from the issue, the issues before and after
    it (their summaries), the publication, the URLs of regions and tags, the media files, whether
    PDFs are linked and jianbao's code, and fingerprinted by those."""
    shared = hashlib.sha256(
        pickled_by_value((code_version(), publication, urls, sorted(media_files), with_pdf))
    ).digest()
    none = bytes(32)  # in place of the digest of an issue before the first or after the last
    digests = [none, *(hashlib.sha256(pickled_by_value(issue)).digest() for issue in issues), none]
    pages = []
    for index, issue in enumerate(issues):
        previous = summaries[id(issues[index - 1])] if index > 0 else None
        following = summaries[id(issues[index + 1])] if index + 1 < len(issues) else None
        view = functools.partial(
            issue_view, issue, publication, urls, media_files, (summaries[id(issue)], previous, following)
        )
        inputs = b"".join([shared, *digests[index : index + 3]])
        page = SitePage(
            SiteUrls.issue(issue), "jianbao/issue.html", issue.label, issue.date, Deferred(view, inputs)
        )
        pages.append(page)
    return pages


def archive_page(issues: list[Issue], indexes: list[Index]) -> SitePage:
    sections, regions, tags = ([term.link for term in index.terms] for index in indexes)
    view = ArchiveView(_year_links(issues), tuple(sections), tuple(regions), tuple(tags))
    return SitePage(SiteUrls.ARCHIVE, "jianbao/archive.html", "往期简报", latest_date(issues), view)


def year_pages(issues: list[Issue], summaries: dict[int, IssueSummary]) -> list[SitePage]:
    years = sorted({issue.year for issue in issues})
    links = {year: Link(SiteUrls.year(year), f"{year}年") for year in years}
    pages = []
    for index, year in enumerate(years):
        in_year = [issue for issue in issues if issue.year == year]
        view = YearView(
            year=year,
            issues=tuple(summaries[id(issue)] for issue in in_year),
            previous=links[years[index - 1]] if index > 0 else None,
            next=links[years[index + 1]] if index + 1 < len(years) else None,
        )
        pages.append(
            SitePage(SiteUrls.year(year), "jianbao/year.html", f"{year}年", latest_date(in_year), view)
        )
    return pages


def _year_links(issues: list[Issue]) -> tuple[Link, ...]:
    counts: dict[int, int] = defaultdict(int)
    for issue in issues:
        counts[issue.year] += 1
    return tuple(
        Link(SiteUrls.year(year), f"{year}年", counts[year]) for year in sorted(counts, reverse=True)
    )
