"""The MkDocs plugin that puts jianbao's pages into the build, in memory.

Pages are `File.generated` with an empty Markdown body: MkDocs gives them URLs, navigation and
the theme's layout, and each page's data reaches its template as `page.meta.jianbao`. Nothing is
written to a docs folder, so nothing stale can linger between builds. Given the last build of
the same site (`PageMemory`), pages whose fingerprint did not change are carried over instead of
rendered again (`incremental`).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_theme_dir

from generator.site.content import SiteContent
from generator.site.incremental import Carrier, PageKeys, PageMemory, UnchangedPage, environment_key
from generator.site.mkdocs_config import ARCHIVE_TAB, INDEX_TAB
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
    def __init__(
        self,
        content: SiteContent,
        theme_dirs: list[Path],
        memory: PageMemory | None = None,
        template_cache: Path | None = None,
    ) -> None:
        super().__init__()
        self.content = content
        self.template_cache = template_cache
        """Where Jinja keeps its compiled templates between builds (None: compiled anew)."""
        self.pages = {page_file(page.url): page for page in content.pages}
        self.theme_dirs = theme_dirs
        self.memory = memory or PageMemory()
        self.fingerprints: dict[str, str] = {}
        """Every page's fingerprint in this build, for the next one."""
        self.carried_over = 0
        """Pages taken from the last build instead of rendered."""
        self.lit_tab: Section | None = None

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        for file in list(files):
            if _is_unused_theme_asset(file):
                files.remove(file)
        keys = PageKeys(environment_key(config, self.theme_dirs))
        previous = self.memory.site
        carrier = Carrier(previous, Path(config.site_dir)) if previous is not None else None
        for source in sorted(self.pages):
            fingerprint = self.fingerprints[source] = keys.key(self.pages[source])
            page = File.generated(config, source, content="")
            if (
                self.memory.fingerprints.get(source) == fingerprint
                and carrier
                and carrier.carry(page, link=True)
            ):
                page = UnchangedPage.generated(config, source, content="")
                self.carried_over += 1
            files.append(page)
        files.append(File.generated(config, SiteUrls.FEED, content=self.content.feed))
        for site_path, path in self.content.media:
            files.append(File.generated(config, site_path, abs_src_path=str(path)))
        if carrier is not None:
            # Media and the theme's assets: MkDocs copies them again only when newer.
            for file in files:
                if not file.is_documentation_page() and file.abs_src_path is not None:
                    carrier.carry(file)
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
        if self.template_cache is not None:
            # Compiling Material's templates took 0.8 s of every build; Jinja checks each
            # cached one against its template's source.
            try:
                self.template_cache.mkdir(parents=True, exist_ok=True)
                env.bytecode_cache = FileSystemBytecodeCache(str(self.template_cache))
            except OSError:
                pass  # a cache that cannot be written is no error
        # The sitemap's <lastmod>: the content's date, never the build's. Set here, for every
        # page: a page carried over from the last build is never read, but is in the sitemap.
        for file in files.documentation_pages():
            site_page = self.pages.get(file.src_uri)
            if file.page is not None and site_page is not None and site_page.updated is not None:
                file.page.update_date = site_page.updated.isoformat()
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is not None:
            page.meta.update(
                template=site_page.template,
                title=site_page.title,
                hide=list(HIDDEN_SIDEBARS),
                jianbao=site_page.view(),
            )
        return markdown

    def on_page_context(self, context: dict, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        """A page the navigation does not list (an issue, an older year, one region's items)
        lights the header tab it belongs under, as the pages listed there do."""
        if page.parent is None and page not in nav.items:
            # archive/region/成都市/ and the like are indexes; issues and older years are the archive
            title = INDEX_TAB if page.url.startswith(SiteUrls.ARCHIVE) else ARCHIVE_TAB
            tabs = (item for item in nav.items if isinstance(item, Section) and item.title == title)
            self.lit_tab = next(tabs, None)
            if self.lit_tab is not None:
                self.lit_tab.active = True
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self.lit_tab is not None:
            self.lit_tab.active = False
            self.lit_tab = None
        return output


def _is_unused_theme_asset(file: File) -> bool:
    if file.src_dir is None or Path(file.src_dir).resolve() != _MATERIAL_DIR:
        return False
    return (
        file.src_uri.startswith(_UNUSED_THEME_ASSETS)
        or file.src_uri.endswith(".map")
        or (file.src_uri.startswith("assets/stylesheets/palette."))
    )
