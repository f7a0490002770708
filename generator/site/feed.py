"""An Atom feed of the newest issues (`feed.xml`), built as an XML tree so it is always well formed.

Links are absolute when site_config.yml gives `site.url`, else relative to the feed (Atom
resolves them against the feed's own address, which is the site root). Entry ids are the
issue URLs, or stable `urn:uuid:` ids derived from the title and the issue when there is no URL.
Dates are the issues' dates at midnight China time, never the build time; an issue corrected
with `jianbao publish --amend` is updated on the correction's date, so that feed readers see
the change.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from generator.model import Issue, Publication
from generator.site.urls import SiteUrls

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
_CHINA_TIME = dt.timezone(dt.timedelta(hours=8))


def atom_feed(publication: Publication, issues: list[Issue], with_pdf: bool = True) -> bytes:
    """`issues` oldest first; the feed lists the newest FEED_ENTRIES, newest first, each with its
    PDF as an enclosure when the site has PDFs (`with_pdf`)."""
    base = _base_url(publication)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "zh-CN"})
    _text(feed, "title", publication.site_name or publication.title)
    if publication.site_name:
        _text(feed, "subtitle", publication.title)
    _text(feed, "id", base or _urn(publication, "feed"))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": base + SiteUrls.FEED})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": base or "./"})
    newest = max((_updated(issue) for issue in issues), default=dt.date(1970, 1, 1))
    _text(feed, "updated", _timestamp(newest))
    author = ET.SubElement(feed, "author")
    _text(author, "name", publication.office)
    for issue in sorted(issues, key=lambda issue: issue.sort_key, reverse=True)[:FEED_ENTRIES]:
        feed.append(_entry(publication, issue, base, with_pdf))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(publication: Publication, issue: Issue, base: str, with_pdf: bool) -> ET.Element:
    entry = ET.Element("entry")
    title = issue.label + (f"（{issue.kind.label}）" if issue.kind.label else "")
    if issue.topic:
        title += f"：{issue.topic}"
    _text(entry, "title", title)
    url = base + SiteUrls.issue(issue)
    _text(entry, "id", url if base else _urn(publication, issue.slug))
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": url})
    if with_pdf:
        ET.SubElement(
            entry, "link", {"rel": "enclosure", "type": "application/pdf", "href": base + SiteUrls.pdf(issue)}
        )
    _text(entry, "published", _timestamp(issue.date))
    _text(entry, "updated", _timestamp(_updated(issue)))
    lines = [
        f"【{section.title}】\n" + "\n".join(f"★{item.title}" for item in items)
        for section, items in issue.sections(publication)
    ]
    _text(entry, "summary", "\n".join(lines))
    return entry


def _updated(issue: Issue) -> dt.date:
    """The issue's last change: its date, or the date it was last corrected."""
    return max(issue.date, issue.correction.date) if issue.correction else issue.date


def _base_url(publication: Publication) -> str:
    if not publication.site_url:
        return ""
    return publication.site_url if publication.site_url.endswith("/") else publication.site_url + "/"


def _urn(publication: Publication, name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"jianbao:{publication.title}:{name}").urn


def _timestamp(date: dt.date) -> str:
    return dt.datetime(date.year, date.month, date.day, tzinfo=_CHINA_TIME).isoformat()


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element
