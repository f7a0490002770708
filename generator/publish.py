"""`jianbao publish`: mark an issue published and lock its content with a fingerprint."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import yaml

from generator.files import write_atomic
from generator.lock import LockEntry, fingerprint, read_lock, write_lock
from generator.model import PLACEHOLDER, Archive, Correction, Issue
from generator.problems import Problems, UserError
from generator.validate import placeholder_lines


class PublishRefused(UserError):
    """The issue cannot be (re-)published as asked; the message says why, in Chinese."""


def publish(archive: Archive, issue: Issue, today: dt.date, amend_reason: str | None) -> str:
    """Publish (or amend) `issue`; return a sentence for the user."""
    content_dir = archive.publication.content_dir
    unfinished = placeholder_lines(issue)
    if unfinished:
        lines = "、".join(str(line) for line in unfinished if line is not None)
        where = f"（{issue.path.name} 第 {lines} 行）" if lines else ""
        raise PublishRefused(
            f"{issue.label}还有 {len(unfinished)} 处模板占位文字“{PLACEHOLDER}”{where}："
            "请填写内容或删除这些条目后再发布。"
        )
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
    elif amend_reason is not None and not amend_reason.strip():
        raise PublishRefused(
            '--amend 后面的更正原因是空的：请写明为什么更正，例如 --amend "第2条信息的日期有误"。'
        )
    elif amend_reason is None:
        raise PublishRefused(
            f"{issue.label}已于 {entry.published.isoformat()} 发布，之后内容有改动："
            '如确需更正，请用 --amend "更正原因" 重新发布。'
        )
    else:
        entries[issue.slug] = replace(
            entry,
            content=content,
            items=items,
            corrections=(*entry.corrections, Correction(today, amend_reason.strip())),
        )
        message = f"{issue.label}已更正并重新发布（{today.isoformat()}，原因：{amend_reason.strip()}）。"
    set_status_published(issue.path)
    write_lock(content_dir, entries)
    return message


def set_status_published(path: Path) -> None:
    """Set the issue's `status:` to published in place, keeping the office's comments and
    layout: only the value's own characters change (block or flow style alike); without a
    `status:` key, one is added after `date:`."""
    text = path.read_text(encoding="utf-8-sig")
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # the pure loader: marks count characters
    values = {key.value: value for key, value in root.value} if isinstance(root, yaml.MappingNode) else {}
    status, date = values.get("status"), values.get("date")
    if status is not None:
        updated = text[: status.start_mark.index] + "published" + text[status.end_mark.index :]
    elif date is not None and root.flow_style:
        updated = text[: date.end_mark.index] + ", status: published" + text[date.end_mark.index :]
    elif date is not None:
        line_end = text.find("\n", date.end_mark.index)
        line_end = len(text) if line_end < 0 else line_end
        updated = text[:line_end] + "\nstatus: published" + text[line_end:]
    else:
        updated = text
    check = yaml.safe_load(updated)
    if not isinstance(check, dict) or check.get("status") != "published":
        raise PublishRefused(
            f"{path.name}：无法自动把“status”改为 published。请手动在文件中写上一行 status: published，"
            "再运行 jianbao publish。"
        )
    if updated != text:
        write_atomic(path, updated)
