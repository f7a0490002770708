"""Build progress for people at a terminal (rich): the current phase and a bar for PDFs.

Quiet when stderr is not a terminal or when CI is set, so logs and tests stay clean.
"""

from __future__ import annotations

import os
import sys
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


def wanted() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class TerminalProgress:
    """A context manager implementing generator.build.Progress with a rich display."""

    def __init__(self) -> None:
        self.enabled = wanted()
        self.display = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=not self.enabled,
        )
        self.phase_task = self.display.add_task("准备", total=None)
        self.pdf_task: int | None = None

    def __enter__(self) -> TerminalProgress:
        self.display.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.display.stop()

    def phase(self, name: str) -> None:
        self.display.update(self.phase_task, description=name)

    def pdfs(self, done: int, total: int) -> None:
        if self.pdf_task is None:
            self.pdf_task = self.display.add_task("PDF", total=total)
        self.display.update(self.pdf_task, completed=done)
