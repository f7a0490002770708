"""Published issues are locked: content/published.lock holds a fingerprint of each one.

One readable line per published issue, tab-separated:

    2021/06  published=2021-06-04  content=3f2a…  items=9c1d4e2a,77b0…  [amended=2026-11-23  reason=…]…

(one amended/reason pair per correction, oldest first).

The fingerprint covers what the issue says (dates, note, items, distribution…), not how the
file is formatted, so comments and indentation can change freely. Item fingerprints let
`check` say which item changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.files import write_atomic
from generator.model import Correction, Issue, Status
from generator.problems import Problems

LOCK_NAME = "published.lock"
MAX_TOTAL_SHIFT = 60
"""How far back or forth `check` looks for a published issue's old 总第N期 (a year of weeklies)."""
HEADER = "# jianbao：已发布简报的内容指纹，由 jianbao publish 维护，请勿手工修改。\n"


@dataclass(frozen=True)
class LockEntry:
    slug: str
    published: dt.date
    content: str
    items: tuple[str, ...]
    corrections: tuple[Correction, ...] = ()  # oldest first
    line: int | None = field(default=None, compare=False)  # in the lock file, for messages

    def to_line(self) -> str:
        fields = [
            self.slug,
            f"published={self.published.isoformat()}",
            f"content={self.content}",
            f"items={','.join(self.items)}",
        ]
        for correction in self.corrections:
            fields += [
                f"amended={correction.date.isoformat()}",
                f"reason={' '.join(correction.reason.split())}",
            ]
        return "\t".join(fields)


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _item_value(issue: Issue, index: int) -> dict[str, object]:
    item = issue.items[index]
    return {
        "section": item.section_id,
        "title": item.title,
        "body": item.body,
        "date": item.date,
        "region": item.region,
        "tags": item.tags,
        "source": item.source,
    }


def _issue_value(issue: Issue) -> dict[str, object]:
    distribution = (
        None if issue.distribution is None else [(d.label, d.recipients) for d in issue.distribution]
    )
    return {
        "number": issue.number,
        "date": issue.date,
        "kind": issue.kind.value,
        "topic": issue.topic,
        "note": issue.note,
        "distribution": distribution,
        "copies": issue.copies,
        "total": issue.total,
    }


def fingerprint(issue: Issue) -> tuple[str, tuple[str, ...]]:
    """(whole-issue digest, one short digest per item)."""
    items = tuple(_digest(_item_value(issue, i))[:12] for i in range(len(issue.items)))
    return _digest({"issue": _issue_value(issue), "items": items}), items


def lock_path(content_dir: Path) -> Path:
    return content_dir / LOCK_NAME


def read_lock(content_dir: Path, problems: Problems) -> dict[str, LockEntry]:
    path = lock_path(content_dir)
    if not path.is_file():
        return {}
    entries: dict[str, LockEntry] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        slug, *cells = line.split("\t")
        pairs = [tuple(cell.split("=", 1)) for cell in cells if "=" in cell]
        fields = dict(pairs)  # the amended/reason pairs repeat, once per correction
        amended = [value for key, value in pairs if key == "amended"]
        reasons = [value for key, value in pairs if key == "reason"]
        try:
            entries[slug] = LockEntry(
                slug=slug,
                published=dt.date.fromisoformat(fields["published"]),
                content=fields["content"],
                items=tuple(filter(None, fields.get("items", "").split(","))),
                corrections=tuple(
                    Correction(dt.date.fromisoformat(day), reason)
                    for day, reason in zip(amended, reasons, strict=True)
                ),
                line=number,
            )
        except (KeyError, ValueError):  # zip(strict=True): a date without a reason
            problems.error(
                path, number, "这一行无法识别：锁定文件由 jianbao publish 维护，请从版本库恢复它。"
            )
    return entries


def write_lock(content_dir: Path, entries: dict[str, LockEntry]) -> None:
    path = lock_path(content_dir)
    text = HEADER + "".join(entries[slug].to_line() + "\n" for slug in sorted(entries))
    write_atomic(path, text)


def check_locked(
    issues: list[Issue],
    entries: dict[str, LockEntry],
    unlocked: frozenset[str],
    content_dir: Path,
    problems: Problems,
    *,
    totals_known: bool = True,
) -> None:
    """A published issue whose content no longer matches its fingerprint, that went back to
    draft or whose file is gone is an error. `status: published` written by hand, without a
    fingerprint, is a warning when the office uses `jianbao publish` (the lock file exists);
    an issue without `status` (imported, or an office that does not lock) is left alone. `unlocked`:
    the issue being amended, whose fingerprint is not enforced. Without `totals_known` (an issue
    file could not be read, so the 总第N期 after it are off), a moved total is not reported: the
    unreadable file's own error is the one to fix."""
    by_slug = {issue.slug: issue for issue in issues}
    if lock_path(content_dir).is_file():
        for issue in issues:
            if issue.status is Status.PUBLISHED and "status" in issue.lines and issue.slug not in entries:
                problems.warning(
                    issue.path,
                    issue.lines["status"],
                    f"{issue.label}已标为发布，但 published.lock 中没有它的内容指纹，之后的改动不会被发现："
                    f"请运行 jianbao publish {cli_id(issue)}。",
                )
    for slug, entry in sorted(entries.items()):
        issue = by_slug.get(slug)
        if slug in unlocked:
            continue
        if issue is None:
            if not (content_dir / f"{slug}.yml").exists():  # not merely unreadable
                problems.error(
                    lock_path(content_dir),
                    entry.line,
                    f"已发布的 {slug}.yml 找不到了：已发布的简报不能删除，请从版本库恢复这个文件；"
                    f"确需撤下这一期时，请删去 published.lock 中 {slug} 这一行。",
                )
            continue
        if issue.status is Status.DRAFT:
            problems.error(
                issue.path,
                issue.lines.get("status"),
                f"{issue.label}已于 {entry.published.isoformat()} 发布，不能改回草稿：请改回 status: published；"
                f"确需撤下这一期时，请删去 content/published.lock 中 {slug} 这一行。",
            )
            continue
        content, items = fingerprint(issue)
        if content == entry.content:
            continue
        recorded = recorded_total(issue, entry)
        if recorded is not None and not totals_known:
            continue
        if recorded is not None:
            problems.error(
                issue.path,
                issue.lines.get("number"),
                f"{issue.label}已于 {entry.published.isoformat()} 发布，当时是总第{recorded}期，现在算出总第{issue.total}期："
                f"前面有期次被删除或补录。请在本期文件中写上 total: {recorded} 保留原总期号，或恢复前面的期次。",
            )
            continue
        problems.error(
            issue.path,
            issue.lines.get("number"),
            f"{issue.label}已于 {entry.published.isoformat()} 发布，内容已被改动（{describe_change(issue, entry, items)}）。"
            f'已发布的简报不能悄悄修改：请撤销改动；确需更正时运行 jianbao publish {cli_id(issue)} --amend "更正原因"。',
        )


def recorded_total(issue: Issue, entry: LockEntry) -> int | None:
    """The 总第N期 the issue had when published, if that is all that changed since: the count
    moves when an earlier issue is deleted or back-filled, though the issue itself was not touched."""
    if issue.total is None or "total" in issue.lines:
        return None
    for total in range(max(1, issue.total - MAX_TOTAL_SHIFT), issue.total + MAX_TOTAL_SHIFT + 1):
        if total != issue.total and fingerprint(replace(issue, total=total))[0] == entry.content:
            return total
    return None


def describe_change(issue: Issue, entry: LockEntry, items: tuple[str, ...]) -> str:
    changes: list[str] = []
    for index, digest in enumerate(items):
        if index >= len(entry.items):
            changes.append(f"新增第{index + 1}条信息")
        elif digest != entry.items[index]:
            title = issue.items[index].title
            changes.append(f"第{index + 1}条信息“{title if len(title) <= 20 else title[:20] + '…'}”")
    if len(entry.items) > len(items):
        changes.append(f"删去了{len(entry.items) - len(items)}条信息")
    return "、".join(changes) if changes else "期号、日期、编者按、报尾等期次信息"


def cli_id(issue: Issue) -> str:
    return f"{issue.year}-{'s' if issue.is_supplement else ''}{issue.number}"
