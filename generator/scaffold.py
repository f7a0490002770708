"""`jianbao new`: write the next issue file from the theme's scaffold template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from generator.model import PLACEHOLDER, IssueKind, Publication, chinese_date
from generator.numbering import next_number
from generator.themes import theme_file


def new_issue(publication: Publication, date: dt.date, kind: IssueKind) -> Path:
    """Create the next issue file for `date`'s year and return its path. Never overwrites."""
    supplement = kind is IssueKind.SUPPLEMENT
    folder = publication.content_dir / str(date.year)
    number = next_number(folder, supplement)
    name = f"supplement-{number:02d}.yml" if supplement else f"{number:02d}.yml"
    path = folder / name
    template_path = theme_file(publication, "scaffold/issue.yml.j2")
    template = jinja2.Template(template_path.read_text(encoding="utf-8"), keep_trailing_newline=True)
    text = template.render(
        label=f"{date.year}年{'增刊' if supplement else ''}第{number}期",
        cli_id=f"{date.year}-{'s' if supplement else ''}{number}",
        number=number,
        date=date.isoformat(),
        date_label=chinese_date(date).removeprefix(f"{date.year}年"),
        kind=kind.value,
        copies=publication.copies,
        sections=publication.sections,
        regions=publication.regions,
        tags=publication.tags,
        placeholder=PLACEHOLDER,
    )
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(text)
    return path
