"""The site's URL scheme, in one place: where every page lives and how names become folders.

Every URL here is relative to the site root, percent-encoded, and ends with "/" for pages
(MkDocs' directory URLs); templates make them relative to the current page with `| url`.
Regions and tags keep their Chinese names as folder names (stable as long as the name is, and
readable in the address bar); only characters that are unsafe in a path or a file name go.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote, unquote

from generator.model import Issue, Publication

_KEPT_CATEGORIES = ("L", "N", "M")  # letters (including CJK), digits, combining marks


def slugify(name: str) -> str:
    """`广安市` stays `广安市`; `执法“寻租”` becomes `执法寻租`; `Hello World` becomes `hello-world`."""
    characters: list[str] = []
    for character in name.strip():
        if character.isspace() or character in "-_":
            characters.append("-")
        elif unicodedata.category(character)[0] in _KEPT_CATEGORIES:
            characters.append(character.lower())
    slug = re.sub("-{2,}", "-", "".join(characters)).strip("-")
    return slug or "x"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A slug for each name, in the order given; later names that collide get -2, -3 …"""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in slugs:
            continue
        base = slugify(name)
        slug, counter = base, 2
        while slug in taken:
            slug, counter = f"{base}-{counter}", counter + 1
        slugs[name] = slug
        taken.add(slug)
    return slugs


def page_file(url: str) -> str:
    """The source path MkDocs gets for a page URL: `2021/06/` -> `2021/06/index.md` (decoded)."""
    return f"{unquote(url)}index.md"


class SiteUrls:
    """Site-root-relative URLs of every page, for one archive."""

    HOME = ""
    ARCHIVE = "archive/"
    SECTIONS = "archive/section/"
    REGIONS = "archive/region/"
    TAGS = "archive/tag/"
    FEED = "feed.xml"

    def __init__(self, publication: Publication, regions: Iterable[str], tags: Iterable[str]) -> None:
        self._region_slugs = unique_slugs([*publication.regions, *sorted(regions)])
        self._tag_slugs = unique_slugs([*publication.tags, *sorted(tags)])

    @staticmethod
    def issue(issue: Issue) -> str:
        return f"{issue.slug}/"

    @staticmethod
    def item(issue: Issue, anchor: str) -> str:
        return f"{issue.slug}/#{anchor}"

    @staticmethod
    def pdf(issue: Issue) -> str:
        return f"pdf/{issue.pdf_name}"

    @staticmethod
    def year(year: int) -> str:
        return f"archive/{year}/"

    def section(self, section_id: str) -> str:
        return f"{self.SECTIONS}{quote(slugify(section_id))}/"

    def region(self, name: str) -> str:
        return f"{self.REGIONS}{quote(self._region_slugs[name])}/"

    def tag(self, name: str) -> str:
        return f"{self.TAGS}{quote(self._tag_slugs[name])}/"
