"""The content model every renderer reads. It knows nothing about MkDocs or Typst."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

PLACEHOLDER = "【待填写】"
"""Marks scaffold text that `jianbao new` wrote and the office has not replaced yet."""


class IssueKind(StrEnum):
    REGULAR = "regular"
    SPECIAL = "special"  # 专刊: numbered in the regular sequence
    SUPPLEMENT = "supplement"  # 增刊: numbered in its own sequence

    @property
    def label(self) -> str | None:
        return {"special": "专刊", "supplement": "增刊"}.get(self.value)


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class DistributionLine:
    """One line of the 报尾, e.g. 印送：厅领导，省交通执法总队。"""

    label: str
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class FontChains:
    masthead: tuple[str, ...]
    body: tuple[str, ...]
    heading: tuple[str, ...]
    kai: tuple[str, ...]
    paths: tuple[Path, ...] = ()


DEFAULT_FONTS = FontChains(
    masthead=("FZXiaoBiaoSong-B05S", "Noto Serif CJK SC"),
    body=("FangSong_GB2312", "FangSong", "Noto Serif CJK SC"),
    heading=("SimHei", "Noto Sans CJK SC"),
    kai=("KaiTi_GB2312", "KaiTi", "LXGW WenKai"),
)


@dataclass(frozen=True)
class Publication:
    """What site_config.yml declares: the bulletin itself."""

    title: str
    office: str
    sections: tuple[Section, ...]
    root: Path
    regions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    distribution: tuple[DistributionLine, ...] = ()
    copies: int | None = None
    mark: str | None = None
    site_url: str | None = None
    site_name: str | None = None
    fonts: FontChains = DEFAULT_FONTS
    theme: str = "default"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def media_dir(self) -> Path:
        return self.content_dir / "media"

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class Item:
    section_id: str
    title: str
    body: str
    position: int  # 1-based, in print order within the issue: the stable anchor
    line: int
    date: dt.date | None = None
    region: str | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def anchor(self) -> str:
        return f"item-{self.position}"


@dataclass(frozen=True)
class Correction:
    """One `jianbao publish --amend` of a published issue: every one is shown on its page."""

    date: dt.date
    reason: str


@dataclass(frozen=True)
class Issue:
    year: int
    number: int
    kind: IssueKind
    date: dt.date
    status: Status
    items: tuple[Item, ...]
    path: Path
    total: int | None = None
    topic: str | None = None
    note: str | None = None
    distribution: tuple[DistributionLine, ...] | None = None
    copies: int | None = None
    corrections: tuple[Correction, ...] = ()  # oldest first
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def correction(self) -> Correction | None:
        """The latest correction, if the issue was ever amended."""
        return self.corrections[-1] if self.corrections else None

    @property
    def is_supplement(self) -> bool:
        return self.kind is IssueKind.SUPPLEMENT

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT

    @property
    def label(self) -> str:
        """The 期号 as printed: 2021年第6期, or 2021年增刊第1期."""
        prefix = "增刊" if self.is_supplement else ""
        return f"{self.year}年{prefix}第{self.number}期"

    @property
    def total_label(self) -> str | None:
        return None if self.total is None else f"（总第{self.total}期）"

    @property
    def date_label(self) -> str:
        return chinese_date(self.date)

    @property
    def slug(self) -> str:
        """`2021/06` or `2021/supplement-01`: the issue's folder in the site."""
        return f"{self.year}/{self.file_stem}"

    @property
    def file_stem(self) -> str:
        number = f"{self.number:02d}"
        return f"supplement-{number}" if self.is_supplement else number

    @property
    def pdf_name(self) -> str:
        """`2021-06.pdf` or `2021-supplement-01.pdf`, under `pdf/` in the site."""
        return f"{self.year}-{self.file_stem}.pdf"

    @property
    def sort_key(self) -> tuple[dt.date, int, int, int]:
        return (self.date, self.year, 1 if self.is_supplement else 0, self.number)

    def items_in(self, section_id: str) -> list[Item]:
        return [item for item in self.items if item.section_id == section_id]

    def sections(self, publication: Publication) -> list[tuple[Section, list[Item]]]:
        """The sections that have items in this issue, in the configured print order."""
        grouped = [(section, self.items_in(section.id)) for section in publication.sections]
        return [(section, items) for section, items in grouped if items]

    def distribution_or(self, publication: Publication) -> tuple[DistributionLine, ...]:
        return publication.distribution if self.distribution is None else self.distribution

    def copies_or(self, publication: Publication) -> int | None:
        return publication.copies if self.copies is None else self.copies


@dataclass(frozen=True)
class Archive:
    """The whole publication: its configuration and every issue, oldest first."""

    publication: Publication
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    def visible(self, include_drafts: bool) -> list[Issue]:
        return [i for i in self.issues if include_drafts or not i.is_draft]

    def find(self, year: int, number: int, supplement: bool = False) -> Issue | None:
        return next(
            (
                i
                for i in self.issues
                if i.year == year and i.number == number and i.is_supplement == supplement
            ),
            None,
        )


def chinese_date(date: dt.date) -> str:
    """2021年6月4日: Arabic digits, no leading zeros, as bulletins print dates."""
    return f"{date.year}年{date.month}月{date.day}日"
