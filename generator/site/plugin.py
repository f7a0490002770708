"""The MkDocs plugin that puts jianbao's pages into the build, in memory.

Pages are `File.generated` with an empty Markdown body: MkDocs gives them URLs, navigation and
the theme's layout, and each page's data reaches its template as `page.meta.jianbao`. Nothing is
written to a docs folder, so nothing stale can linger between builds.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_theme_dir

from generator.site.content import SiteContent
from generator.site.urls import SiteUrls, page_file

_UNUSED_THEME_ASSETS = ("assets/javascripts/", "assets/images/favicon.png")
"""Material's scripts (search worker, lunr, and a bundle that can fetch from unpkg.com and the
GitHub API) and its favicon: the site uses none of them and must not ship code that reaches out."""

_MATERIAL_DIR = Path(get_theme_dir("material")).resolve()

AUTOESCAPED_FOLDER = "jianbao/"
HIDDEN_SIDEBARS = ("navigation", "toc")
"""Every page is centred like a sheet of paper: the header's tabs navigate on wide screens, the
drawer (Material's navigation sidebar) on phones. Issues are not in the navigation, so a side
list would be empty on most pages."""


class JianbaoPlugin(BasePlugin):
    def __init__(self, content: SiteContent) -> None:
        super().__init__()
        self.content = content
        self.pages = {page_file(page.url): page for page in content.pages}

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        for file in list(files):
            if _is_unused_theme_asset(file):
                files.remove(file)
        for source in sorted(self.pages):
            files.append(File.generated(config, source, content=""))
        files.append(File.generated(config, SiteUrls.FEED, content=self.content.feed))
        for site_path, path in self.content.media:
            files.append(File.generated(config, site_path, abs_src_path=str(path)))
        return files

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """Autoescape jianbao's own templates (everything under `jianbao/` in the theme).

        MkDocs' environment does not autoescape, and Material's templates rely on that; ours
        print user text, which must always be escaped.
        """
        inherited = env.autoescape

        def autoescape(name: str | None) -> bool:
            if name is not None and name.startswith(AUTOESCAPED_FOLDER):
                return True
            return bool(inherited(name) if callable(inherited) else inherited)

        env.autoescape = autoescape
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is not None:
            page.meta.update(
                template=site_page.template,
                title=site_page.title,
                hide=list(HIDDEN_SIDEBARS),
                jianbao=site_page.data,
            )
            if site_page.updated is not None:
                # The sitemap's <lastmod>: the content's date, never the build's.
                page.update_date = site_page.updated.isoformat()
        return markdown


def _is_unused_theme_asset(file: File) -> bool:
    if file.src_dir is None or Path(file.src_dir).resolve() != _MATERIAL_DIR:
        return False
    return (
        file.src_uri.startswith(_UNUSED_THEME_ASSETS)
        or file.src_uri.endswith(".map")
        or (file.src_uri.startswith("assets/stylesheets/palette."))
    )
