"""A body ready for the theme: the parsed blocks plus what the templates cannot decide safely.

The theme renders blocks with a recursive macro (so Jinja escapes every piece of text); this
module decides, in Python, the three things that need more than escaping:
- heading levels, renumbered so that a body never skips a level under the item's headline;
- images, which load only from the site's own media/ folder (never from another host);
- links, which keep http(s), mailto, in-page and relative targets and drop everything else
  (`javascript:`, `data:` …): a dropped link is shown as its text.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from generator.body import Block, nodes, parse_body

MEDIA_FOLDER = "media/"
_LINK_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True)
class Body:
    blocks: tuple[Block, ...]
    levels: dict[int, int] = field(default_factory=dict)
    """Markdown heading level -> rank among the levels this body uses (1, 2, 3 …)."""
    images: dict[str, str] = field(default_factory=dict)
    """Image src as written -> site-root-relative URL; images not listed are shown as text."""
    links: dict[str, str] = field(default_factory=dict)
    """Link href as written -> the href to use; links not listed are shown as text."""


def make_body(markdown: str, media_files: frozenset[str]) -> Body:
    """`media_files`: the paths under content/ that exist in media/, e.g. `media/chart.png`."""
    blocks = tuple(parse_body(markdown))
    headings: set[int] = set()
    images: dict[str, str] = {}
    links: dict[str, str] = {}
    for node in nodes(blocks):
        kind = node.get("type")
        if kind == "heading":
            headings.add(node["level"])
        elif kind == "image":
            target = media_target(node["src"], media_files)
            if target is not None:
                images[node["src"]] = target
        elif kind == "link":
            href = safe_href(node["href"])
            if href is not None:
                links[node["href"]] = href
    levels = {level: rank for rank, level in enumerate(sorted(headings), start=1)}
    return Body(blocks, levels, images, links)


def media_target(src: str, media_files: frozenset[str]) -> str | None:
    """`media/chart.png` (relative to content/) -> its URL in the site, if the file exists."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith("/"):
        return None
    path = posixpath.normpath(parts.path)
    if not path.startswith(MEDIA_FOLDER) or path not in media_files:
        return None
    return quote(path)


def safe_href(href: str) -> str | None:
    stripped = href.strip()
    if not stripped:
        return None
    parts = urlsplit(stripped)
    if parts.scheme:
        return stripped if parts.scheme.lower() in _LINK_SCHEMES else None
    if stripped.startswith("//") or ":" in stripped.split("/", 1)[0]:
        return None
    return stripped
