"""Load and validate a whole project: site_config.yml plus every issue under content/."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.body_cache import keep_bodies, recall_bodies
from generator.config import load_publication
from generator.issue_cache import IssueReader
from generator.load import REGULAR_FILE, SUPPLEMENT_FILE, find_issue_files
from generator.lock import LockEntry, check_locked, read_lock
from generator.model import Archive, Issue
from generator.numbering import assign_totals
from generator.problems import Problems
from generator.validate import check_images, check_sequence


@dataclass
class LoadResult:
    archive: Archive | None  # None when there is any error
    problems: Problems
    files_checked: int
    readable: Archive | None = None  # the issues that could be read, errors or not

    def archive_for(self, year: int, supplement: bool, number: int) -> Archive | None:
        """An archive to typeset or publish one issue from: also when the only errors are in
        issue files that cannot change it (later issues of its sequence, or the other
        sequence), so a colleague's broken draft does not stop a finished issue."""
        if self.archive is not None or self.readable is None:
            return self.archive
        content = self.readable.publication.content_dir
        if all(
            _cannot_change(error.path, content, year, supplement, number) for error in self.problems.errors
        ):
            return self.readable
        return None


def _cannot_change(path: Path, content: Path, year: int, supplement: bool, number: int) -> bool:
    """Whether a problem in `path` leaves the issue (year, supplement, number) as it is: a
    later issue of its sequence (totals count only earlier ones), or one of the other sequence."""
    if path.parent.parent != content or not path.parent.name.isdigit():
        return False
    found = REGULAR_FILE.match(path.name) or SUPPLEMENT_FILE.match(path.name)
    if found is None:
        return False
    is_supplement = found.re is SUPPLEMENT_FILE
    if is_supplement != supplement:
        return True
    return (int(path.parent.name), int(found.group(1))) > (year, number)


def load_project(config_path: Path, unlocked: frozenset[str] = frozenset()) -> LoadResult:
    """Read everything, collect every problem, and return the archive if there were no errors.

    `unlocked` names issues (by slug) whose published fingerprint is not enforced: the one
    being amended by `jianbao publish --amend`.
    """
    problems = Problems()
    publication = load_publication(config_path, problems)
    if publication is None:
        return LoadResult(None, problems, 1)
    sources = find_issue_files(publication.content_dir, problems)
    reader = IssueReader(publication, config_path)
    recalled = recall_bodies(publication.root)
    issues = []
    for source in sources:
        issue = reader.read(source, problems)
        if issue is not None:
            check_images(issue, publication, problems)
            issues.append(issue)
    reader.keep()
    keep_bodies(publication.root, _bodies(issues), recalled)
    check_sequence(issues, problems)
    issues = assign_totals(issues, problems)
    locked = read_lock(publication.content_dir, problems)
    check_locked(
        issues, locked, unlocked, publication.content_dir, problems, totals_known=len(issues) == len(sources)
    )
    issues = [_with_corrections(issue, locked.get(issue.slug)) for issue in issues]
    issues.sort(key=lambda issue: issue.sort_key)
    readable = Archive(publication, tuple(issues))
    return LoadResult(None if problems.errors else readable, problems, 1 + len(sources), readable)


def _bodies(issues: list[Issue]) -> Iterator[str]:
    for issue in issues:
        if issue.note:
            yield issue.note
        for item in issue.items:
            yield item.body


def _with_corrections(issue: Issue, entry: LockEntry | None) -> Issue:
    if entry is None or not entry.corrections:
        return issue
    return dataclasses.replace(issue, corrections=entry.corrections)
