"""Every bad-input fixture gives its expected `path:line: 错误/警告：…` lines and exit code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.validate import toc_lines
from tests.conftest import FIXTURES, load_archive, make_project, run_cli

CASES = sorted((FIXTURES / "问题").iterdir())


def read_expectation(case: Path) -> tuple[int, list[str], list[str]]:
    exit_code, args, lines = 0, [], []
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# exit:"):
            exit_code = int(line.split(":", 1)[1])
        elif line.startswith("# args:"):
            args = line.split(":", 1)[1].split()
        elif line.strip():
            lines.append(line)
    return exit_code, args, lines


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fixture_reports_expected_problems(case: Path, tmp_path: Path) -> None:
    exit_code, args, expected = read_expectation(case)
    project = make_project(tmp_path, case)
    result = run_cli(project, "check", *args)
    output = result.output
    assert "Traceback" not in output
    assert result.exit_code == exit_code, output
    for line in expected:
        assert any(line in printed for printed in output.splitlines()), f"missing: {line}\n{output}"
    summary = output.strip().splitlines()[-1]
    assert summary.startswith("检查未通过" if exit_code else "检查通过"), summary
    if exit_code == 0:  # a warning: `--strict` must turn it into a failing error
        strict = run_cli(project, "check", "--strict", *args)
        assert strict.exit_code == 1
        for line in expected:
            as_error = line.replace(": 警告：", ": 错误：")
            assert any(as_error in printed for printed in strict.output.splitlines()), as_error


def test_base_project_is_clean(project: Path) -> None:
    result = run_cli(project, "check", "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "检查通过：3 个文件，0 个错误，0 个警告。"


def test_numbers_and_dates_are_read_as_an_office_writes_them(project: Path) -> None:
    """Zero-padded numbers are decimal (YAML 1.1 would read 0120 as 80), a quoted date is a
    date, and a number-like headline keeps its digits."""
    issue = project / "content" / "2021" / "02.yml"
    text = issue.read_text(encoding="utf-8")
    text = text.replace("number: 2\n", "number: 02\ncopies: 0120\n")
    text = text.replace("date: 2021-06-04\n", 'date: "2021-06-04"\n', 1)
    text = text.replace("title: 省厅印发大调研工作方案", "title: 2021.10")
    issue.write_text(text, encoding="utf-8")
    assert run_cli(project, "check", "--strict").exit_code == 0
    second = load_archive(project / "site_config.yml").find(2021, 2)
    assert second is not None
    assert (second.copies, second.date, second.items[0].title) == (120, dt.date(2021, 6, 4), "2021.10")


def test_code_is_not_checked_for_punctuation(tmp_path: Path) -> None:
    """Code (inline, indented, fenced) prints as written: only the prose line is warned about."""
    project = make_project(tmp_path, FIXTURES / "问题" / "代码中的半角标点")
    result = run_cli(project, "check")
    assert result.output.strip().splitlines()[-1].endswith("0 个错误，2 个警告。"), result.output


def test_headline_lines_are_counted_as_the_contents_sets_them() -> None:
    assert toc_lines("字" * 27) == 1
    assert toc_lines("字" * 27 + "。") == 1  # a closing mark hangs in the margin
    assert toc_lines("字" * 28) == 2
    assert toc_lines("字" * 54) == 2
    assert toc_lines("字" * 25 + "K2345+600") == 2  # the whole run moves down
    assert toc_lines("字" * 27 + "字" * 22 + "G318线K2345+600") == 3
