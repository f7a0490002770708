"""The data handed to the Typst template: one issue as plain JSON, never Typst source."""

from __future__ import annotations

from typing import Any

from generator.body import Block, parse_body
from generator.model import Issue, Publication


def issue_print_data(
    publication: Publication,
    issue: Issue,
    fonts: dict[str, list[str]],
    media_prefix: str,
) -> dict[str, Any]:
    """Everything the template prints, in the shape themes/<t>/print/bulletin.typ expects.

    `media_prefix` is the Typst-root path of content/, e.g. "/content/", so that a body's
    "media/chart.png" becomes "/content/media/chart.png".
    """
    return {
        "publication": {
            "title": publication.title,
            "office": publication.office,
            "mark": publication.mark,
        },
        "issue": {
            "kind": issue.kind.value,
            "kind_label": issue.kind.label,
            "number_label": issue.label,
            "total_label": issue.total_label,
            "date_label": issue.date_label,
            "topic": issue.topic,
            "note": _blocks(issue.note, media_prefix) if issue.note else None,
            "document_title": f"{publication.title} {issue.label}",
            "date": [issue.date.year, issue.date.month, issue.date.day],
        },
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "items": [
                    {"title": item.title, "blocks": _blocks(item.body, media_prefix)} for item in items
                ],
            }
            for section, items in issue.sections(publication)
        ],
        "distribution": [
            {"label": line.label, "to": list(line.recipients)} for line in issue.distribution_or(publication)
        ],
        "copies": issue.copies_or(publication),
        "fonts": fonts,
        "options": {"item_titles_in_body": False},
    }


def _blocks(markdown_text: str, media_prefix: str) -> list[Block]:
    return [_with_media_paths(block, media_prefix) for block in parse_body(markdown_text)]


def _with_media_paths(block: Block, media_prefix: str) -> Block:
    """A copy of the block with image paths made Typst-root absolute (the parse is cached: no mutation)."""
    if block["type"] == "image":
        return {**block, "src": media_prefix + block["src"].lstrip("/")}
    if block["type"] == "list":
        return {
            **block,
            "items": [[_with_media_paths(b, media_prefix) for b in item] for item in block["items"]],
        }
    if block["type"] == "quote":
        return {**block, "blocks": [_with_media_paths(b, media_prefix) for b in block["blocks"]]}
    return block
