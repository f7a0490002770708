"""PDF speed: ms per issue, cold (a fresh process: fonts scanned, template parsed) and warm.

    .venv/bin/python benchmarks/pdf_speed.py [--config site_config.yml]

The anchor row renders the same issues with the theme's line breaker (print/grid-par.typ)
replaced by Typst's own (benchmarks/typst-line-breaking/grid-par.typ): what the template costs
beyond Typst's own layout of the same text, measured in the same run.

Prints a Markdown table; record it in docs/benchmarks.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from generator.model import Issue, Publication
from generator.pdf import PdfRenderer
from generator.themes import theme_dir

COLD = """
import sys, time
from pathlib import Path
start = time.perf_counter()
from generator.project import load_project
from generator.pdf import PdfRenderer
archive = load_project(Path(sys.argv[1])).archive
issue = archive.find(2021, 6) or archive.issues[0]
loaded = time.perf_counter()
PdfRenderer(archive.publication).render(issue)
print((time.perf_counter() - loaded) * 1000, (loaded - start) * 1000)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, default=Path("site_config.yml"))
    args = parser.parse_args()

    from generator.project import load_project

    archive = load_project(args.config).archive
    if archive is None:
        sys.exit("the archive has errors: run jianbao check")

    cold_runs = []
    for _ in range(3):
        output = subprocess.run(
            [sys.executable, "-c", COLD, str(args.config)], capture_output=True, text=True, check=True
        ).stdout.split()
        cold_runs.append(float(output[0]))

    issues = archive.visible(include_drafts=True)
    warm = warm_times(PdfRenderer(archive.publication), issues)
    with tempfile.TemporaryDirectory(prefix="jianbao-typst-breaking-") as scratch:
        plain = plain_breaking(archive.publication, Path(scratch))
        anchor = warm_times(PdfRenderer(plain), issues)
    print(
        f"machine: {platform.machine()}, {platform.processor() or platform.system()}, python {platform.python_version()}"
    )
    print(f"issues: {len(issues)}, each rendered once warm")
    print()
    print("| measure | ms per issue |")
    print("|---|---:|")
    print(f"| cold (fresh process, first issue; median of 3) | {statistics.median(cold_runs):.0f} |")
    print(f"| warm (one reused compiler; median) | {statistics.median(warm):.1f} |")
    print(f"| warm (mean) | {statistics.mean(warm):.1f} |")
    print(f"| warm (max) | {max(warm):.1f} |")
    print(f"| anchor: warm, Typst's own line breaking (median) | {statistics.median(anchor):.1f} |")


def warm_times(renderer: PdfRenderer, issues: list[Issue]) -> list[float]:
    """ms for each issue but the first (the warm-up: fonts loaded, template parsed). Each is
    timed once: Typst memoizes, so rendering the same data again would be nearly free, and
    that is not what a build does."""
    renderer.render(issues[0])
    times = []
    for issue in issues[1:]:
        start = time.perf_counter()
        renderer.render(issue)
        times.append((time.perf_counter() - start) * 1000)
    return times


def plain_breaking(publication: Publication, scratch: Path) -> Publication:
    """The publication with a theme of its own in `scratch`: the print templates, but Typst's
    line breaking (Typst reads files under one root, so content/ is copied beside it)."""
    theme = scratch / "themes" / "typst-line-breaking"
    shutil.copytree(theme_dir(publication) / "print", theme / "print")
    shutil.copy(Path(__file__).parent / "typst-line-breaking" / "grid-par.typ", theme / "print")
    shutil.copytree(publication.content_dir, scratch / publication.content_dir.name)
    return replace(publication, root=scratch, theme=theme.name)


if __name__ == "__main__":
    main()
