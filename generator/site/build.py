"""`build_site`: the whole web archive into a folder, through MkDocs.

MkDocs empties its site_dir before building, and the caller writes PDFs into out_dir/pdf/, so
MkDocs builds into a hidden staging folder inside out_dir (same file system) and the result is
moved into place entry by entry; whatever else is in out_dir (pdf/) stays. Given the last build
of the same site, unchanged pages are carried over from it (`incremental`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import Abort

from generator.model import Archive
from generator.problems import UserError, display_path
from generator.site.content import site_content
from generator.site.incremental import PageMemory, dirty_build_allowed
from generator.site.mkdocs_config import mkdocs_config, site_theme_dirs
from generator.site.plugin import JianbaoPlugin

TEMPLATE_CACHE = ".jianbao-cache/templates"
"""Jinja's compiled templates (`JianbaoPlugin.template_cache`)."""


@dataclass(frozen=True)
class SiteReport:
    pages: int
    carried_over: int
    """Pages copied from the last build instead of rendered (`incremental`)."""
    fingerprints: dict[str, str]
    """Every page's fingerprint, for the next build (`PageMemory.remember`)."""


def build_site(
    archive: Archive,
    out_dir: Path,
    *,
    include_drafts: bool,
    with_pdf: bool = True,
    memory: PageMemory | None = None,
) -> SiteReport:
    """Write every page, the feed, the 404 page, media/ and the theme's assets into out_dir.

    With `memory` (the last build of the same site), unchanged pages are copied from it;
    `with_pdf`: whether pdf/ will hold the issues' PDFs (pages link to them only then)."""
    content = site_content(archive, include_drafts, with_pdf)
    memory = memory or PageMemory()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jianbao-site-", dir=out_dir))
    try:
        # MkDocs insists on a docs folder; the pages come from the plugin, so it stays empty.
        with tempfile.TemporaryDirectory(prefix="jianbao-mkdocs-") as scratch:
            docs_dir = Path(scratch) / "docs"
            docs_dir.mkdir()
            with quiet_mkdocs(archive.publication.root), dirty_build_allowed():
                config = mkdocs_config(archive.publication, content, docs_dir=docs_dir, site_dir=staging)
                plugin = JianbaoPlugin(
                    content,
                    site_theme_dirs(archive.publication),
                    memory,
                    template_cache=archive.publication.root / TEMPLATE_CACHE,
                )
                config.plugins["jianbao"] = plugin
                mkdocs_build(config, dirty=memory.site is not None)
        move_into(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SiteReport(len(content.pages), plugin.carried_over, plugin.fingerprints)


class SiteBuildError(UserError):
    """MkDocs refused the configuration or failed to build (its log says why)."""


def move_into(source: Path, destination: Path) -> None:
    for entry in sorted(source.iterdir()):
        target = destination / entry.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        os.replace(entry, target)


@contextlib.contextmanager
def quiet_mkdocs(root: Path) -> Iterator[None]:
    """MkDocs' English progress lines are noise for jianbao's users; its warnings still show.

    MkDocs aborts with a SystemExit, and a theme template of the project's own may not compile
    or render: each becomes a SiteBuildError the caller can report (paths relative to `root`).
    """
    logger = logging.getLogger("mkdocs")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    page_errors = logging.getLogger("mkdocs.commands.build")
    page_errors.addFilter(_reported_here)
    try:
        yield
    except Abort as abort:  # a SystemExit: never let it end the caller's process
        raise SiteBuildError(f"网页生成失败：{abort}") from abort
    except TemplateSyntaxError as error:
        where = display_path(Path(error.filename), root) if error.filename else error.name
        raise SiteBuildError(
            f"{where}:{error.lineno}: 错误：网页模板有语法错误（{error.message}）。"
            "请改正这个模板；删除它则使用默认主题的模板。"
        ) from error
    except TemplateError as error:
        # Jinja puts the template's lines into the traceback: the last one is where it failed.
        lines = [
            frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith(".html")
        ]
        where = f"{display_path(Path(lines[-1].filename), root)}:{lines[-1].lineno}: " if lines else ""
        raise SiteBuildError(f"{where}错误：网页模板出错（{error}）。请检查这个网页模板。") from error
    finally:
        logger.setLevel(previous)
        page_errors.removeFilter(_reported_here)


def _reported_here(record: logging.LogRecord) -> bool:
    """MkDocs logs a page that fails ("Error building page …", in English) before it raises
    the error, which becomes a message in Chinese here."""
    return not record.getMessage().startswith("Error building page")
