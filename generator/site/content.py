"""Everything the site shows, gathered once and independent of the site engine.

`site_content` is the seam between jianbao and MkDocs: a future engine (Zensical reads the same
configuration) only has to turn this into files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.model import Archive, Publication
from generator.search import search_facets
from generator.site.feed import atom_feed
from generator.site.fonts import font_stacks
from generator.site.pages import site_pages
from generator.site.urls import SiteUrls
from generator.site.views import SitePage


@dataclass(frozen=True)
class SiteContent:
    pages: tuple[SitePage, ...]
    feed: bytes
    media: tuple[tuple[str, Path], ...]
    """(path in the site, file on disk) for every file under content/media/, sorted."""
    years: tuple[int, ...]
    """Newest first: the navigation lists them."""
    globals: dict[str, object]
    """What every page's templates may read (the publication's names, fonts, feed URL, and the
    values of the search box's filters)."""


def site_content(archive: Archive, include_drafts: bool, with_pdf: bool = True) -> SiteContent:
    publication = archive.publication
    issues = sorted(archive.visible(include_drafts), key=lambda issue: issue.sort_key)
    media = media_files(publication)
    pages = site_pages(publication, issues, frozenset(site_path for site_path, _ in media), with_pdf)
    return SiteContent(
        pages=tuple(pages),
        feed=atom_feed(publication, issues, with_pdf),
        media=media,
        years=tuple(sorted({issue.year for issue in issues}, reverse=True)),
        globals={**site_globals(publication), "search": search_facets(archive)},
    )


def media_files(publication: Publication) -> tuple[tuple[str, Path], ...]:
    folder = publication.media_dir
    if not folder.is_dir():
        return ()
    found = [
        (f"media/{path.relative_to(folder).as_posix()}", path)
        for path in folder.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]
    return tuple(sorted(found))


def site_globals(publication: Publication) -> dict[str, object]:
    return {
        "title": publication.title,
        "site_name": publication.site_name or publication.title,
        "office": publication.office,
        "mark": publication.mark,
        "fonts": font_stacks(publication.fonts),
        "feed_url": SiteUrls.FEED,
        "archive_url": SiteUrls.ARCHIVE,
    }
