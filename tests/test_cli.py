"""The command line: Chinese help, exit codes, and the sample archive passing `check`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, run_cli


def test_help_is_in_chinese(project: Path) -> None:
    result = run_cli(project, "--help")
    assert result.exit_code == 0
    assert "用法：" in result.output and "检查" in result.output and "显示帮助并退出" in result.output


def test_help_columns_line_up_with_chinese_metavars(project: Path) -> None:
    from generator.chinese_click import display_width

    result = run_cli(project, "publish", "--help")
    assert "选项：" in result.output
    rows = [line for line in result.output.splitlines() if line.startswith("  -")]
    starts = {display_width(re.match(r"\s*\S.*?\s{2,}", row)[0]) for row in rows}
    assert len(starts) == 1, rows  # every help text starts in the same column
    assert "--date YYYY-MM-DD" in run_cli(project, "new", "--help").output


def test_wrong_usage_exits_2(project: Path) -> None:
    assert run_cli(project, "check", "--no-such-flag").exit_code == 2
    assert run_cli(project, "new", "--date", "2021-13-01").exit_code == 2


CLICK_ENGLISH = ("Error", "Try ", "Invalid", "No such", "Missing", "Got unexpected", "does not", "requires")
COMMANDS = "可用的命令：build、check、new、pdf、publish、serve；可用 jianbao --help 查看各命令的说明。"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--bogus"], "没有 --bogus 这个选项。可用 jianbao check --help 查看全部选项。"),
        (
            ["check", "--strct"],
            "没有 --strct 这个选项，是不是 --strict？可用 jianbao check --help 查看全部选项。",
        ),
        (["--bogus"], "没有 --bogus 这个选项。可用 jianbao --help 查看全部选项。"),
        (["check", "--strict=yes"], "--strict 是开关，不带值：直接写 --strict。"),
        (["new", "--date"], "--date 后面缺少值。可用 jianbao new --help 查看用法。"),
        (
            ["new", "--date", "2021-13-01"],
            "--date 的值“2021-13-01”不是有效日期，格式为 YYYY-MM-DD，例如 2021-06-11。",
        ),
        (["new", "--kind", "weekly"], "--kind 的值“weekly”无效，只能是 regular、special 或 supplement。"),
        (["serve", "--port", "0"], "--port 的值“0”超出范围，应为 1 到 65535 之间的整数。"),
        (["serve", "--port", "http"], "--port 的值“http”不是整数，应为 1 到 65535 之间的整数。"),
        (["frobnicate"], f"没有 frobnicate 这个命令。{COMMANDS}"),
        (["biuld"], f"没有 biuld 这个命令，是不是 build？{COMMANDS}"),
        (["--"], f"缺少命令。{COMMANDS}"),
        (["check", "--config", "content"], "--config 的值“content”是文件夹，这里要写一个文件的路径。"),
        (
            ["build", "--out", "site_config.yml"],
            "--out 的值“site_config.yml”是文件，这里要写一个文件夹的路径。",
        ),
        (["pdf"], "缺少参数 YYYY-N。请写出期号，例如 jianbao pdf 2021-6（增刊：2021-s1）。"),
        (["publish", "2021"], "“2021”不是期号：应写成 年份-期号，如 2021-6；增刊写成 2021-s1。"),
        (["pdf", "2021-1", "2021-2"], "多余的参数：2021-2。可用 jianbao pdf --help 查看用法。"),
        (["check", "extra"], "多余的参数：extra。可用 jianbao check --help 查看用法。"),
    ],
)
def test_usage_errors_are_told_in_chinese(project: Path, args: list[str], message: str) -> None:
    """Every kind of wrong usage: the usage line, then what was wrong and what to do; exit code 2."""
    result = run_cli(project, *args)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("用法：jianbao"), result.output
    assert lines[-1] == f"错误：{message}"
    assert not [word for word in CLICK_ENGLISH if word in result.output], result.output
    assert not (project / "content" / "2021" / "03.yml").exists()  # nothing ran


def test_no_arguments_still_show_the_help(project: Path) -> None:
    result = run_cli(project)
    assert result.exit_code == 2  # click's convention: help, as for wrong usage
    assert "用法：jianbao [OPTIONS] COMMAND [ARGS]..." in result.output and "命令" in result.output
    assert run_cli(project, "new", "--help").exit_code == 0


def test_missing_config_is_a_clear_message(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "check")
    assert result.exit_code == 1
    assert f"找不到配置文件 {tmp_path.resolve() / 'site_config.yml'}：" in result.output


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
    assert usage.returncode == 2 and "错误：没有 --no-such-flag 这个选项。" in usage.stderr
    assert "Error" not in usage.stderr and "Try" not in usage.stderr
