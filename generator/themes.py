"""Where a theme's templates live: the project's own `themes/<name>/`, else the bundled one."""

from __future__ import annotations

from pathlib import Path

from generator.model import Publication

BUNDLED_THEMES = Path(__file__).resolve().parent.parent / "themes"


def theme_dir(publication: Publication) -> Path:
    for base in (publication.root / "themes", BUNDLED_THEMES):
        candidate = base / publication.theme
        if candidate.is_dir():
            return candidate
    return BUNDLED_THEMES / "default"


def theme_file(publication: Publication, relative: str) -> Path:
    """A template file of the theme, falling back to the default theme's copy."""
    own = theme_dir(publication) / relative
    return own if own.is_file() else BUNDLED_THEMES / "default" / relative
