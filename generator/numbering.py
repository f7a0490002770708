"""Issue numbers: 总第N期 across years, and the next number for `jianbao new`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.load import REGULAR_FILE, SUPPLEMENT_FILE
from generator.model import Issue
from generator.problems import Problems


def assign_totals(issues: list[Issue], problems: Problems) -> list[Issue]:
    """Fill in 总第N期 for regular issues (and 专刊) that do not state it.

    The count runs across years in (year, number) order. An explicit `total` sets the
    count from there on, so an archive that starts mid-way can say where it stands.
    """
    result = {id(issue): issue for issue in issues}
    running: int | None = None
    previous: Issue | None = None
    for issue in sorted((i for i in issues if not i.is_supplement), key=lambda i: (i.year, i.number)):
        expected = 1 if running is None else running + 1
        if issue.total is None:
            result[id(issue)] = dataclasses.replace(issue, total=expected)
            running = expected
            previous = issue
            continue
        if previous is not None and issue.total != expected:
            problems.warning(
                issue.path,
                issue.lines.get("total"),
                f"总第{issue.total}期与上一期（{previous.label}，总第{expected - 1}期）不连续：请核对 total。",
            )
        running = issue.total
        previous = issue
    return [result[id(issue)] for issue in issues]


def next_number(year_folder: Path, supplement: bool) -> int:
    """The number after the highest one in the year's folder (files count even if broken)."""
    pattern = SUPPLEMENT_FILE if supplement else REGULAR_FILE
    numbers = [
        int(match.group(1))
        for path in (year_folder.iterdir() if year_folder.is_dir() else [])
        if (match := pattern.match(path.name))
    ]
    return max(numbers, default=0) + 1
