"""`serve_site`: build, serve on a local address, rebuild and reload the browser on every change.

MkDocs' own LiveReloadServer does the serving, watching and reloading; jianbao only supplies
the builder (reload the archive, build the site) and the paths to watch.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from generator.model import Archive
from generator.site.build import build_site
from generator.site.incremental import PageMemory

AfterBuild = Callable[[Archive, Path], None]


def serve_site(
    archive_loader: Callable[[], Archive],
    host: str,
    port: int,
    include_drafts: bool,
    *,
    watch: Sequence[Path] = (),
    after_build: AfterBuild | None = None,
) -> None:
    """Serve until interrupted (Ctrl-C). A failing rebuild keeps the last good site online.

    `archive_loader` is called for every build and should raise when the content has errors
    (after printing them). Watched: content/, site_config.yml and the project's themes/, plus
    `watch`. `after_build(archive, site_dir)` runs after each build, e.g. to index the search
    and write the PDFs.
    """
    site_dir = Path(tempfile.mkdtemp(prefix="jianbao-serve-")).resolve()
    memory = PageMemory()  # of the last build: unchanged pages are not rendered again

    def build(archive: Archive) -> None:
        nonlocal memory
        report = build_site(archive, site_dir, include_drafts=include_drafts, memory=memory)
        memory = PageMemory(site_dir, report.fingerprints)
        if after_build is not None:
            after_build(archive, site_dir)

    def rebuild() -> None:
        try:
            build(archive_loader())
        except (Exception, SystemExit) as error:
            # The loader has printed the content problems; keep serving the last good site.
            reason = "" if isinstance(error, SystemExit) else f"（{error}）"
            print(f"jianbao：重新生成失败{reason}，浏览器中仍是上一次生成的网页。", file=sys.stderr)

    try:
        archive = archive_loader()
        build(archive)
        server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
        server.error_handler = lambda code: _error_page(site_dir, code)
        for path in _watched(archive, watch):
            server.watch(str(path))
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _watched(archive: Archive, extra: Sequence[Path]) -> list[Path]:
    root = archive.publication.root
    candidates = [archive.publication.content_dir, root / "site_config.yml", root / "themes", *extra]
    return [path for path in candidates if path.exists()]


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code == 404 and page.is_file() else None
