"""Typeset issues with Typst: one reused compiler per process, the issue passed as JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import typst

from generator.files import source_date
from generator.model import Issue, Publication
from generator.pdf.data import issue_print_data
from generator.pdf.fonts import resolve_fonts
from generator.problems import UserError
from generator.themes import theme_file

TEMPLATE = "print/bulletin.typ"
DATA_FOLDER = ".jianbao-cache/print-input"


class PdfError(UserError):
    """Typst could not typeset an issue; the message is for the user, in Chinese."""


class PdfRenderer:
    """Holds one `typst.Compiler` (fonts are scanned once) for every issue of a publication."""

    def __init__(self, publication: Publication) -> None:
        self.publication = publication
        self.fonts = resolve_fonts(publication)
        template = theme_file(publication, TEMPLATE).resolve()
        # Typst reads only files under its root: the project (for content/media) and the theme.
        self.root = Path(os.path.commonpath([publication.root, template.parent]))
        content = publication.content_dir.resolve().relative_to(self.root).as_posix()
        self.media_prefix = f"/{content}/"
        self.compiler = typst.Compiler(input=template, root=self.root, font_paths=self.fonts.font_paths)
        # The issue goes in through a file that the template reads, named in sys.inputs. The
        # inputs then never change between issues, so Typst keeps its evaluated template and
        # cached results (any change of sys.inputs re-evaluates everything). One file per process.
        self.data_file = publication.root / DATA_FOLDER / f"{os.getpid()}.json"
        self.inputs = {"data-path": "/" + self.data_file.relative_to(self.root).as_posix()}

    def render(self, issue: Issue) -> bytes:
        data = issue_print_data(self.publication, issue, self.fonts.chains, self.media_prefix)
        self.data_file.parent.mkdir(parents=True, exist_ok=True)
        self.data_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        try:
            pdf = self.compiler.compile(
                format="pdf",
                sys_inputs=self.inputs,
                timestamp=_timestamp(issue),
            )
        except typst.TypstError as exc:
            raise PdfError(f"{issue.label} 排版失败：{exc.message}（{exc.diagnostic}）") from exc
        assert isinstance(pdf, bytes)
        return pdf


def _timestamp(issue: Issue) -> dt.datetime:
    """The PDF's creation date: SOURCE_DATE_EPOCH if set, else the issue's date (reproducible)."""
    return source_date() or dt.datetime(issue.date.year, issue.date.month, issue.date.day, tzinfo=dt.UTC)
