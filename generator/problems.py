"""Problems found in the content, collected before anything is reported.

Validation never stops at the first problem: every loader and rule appends to one
`Problems` list, and the CLI prints them all at once (as MkDocs does for its config).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int | None
    severity: Severity
    message: str

    def format(self, root: Path | None = None) -> str:
        location = display_path(self.path, root)
        if self.line is not None:
            location = f"{location}:{self.line}"
        return f"{location}: {self.severity}：{self.message}"


def display_path(path: Path, root: Path | None) -> str:
    """The path as the user knows it: relative to the project when it lies inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def error(self, path: Path, line: int | None, message: str) -> None:
        self.items.append(Problem(path, line, Severity.ERROR, message))

    def warning(self, path: Path, line: int | None, message: str) -> None:
        self.items.append(Problem(path, line, Severity.WARNING, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (str(p.path), p.line or 0, p.message))

    def strict(self) -> Problems:
        """The same problems with every warning raised to an error (`--strict`)."""
        return Problems([Problem(p.path, p.line, Severity.ERROR, p.message) for p in self.items])


class UserError(Exception):
    """A failure the user can fix (missing fonts, a refused publish…): its message is for them."""
