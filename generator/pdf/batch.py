"""Every issue's PDF for a build: cached by fingerprint, rendered in worker processes.

A PDF depends on the issue (its print data is made from it, with the publication), its
images, the theme's print templates and the fonts; the fingerprint of those names a file in
the cache, so an edit to one issue re-renders only that issue. Rendering runs in a process
pool (one Typst compiler per worker), so it overlaps with the site build in the main process.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from generator.body import images, parse_body
from generator.files import digest_tree, link_or_copy, source_date, write_atomic
from generator.model import Archive, Issue, Publication
from generator.pdf.fonts import ResolvedFonts, resolve_fonts
from generator.pdf.render import TEMPLATE, PdfRenderer
from generator.pickle_cache import code_version, pickled_by_value
from generator.themes import theme_file

CACHE_FOLDER = ".jianbao-cache/pdf"

_worker_renderer: PdfRenderer | None = None


def _start_worker(publication: Publication) -> None:
    """One Typst compiler per worker. Ctrl-C is the main process's to handle: it stops the pool."""
    global _worker_renderer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()  # forked while the build had it off; a worker lives as long as the build
    _worker_renderer = PdfRenderer(publication)


def _render_in_worker(issue: Issue, target: Path) -> None:
    """Render straight into the cache: PDFs never travel back through the pool's pipe, and the
    main process never holds them (a thousand issues are 400 MB of PDF)."""
    assert _worker_renderer is not None
    write_atomic(target, _worker_renderer.render(issue))


@dataclass
class PdfJob:
    """PDFs being produced for one build; `finish` waits and writes them."""

    archive: Archive
    issues: list[Issue]
    keys: dict[str, str]
    cache: Path
    pending: dict[str, Future[None]]
    pool: ProcessPoolExecutor | None

    @property
    def cached(self) -> int:
        return len(self.issues) - len(self.pending)

    def finish(self, folder: Path, progress: Callable[[int, int], None]) -> int:
        """Write every PDF into `folder` (from the cache or a worker); return how many were rendered."""
        folder.mkdir(parents=True, exist_ok=True)
        done = 0
        try:
            for issue in self.issues:
                future = self.pending.get(issue.slug)
                if future is not None:
                    future.result()  # raises what the worker raised
                link_or_copy(self.cache / f"{self.keys[issue.slug]}.pdf", folder / issue.pdf_name)
                done += 1
                progress(done, len(self.issues))
        finally:
            self.close()
        return len(self.pending)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def start_pdfs(archive: Archive, issues: list[Issue], workers: int | None = None) -> PdfJob:
    """Look up each issue in the cache and start rendering the others in the background."""
    publication = archive.publication
    fonts = resolve_fonts(publication)
    cache = publication.root / CACHE_FOLDER
    cache.mkdir(parents=True, exist_ok=True)
    base = _environment_key(publication, fonts)
    keys = {issue.slug: _issue_key(base, publication, issue) for issue in issues}
    missing = [issue for issue in issues if not (cache / f"{keys[issue.slug]}.pdf").is_file()]
    pool = None
    pending: dict[str, Future[None]] = {}
    if missing:
        count = workers or max(1, min(len(missing), os.cpu_count() or 1))
        # fork is cheapest, but not safe once other threads run: jianbao serve's live-reload
        # server, or the native threads of a Typst compiler already used in this process.
        context = multiprocessing.get_context("fork" if _threads() == 1 else "spawn")
        pool = ProcessPoolExecutor(
            max_workers=count, mp_context=context, initializer=_start_worker, initargs=(publication,)
        )
        pending = {
            issue.slug: pool.submit(_render_in_worker, issue, cache / f"{keys[issue.slug]}.pdf")
            for issue in missing
        }
    return PdfJob(archive, issues, keys, cache, pending, pool)


def _threads() -> int:
    """Threads of this process, native ones included (Linux); Python's own elsewhere."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _environment_key(publication: Publication, fonts: ResolvedFonts) -> bytes:
    """What every PDF depends on besides its own issue: the publication, the templates, the
    fonts, jianbao's code (which makes the print data), Typst itself, SOURCE_DATE_EPOCH."""
    digest = hashlib.sha256(f"typst {version('typst')}\0{code_version()}".encode())
    template_dir = theme_file(publication, TEMPLATE).parent
    digest_tree(digest, template_dir, "*.typ")
    for path in fonts.files:
        stat = Path(path).stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    when = source_date()
    digest.update(pickled_by_value((publication, fonts.chains, when and when.isoformat())))
    return digest.digest()


def _issue_key(base: bytes, publication: Publication, issue: Issue) -> str:
    """The issue's fingerprint: the issue as read (pickled by value: its print data is made
    from it) and the bytes of its images."""
    bodies = [issue.note or ""] + [item.body for item in issue.items]
    pictures = []
    for image in (image for body in bodies for image in images(parse_body(body))):
        path = publication.content_dir / image["src"].lstrip("/")
        pictures.append(hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing")
    return hashlib.sha256(base + pickled_by_value((issue, pictures))).hexdigest()[:32]
