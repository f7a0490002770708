"""`jianbao serve` for real: a subprocess on a free port, a page over HTTP, an edit, the page again."""

from __future__ import annotations

import errno
import os
import re
import signal
import socket
import socketserver
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.model import Archive
from generator.site import serve_site
from generator.site.serve import PortUnavailable
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


def test_serve_on_a_busy_port_says_so_before_building(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "generator", "serve", "--no-pdf", "--port", str(port)]
        completed = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1, completed.stderr
    assert f"jianbao：端口 {port} 已被占用" in completed.stderr
    assert "请用 --port 换一个端口" in completed.stderr
    assert "预览地址" not in completed.stderr  # not before the server listens
    assert "内部错误" not in completed.stderr and "Traceback" not in completed.stderr


def test_serve_on_a_privileged_port_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may run as root, where port 80 is allowed: the refusal is simulated."""

    def refuse(server: socketserver.TCPServer) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    def never() -> Archive:
        raise AssertionError("built before the port was taken")

    monkeypatch.setattr(socketserver.TCPServer, "server_bind", refuse)
    with pytest.raises(PortUnavailable, match=r"没有权限使用端口 80（.*）。请用 --port 换一个端口"):
        serve_site(never, "127.0.0.1", 80, False, on_listen=lambda url: never())
