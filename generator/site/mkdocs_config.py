"""The MkDocs configuration, built in Python from the publication: users never see an mkdocs.yml.

Offline by construction: no Google Fonts (`font: false`), no search plugin (Pagefind comes
separately), and the theme's own CSS instead of any CDN. The navigation holds the home page,
the years and the indexes, never the issues, so its size does not grow with every issue on
every page.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator.model import Publication
from generator.site.content import SiteContent
from generator.site.urls import SiteUrls, page_file
from generator.themes import BUNDLED_THEMES, theme_dir

DEFAULT_SITE_THEME = BUNDLED_THEMES / "default" / "site"


def site_theme_dirs(publication: Publication) -> list[Path]:
    """The theme's site/ folder, then the default theme's, for templates a theme does not override."""
    own = theme_dir(publication) / "site"
    dirs = [own] if own.is_dir() else []
    if DEFAULT_SITE_THEME.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(DEFAULT_SITE_THEME)
    return dirs


NAV_YEARS = 5
"""Years the navigation lists, newest first; the archive page (往期简报) lists every year.
Every page carries the navigation, so a list of every year would make the site grow faster
than the archive (measured: Material's nav macro calls 3.2 times as many at 1040 issues as at
520)."""


ARCHIVE_TAB = "往期简报"
INDEX_TAB = "分类索引"


def navigation(content: SiteContent) -> list[Any]:
    years = [{f"{year}年": page_file(SiteUrls.year(year))} for year in content.years[:NAV_YEARS]]
    return [
        {"首页": page_file(SiteUrls.HOME)},
        {ARCHIVE_TAB: [page_file(SiteUrls.ARCHIVE), *years]},
        {
            INDEX_TAB: [
                {"按栏目": page_file(SiteUrls.SECTIONS)},
                {"按地区": page_file(SiteUrls.REGIONS)},
                {"按标签": page_file(SiteUrls.TAGS)},
            ]
        },
    ]


def mkdocs_config(
    publication: Publication, content: SiteContent, *, docs_dir: Path, site_dir: Path
) -> MkDocsConfig:
    theme_dirs = site_theme_dirs(publication)
    options: dict[str, Any] = {
        # Escaped once here: Material prints these without escaping, and `| e` leaves Markup alone.
        "site_name": escape(publication.site_name or publication.title),
        "site_url": publication.site_url,
        "site_description": escape(publication.title),
        "site_author": escape(publication.office),
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "theme": {
            "name": "material",
            "custom_dir": str(theme_dirs[0]),
            "language": "zh",
            "font": False,
            "favicon": "assets/jianbao/favicon.svg",
            "icon": {"logo": "material/newspaper-variant-outline"},
            "features": ["navigation.tabs", "navigation.indexes", "navigation.sections"],
        },
        "plugins": [],
        "markdown_extensions": [],
        "nav": navigation(content),
        "extra": {"jianbao": content.globals},
        "validation": {
            "nav": {"omitted_files": "ignore", "not_found": "warn", "absolute_links": "ignore"},
            "links": {
                "not_found": "ignore",
                "anchors": "ignore",
                "absolute_links": "ignore",
                "unrecognized_links": "ignore",
            },
        },
    }
    # An empty file, not None: MkDocs would otherwise look for ./mkdocs.yml.
    config_file = docs_dir.parent / "mkdocs.yml"  # never written: it only anchors relative paths
    config = load_config(io.StringIO("{}"), config_file_path=str(config_file), **options)
    for extra_dir in theme_dirs[1:]:
        config.theme.dirs.insert(config.theme.dirs.index(str(theme_dirs[0])) + 1, str(extra_dir))
    return config
