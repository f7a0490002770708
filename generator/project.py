"""Load and validate a whole project: site_config.yml plus every issue under content/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.config import load_publication
from generator.load import find_issue_files, load_issue
from generator.model import Archive
from generator.numbering import assign_totals
from generator.problems import Problems
from generator.validate import check_images, check_issue_text, check_sequence


@dataclass
class LoadResult:
    archive: Archive | None
    problems: Problems
    files_checked: int


def load_project(config_path: Path) -> LoadResult:
    """Read everything, collect every problem, and return the archive if there were no errors."""
    problems = Problems()
    publication = load_publication(config_path, problems)
    if publication is None:
        return LoadResult(None, problems, 1)
    sources = find_issue_files(publication.content_dir, problems)
    issues = []
    for source in sources:
        issue = load_issue(source, publication, problems)
        if issue is not None:
            check_issue_text(issue, publication, problems)
            check_images(issue, publication, problems)
            issues.append(issue)
    check_sequence(issues, problems)
    issues = assign_totals(issues, problems)
    issues.sort(key=lambda issue: issue.sort_key)
    archive = None if problems.errors else Archive(publication, tuple(issues))
    return LoadResult(archive, problems, 1 + len(sources))
