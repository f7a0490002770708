"""`jianbao publish`: mark an issue published and lock its content with a fingerprint."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from generator.files import write_atomic
from generator.lock import LockEntry, fingerprint, read_lock, write_lock
from generator.model import Archive, Issue
from generator.problems import Problems, UserError

_STATUS_LINE = re.compile(r"^status:.*$", re.MULTILINE)
_DATE_LINE = re.compile(r"^date:.*$", re.MULTILINE)


class PublishRefused(UserError):
    """The issue cannot be (re-)published as asked; the message says why, in Chinese."""


def publish(archive: Archive, issue: Issue, today: dt.date, amend_reason: str | None) -> str:
    """Publish (or amend) `issue`; return a sentence for the user."""
    content_dir = archive.publication.content_dir
    problems = Problems()
    entries = read_lock(content_dir, problems)
    if problems.errors:
        raise PublishRefused(problems.errors[0].message)
    content, items = fingerprint(issue)
    entry = entries.get(issue.slug)
    if entry is None:
        if amend_reason is not None:
            raise PublishRefused(f"{issue.label}尚未发布，不需要 --amend：直接运行 jianbao publish。")
        entries[issue.slug] = LockEntry(issue.slug, today, content, items)
        message = f"{issue.label}已发布，内容指纹已记入 content/published.lock。"
    elif entry.content == content:
        message = f"{issue.label}已于 {entry.published.isoformat()} 发布，内容没有变化。"
    elif amend_reason is None or not amend_reason.strip():
        raise PublishRefused(
            f"{issue.label}已于 {entry.published.isoformat()} 发布，之后内容有改动："
            '如确需更正，请用 --amend "更正原因" 重新发布。'
        )
    else:
        entries[issue.slug] = replace(
            entry, content=content, items=items, amended=today, reason=amend_reason.strip()
        )
        message = f"{issue.label}已更正并重新发布（{today.isoformat()}，原因：{amend_reason.strip()}）。"
    set_status_published(issue.path)
    write_lock(content_dir, entries)
    return message


def set_status_published(path: Path) -> None:
    """Edit the one `status:` line in place, keeping the office's comments and layout."""
    text = path.read_text(encoding="utf-8-sig")
    if _STATUS_LINE.search(text):
        updated = _STATUS_LINE.sub("status: published", text, count=1)
    else:
        updated = _DATE_LINE.sub(lambda m: m.group(0) + "\nstatus: published", text, count=1)
    if updated != text:
        write_atomic(path, updated)
