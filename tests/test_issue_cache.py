"""Issues read by the last run (.jianbao-cache/issues.pickle): reused only for unchanged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import issue_cache
from generator.project import load_project
from tests.conftest import make_project


def messages(project: Path) -> tuple[list[str], list[str]]:
    result = load_project(project / "site_config.yml")
    titles = [item.title for issue in result.archive.issues for item in issue.items] if result.archive else []
    return titles, [f"{p.path.name}:{p.line}:{p.message}" for p in result.problems.sorted()]


def refuse_to_read(*_: object) -> None:
    raise AssertionError("read again")


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    issue = project / "content" / "2021" / "02.yml"
    text = issue.read_text(encoding="utf-8").replace("调研重点和时间", "调研重点,和时间")
    issue.write_text(text, encoding="utf-8")
    first = messages(project)
    assert any(m.startswith("02.yml:9:中文里夹有半角标点“,”") for m in first[1])  # the file's own checks
    monkeypatch.setattr(issue_cache, "load_issue", refuse_to_read)
    assert messages(project) == first  # same issues, same problems, from the cache


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    titles, _ = messages(project)
    issue = project / "content" / "2021" / "02.yml"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("省厅印发大调研工作方案", "省厅印发大调研实施方案"),
        encoding="utf-8",
    )
    edited, _ = messages(project)
    assert edited == [t.replace("工作方案", "实施方案") for t in titles] != titles


def test_a_changed_config_reads_everything_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    messages(project)
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    monkeypatch.setattr(issue_cache, "load_issue", refuse_to_read)
    with pytest.raises(AssertionError, match="read again"):
        messages(project)
