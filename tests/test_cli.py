"""The command line: Chinese help, exit codes, and the sample archive passing `check`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT, run_cli


def test_help_is_in_chinese(project: Path) -> None:
    result = run_cli(project, "--help")
    assert result.exit_code == 0
    assert "用法：" in result.output and "检查" in result.output and "显示帮助并退出" in result.output


def test_wrong_usage_exits_2(project: Path) -> None:
    assert run_cli(project, "check", "--no-such-flag").exit_code == 2
    assert run_cli(project, "new", "--date", "2021-13-01").exit_code == 2


def test_missing_config_is_a_clear_message(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "check")
    assert result.exit_code == 1
    assert "找不到配置文件" in result.output


def run_jianbao(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    """`jianbao` in a process of its own (`python -m generator`), output captured."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_sample_archive_passes_check() -> None:
    """The real archive in content/: no errors; the only warnings are the real issue's long headlines."""
    completed = run_jianbao("check")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr
    warnings = [line for line in completed.stdout.splitlines() if ": 警告：" in line]
    assert all(line.startswith("content/2021/06.yml:") and "★标题" in line for line in warnings), warnings
    assert "0 个错误" in completed.stdout.splitlines()[-1]


def test_the_process_ends_with_its_exit_code_and_all_its_output(tmp_path: Path) -> None:
    """`run` ends the process without the interpreter's shutdown: nothing printed may be lost
    (output piped, so buffered) and the exit codes stay those of the verbs."""
    ok = run_jianbao("--help")
    assert ok.returncode == 0 and "用法：" in ok.stdout and "命令" in ok.stdout
    missing = run_jianbao("check", cwd=tmp_path)
    assert missing.returncode == 1 and "找不到配置文件" in missing.stderr + missing.stdout
    usage = run_jianbao("check", "--no-such-flag", cwd=tmp_path)
    assert usage.returncode == 2 and "--no-such-flag" in usage.stderr
