"""PDF speed: ms per issue, cold (a fresh process: fonts scanned, template parsed) and warm.

    .venv/bin/python benchmarks/pdf_speed.py [--config site_config.yml]

Prints a Markdown table; record it in docs/benchmarks.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

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

    from generator.pdf import PdfRenderer
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

    renderer = PdfRenderer(archive.publication)
    issues = archive.visible(include_drafts=True)
    renderer.render(issues[0])  # warm-up: fonts loaded, template parsed
    # Each other issue is timed once: Typst memoizes, so re-rendering the same data would be
    # nearly free, and that is not what a build does.
    warm: list[float] = []
    for issue in issues[1:]:
        start = time.perf_counter()
        renderer.render(issue)
        warm.append((time.perf_counter() - start) * 1000)
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


if __name__ == "__main__":
    main()
