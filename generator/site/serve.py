"""`serve_site`: build, serve on a local address, rebuild and reload the browser on every change.

MkDocs' own LiveReloadServer does the serving, watching and reloading; jianbao only supplies
the builder (reload the archive, build the site) and the paths to watch.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from generator.model import Archive
from generator.problems import UserError
from generator.site.build import build_site
from generator.site.incremental import PageMemory

AfterBuild = Callable[[Archive, Path], None]


def serve_site(
    archive_loader: Callable[[], Archive],
    host: str,
    port: int,
    include_drafts: bool,
    *,
    with_pdf: bool = True,
    watch: Sequence[Path] = (),
    after_build: AfterBuild | None = None,
    on_listen: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted (Ctrl-C). A failing rebuild keeps the last good site online.

    `archive_loader` is called for every build and should raise when the content has errors
    (after printing them). Watched: content/, site_config.yml and the project's themes/, plus
    `watch`. `after_build(archive, site_dir)` runs after each build, e.g. to index the search
    and write the PDFs (`with_pdf`: whether it does, so that pages link to them).
    `on_listen(url)` runs once the port is taken, before the first build. Raises
    `PortUnavailable` when the port is busy or privileged.
    """
    site_dir = Path(tempfile.mkdtemp(prefix="jianbao-serve-")).resolve()
    memory = PageMemory()  # of the last build: unchanged pages are not rendered again

    def build(archive: Archive) -> None:
        nonlocal memory
        report = build_site(
            archive, site_dir, include_drafts=include_drafts, with_pdf=with_pdf, memory=memory
        )
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

    server = _Server(builder=rebuild, host=host, port=port, root=str(site_dir))
    try:
        server.listen()  # before the first build: a busy port is told at once
        if on_listen is not None:
            on_listen(server.url)
        archive = archive_loader()
        build(archive)
        server.error_handler = lambda code: _error_page(site_dir, code)
        for path in _watched(archive, watch):
            server.watch(str(path))
        with contextlib.suppress(KeyboardInterrupt):
            server.serve()
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


class PortUnavailable(UserError):
    """The port is taken by another program, or needs privileges jianbao does not have."""


class _Server(LiveReloadServer):
    """MkDocs' server, made to listen (`listen`) before its `serve` starts serving."""

    _listening = False

    def listen(self) -> None:
        try:
            self.server_bind()
            self.server_activate()
        except OSError as error:
            if error.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
            host, port = self.server_address[:2]
            raise PortUnavailable(_refusal(host, port, error.errno)) from error
        self._listening = True

    def server_bind(self) -> None:
        if not self._listening:
            super().server_bind()

    def server_activate(self) -> None:
        if not self._listening:
            super().server_activate()


def _refusal(host: str, port: int, code: int) -> str:
    other = _free_port_near(host, port)
    instead = f"，例如 jianbao serve --port {other}" if other else ""
    if code == errno.EACCES:
        return (
            f"没有权限使用端口 {port}（1024 以下的端口通常需要管理员权限）。请用 --port 换一个端口{instead}。"
        )
    return f"端口 {port} 已被占用（也许另一个 jianbao serve 还在运行）。请用 --port 换一个端口{instead}。"


def _free_port_near(host: str, port: int) -> int | None:
    """A port after `port` (from 8000 for a privileged one) that is free right now, if one of the next few is."""
    start = max(port + 1, 8000) if port < 1024 else port + 1
    for candidate in range(start, min(start + 20, 65536)):
        with socket.socket() as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return None


def _watched(archive: Archive, extra: Sequence[Path]) -> list[Path]:
    root = archive.publication.root
    candidates = [archive.publication.content_dir, root / "site_config.yml", root / "themes", *extra]
    return [path for path in candidates if path.exists()]


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code == 404 and page.is_file() else None
