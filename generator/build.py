"""The whole build: phases in a fixed order, into a staging folder swapped in at the end.

A failing or interrupted build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import Archive
from generator.pdf import PdfRenderer

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    issues: int = 0
    pdfs: int = 0
    phases: dict[str, float] = field(default_factory=dict)


def build(
    archive: Archive,
    out_dir: Path,
    *,
    include_drafts: bool = False,
    with_pdf: bool = True,
    progress: Progress = lambda _message: None,
) -> BuildReport:
    from generator.search import index_site
    from generator.site import build_site  # the web back end; imported only when building a site

    out_dir = out_dir.resolve()
    staging = out_dir.with_name(f".{out_dir.name}.building")
    _remove(staging)
    staging.mkdir(parents=True)
    report = BuildReport(issues=len(archive.visible(include_drafts)))
    try:
        progress("生成网页")
        build_site(archive, staging, include_drafts=include_drafts)
        progress("建立检索索引")
        index_site(archive, staging)  # published items only, even when drafts are built
        if with_pdf:
            report.pdfs = write_pdfs(archive, staging / "pdf", include_drafts, progress)
        _swap_in(staging, out_dir)
    except BaseException:
        _remove(staging)
        raise
    return report


def write_pdfs(archive: Archive, folder: Path, include_drafts: bool, progress: Progress) -> int:
    issues = archive.visible(include_drafts)
    folder.mkdir(parents=True, exist_ok=True)
    renderer = PdfRenderer(archive.publication)
    for index, issue in enumerate(issues, start=1):
        progress(f"排版 PDF {index}/{len(issues)}：{issue.label}")
        (folder / issue.pdf_name).write_bytes(renderer.render(issue))
    return len(issues)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by staging with two renames, so the old site is never half-deleted."""
    previous = out_dir.with_name(f".{out_dir.name}.previous")
    _remove(previous)
    if out_dir.exists():
        os.replace(out_dir, previous)
    os.replace(staging, out_dir)
    _remove(previous)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
