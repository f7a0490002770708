"""What the templates see: pages, and plain frozen views of issues and items with their URLs resolved.

The model knows nothing about the site; these views add the site's URLs, labels and parsed
bodies, so templates only lay things out. Nothing here knows about MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.model import Issue, Item, Publication, chinese_date
from generator.site.bodies import Body, make_body
from generator.site.urls import SiteUrls

_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class SitePage:
    url: str
    """Site-root-relative and percent-encoded: `""` for home, `2021/06/`, `archive/tag/大调研/` encoded."""
    template: str
    title: str
    updated: dt.date | None
    data: Any
    """What the template shows, or `Deferred`: made only if the page is rendered."""

    def view(self) -> Any:
        return self.data.make() if isinstance(self.data, Deferred) else self.data


@dataclass(frozen=True)
class Deferred:
    """A page's data that is made only when the page is rendered, and fingerprinted by what it
    is made from (`inputs`) instead of by itself (generator/site/incremental.py): a rebuild
    then makes the data of the pages that changed only."""

    make: Callable[[], Any]
    inputs: bytes
    """Everything the data depends on, as bytes: the same bytes, the same data."""


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    count: int = 0


@dataclass(frozen=True)
class Headline:
    """One ★ line of a table of contents."""

    title: str
    url: str
    """Site-root-relative URL of the item (`2021/06/#item-3`)."""
    anchor: str


@dataclass(frozen=True)
class TocSection:
    title: str
    headlines: tuple[Headline, ...]


@dataclass(frozen=True)
class IssueSummary:
    """An issue as lists show it: label, date, counts, links."""

    url: str
    label: str
    short_label: str
    """`第6期` or `增刊第1期`: the label within its year."""
    total_label: str | None
    kind_label: str | None
    topic: str | None
    year: int
    date_label: str
    date_iso: str
    item_count: int
    is_draft: bool
    pdf_url: str | None
    """None when the site is built without PDFs (`--no-pdf`): no link to a missing file."""
    pdf_download: str
    toc: tuple[TocSection, ...]


@dataclass(frozen=True)
class ItemView:
    anchor: str
    number: int
    title: str
    date_label: str | None
    date_iso: str | None
    region: Link | None
    tags: tuple[Link, ...]
    source: str | None
    body: Body


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class DistributionView:
    label: str
    recipients: str
    """`厅领导，省交通执法总队。`: joined and closed as the 报尾 prints them."""


@dataclass(frozen=True)
class IssueView:
    summary: IssueSummary
    note: Body | None
    sections: tuple[SectionView, ...]
    distribution: tuple[DistributionView, ...]
    copies: int | None
    previous: IssueSummary | None
    next: IssueSummary | None
    corrections: tuple[Correction, ...] = ()  # oldest first


@dataclass(frozen=True)
class Correction:
    """Shown on a published issue that was corrected with `jianbao publish --amend`."""

    date_label: str
    date_iso: str
    reason: str


def summarize(issue: Issue, publication: Publication, with_pdf: bool = True) -> IssueSummary:
    prefix = "增刊" if issue.is_supplement else ""
    toc = tuple(
        TocSection(
            section.title,
            tuple(Headline(item.title, SiteUrls.item(issue, item.anchor), item.anchor) for item in items),
        )
        for section, items in issue.sections(publication)
    )
    return IssueSummary(
        url=SiteUrls.issue(issue),
        label=issue.label,
        short_label=f"{prefix}第{issue.number}期",
        total_label=issue.total_label,
        kind_label=issue.kind.label,
        topic=issue.topic,
        year=issue.year,
        date_label=issue.date_label,
        date_iso=issue.date.isoformat(),
        item_count=len(issue.items),
        is_draft=issue.is_draft,
        pdf_url=SiteUrls.pdf(issue) if with_pdf else None,
        pdf_download=pdf_download_name(issue, publication),
        toc=toc,
    )


def pdf_download_name(issue: Issue, publication: Publication) -> str:
    """`整治简报2021年第6期.pdf`: the short site name if set, else the bulletin's title."""
    name = f"{publication.site_name or publication.title}{issue.label}.pdf"
    return _UNSAFE_IN_FILE_NAME.sub("", name)


def issue_view(
    issue: Issue,
    publication: Publication,
    urls: SiteUrls,
    media_files: frozenset[str],
    summaries: tuple[IssueSummary, IssueSummary | None, IssueSummary | None],
) -> IssueView:
    """`summaries`: of the issue, the one before it and the one after it (None: none)."""
    summary, previous, following = summaries
    sections = tuple(
        SectionView(section.id, section.title, tuple(item_view(item, urls, media_files) for item in items))
        for section, items in issue.sections(publication)
    )
    distribution = tuple(
        DistributionView(line.label, "，".join(line.recipients) + "。")
        for line in issue.distribution_or(publication)
        if line.recipients
    )
    return IssueView(
        summary=summary,
        note=make_body(issue.note, media_files) if issue.note and issue.note.strip() else None,
        sections=sections,
        distribution=distribution,
        copies=issue.copies_or(publication),
        previous=previous,
        next=following,
        corrections=tuple(
            Correction(chinese_date(correction.date), correction.date.isoformat(), correction.reason)
            for correction in issue.corrections
        ),
    )


def item_view(item: Item, urls: SiteUrls, media_files: frozenset[str]) -> ItemView:
    return ItemView(
        anchor=item.anchor,
        number=item.position,
        title=item.title,
        date_label=chinese_date(item.date) if item.date else None,
        date_iso=item.date.isoformat() if item.date else None,
        region=Link(urls.region(item.region), item.region) if item.region else None,
        tags=tuple(Link(urls.tag(tag), tag) for tag in item.tags),
        source=item.source,
        body=make_body(item.body, media_files),
    )


def latest_date(issues: list[Issue]) -> dt.date | None:
    """What a list page's sitemap date is: its newest issue's date, never the build's."""
    return max((issue.date for issue in issues), default=None)
