"""`jianbao serve` for real: a subprocess on a free port, a page over HTTP, an edit, the page again."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.conftest import make_project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    """The page as built: without the script MkDocs' server adds to every page it serves (it
    carries the server's build counter)."""
    with urllib.request.urlopen(url, timeout=5) as response:
        html = response.read().decode("utf-8")
    return re.sub(r"<script>(?:(?!</script>).)*livereload.*?</script>", "", html, flags=re.DOTALL)


def wait_for(test: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if test():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_serve_rebuilds_an_edited_issue(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "generator", "serve", "--no-pdf", "--port", str(port)]
    server = subprocess.Popen(
        command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        wait_for(lambda: "省厅印发大调研工作方案" in fetch(base + "2021/02/"))
        assert fetch(base + "pagefind/shards.json").startswith('{"bundles": ["2021-q2"]')
        other = fetch(base + "2021/01/")

        issue = project / "content" / "2021" / "02.yml"
        issue.write_text(
            issue.read_text(encoding="utf-8").replace("省厅印发大调研工作方案", "省厅印发大调研实施方案"),
            encoding="utf-8",
        )
        wait_for(lambda: "省厅印发大调研实施方案" in fetch(base + "2021/02/"))
        assert fetch(base + "2021/01/") == other
    finally:
        os.killpg(server.pid, signal.SIGINT)
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors.decode("utf-8"), errors
