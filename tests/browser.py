"""Browser-test helpers: Debian's Chromium through Playwright, a local server, and a context
that fails on any request leaving 127.0.0.1. Never downloads a browser."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def offline_context(browser: Any, **options: Any) -> Iterator[Any]:
    """A browser context that records the host of every request and fails on any but 127.0.0.1."""
    context = browser.new_context(**options)
    hosts: list[str | None] = []
    context.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    try:
        yield context
    finally:
        context.close()
    assert hosts, "no request was recorded"
    assert set(hosts) <= {"127.0.0.1"}, f"requests to other hosts: {set(hosts) - {'127.0.0.1'}}"
