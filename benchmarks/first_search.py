"""What a first search costs in the browser: files and bytes fetched from pagefind/, and the time
from typing the query to the results, in Debian's Chromium with an empty browser cache.

    .venv/bin/python benchmarks/first_search.py SITE_DIR [QUERY …]

SITE_DIR is a built site (e.g. /tmp/jb-bench/archive-520/site from benchmarks/run.py). Prints a
Markdown table; record it in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import chromium, offline_context, served

DONE = """() => {
  const box = document.querySelector('[data-jb-search]');
  return box.getAttribute('data-jb-searched')
    && !/正在检索/.test(box.querySelector('.jb-search__status').textContent);
}"""


def first_search(browser: object, base_url: str, site: Path, query: str) -> tuple[str, int, int, float]:
    """(status line, files, bytes, seconds) of one query in a fresh browser context."""
    with offline_context(browser, viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        page.goto(base_url)
        fetched: list[str] = []
        context.on("requestfinished", lambda request: fetched.append(request.url))
        box = page.locator("#jb-search-input")
        box.click()
        start = time.perf_counter()
        box.fill(query)
        page.wait_for_function(DONE, timeout=60_000)
        seconds = time.perf_counter() - start
        status = page.locator(".jb-search__status").inner_text()
    files = {unquote(urlsplit(url).path).lstrip("/") for url in fetched if "/pagefind/" in url}
    size = sum((site / name).stat().st_size for name in files if (site / name).is_file())
    return status, len(files), size, seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="*", default=["超限检测站", "达州市", "执法", "量子纠缠"])
    args = parser.parse_args()
    print("| query | result | files | kB | s |")
    print("|---|---|---:|---:|---:|")
    with served(args.site) as base_url, chromium() as browser:
        for query in args.queries:
            status, files, size, seconds = first_search(browser, base_url, args.site, query)
            print(f"| {query} | {status} | {files} | {size / 1000:.0f} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
