"""The whole build: phases in a fixed order, into a staging folder swapped in at the end.

PDFs start first, in worker processes (most of them straight from the cache), while the main
process builds the pages and the search index; then the PDFs are collected. A failing or
interrupted build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from generator.files import OUTPUT_MARK, OUTPUT_MARK_TEXT, remove, swap_in
from generator.model import Archive
from generator.pdf.batch import start_pdfs


class Progress(Protocol):
    """What a build reports while it runs (the CLI shows it; tests and CI ignore it)."""

    def phase(self, name: str) -> None: ...

    def pdfs(self, done: int, total: int) -> None: ...


class Silent:
    def phase(self, name: str) -> None:
        pass

    def pdfs(self, done: int, total: int) -> None:
        pass


@dataclass
class BuildReport:
    issues: int = 0
    pdfs: int = 0
    pdfs_rendered: int = 0
    pages: int = 0
    pages_carried_over: int = 0
    """Pages copied from the last build because nothing they show changed."""
    search_items: int = 0
    search_bundles: int = 0
    search_bundles_indexed: int = 0
    """Bundles Pagefind indexed in this build; the others came from the cache."""
    phases: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.phases[phase] = self.phases.get(phase, 0.0) + time.perf_counter() - start


def build(
    archive: Archive,
    out_dir: Path,
    *,
    include_drafts: bool = False,
    with_pdf: bool = True,
    progress: Progress | None = None,
) -> BuildReport:
    from generator.search import index_site
    from generator.site import build_site  # the web back end; imported only when building a site
    from generator.site.incremental import PageMemory

    # The loaded archive lives as long as the build: the garbage collector need not walk it
    # again on every full collection (at 1040 issues that made the build grow faster than
    # the archive), and forked PDF workers then share its pages instead of copying them.
    # Nor does it run during the build: the page data, the pages and the search records are
    # millions of objects that live until the build ends, walked again by every collection
    # (pages phase at 520 issues: 15-20 % faster; the main process 30 MB larger).
    gc.freeze()
    gc.disable()
    progress = progress or Silent()
    out_dir = out_dir.resolve()
    staging = out_dir.with_name(f".{out_dir.name}.building")
    remove(staging)
    staging.mkdir(parents=True)
    (staging / OUTPUT_MARK).write_text(OUTPUT_MARK_TEXT, encoding="utf-8")
    issues = archive.visible(include_drafts)
    report = BuildReport(issues=len(issues))
    root = archive.publication.root
    memory = PageMemory.recall(root, out_dir)
    job = None
    try:
        if with_pdf:
            with report.timed("PDF（启动）"):
                job = start_pdfs(archive, issues)
        progress.phase("生成网页")
        with report.timed("网页"):
            site = build_site(
                archive, staging, include_drafts=include_drafts, with_pdf=with_pdf, memory=memory
            )
        report.pages, report.pages_carried_over = site.pages, site.carried_over
        progress.phase("建立检索索引")
        with report.timed("检索索引"):
            index = index_site(archive, staging)  # published items only, even when drafts are built
        report.search_items, report.search_bundles = index.records, index.bundles
        report.search_bundles_indexed = index.indexed
        if job is not None:
            progress.phase("排版 PDF")
            with report.timed("PDF（等待）"):
                report.pdfs_rendered = job.finish(staging / "pdf", progress.pdfs)
            report.pdfs = len(issues)
        with report.timed("替换输出"):
            swap_in(staging, out_dir)
        memory.remember(root, out_dir, site.fingerprints)
    except BaseException:
        remove(staging)
        raise
    finally:
        if job is not None:
            job.close()
        gc.enable()  # `jianbao serve` builds again and again in one process
    return report


def write_pdfs(archive: Archive, folder: Path, include_drafts: bool, progress: Progress | None = None) -> int:
    """Every visible issue's PDF into `folder` (for `jianbao serve`); returns how many were rendered."""
    job = start_pdfs(archive, archive.visible(include_drafts))
    return job.finish(folder, (progress or Silent()).pdfs)
