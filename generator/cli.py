"""The `jianbao` command line: one thin function per verb."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from generator import __version__
from generator.build import build as run_build
from generator.build import write_pdfs
from generator.chinese_click import ChineseChoice, ChineseDateTime, ChineseGroup, ChineseIntRange, ChinesePath
from generator.config import load_publication
from generator.files import foreign_files, source_date, write_atomic
from generator.model import Archive, Issue, IssueKind, Publication
from generator.pdf import PdfRenderer
from generator.problems import Problems, UserError, display_path
from generator.progress import TerminalProgress
from generator.project import LoadResult, load_project
from generator.publish import publish as publish_issue
from generator.scaffold import new_issue

CONTENT_PROBLEMS = 1
ISSUE_ID = re.compile(
    r"^(?P<year>\d{4})-(?P<supplement>s|增刊|supplement-)?(?P<number>\d{1,3})$", re.IGNORECASE
)


class IssueIdType(click.ParamType):
    """An issue as `2021-6`, `2021-06`, or a supplement as `2021-s1` / `2021-增刊1` / `2021-supplement-1`."""

    name = "期号"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if ISSUE_ID.match(str(value).strip()):
            return value
        self.fail(f"“{value}”不是期号：应写成 年份-期号，如 2021-6；增刊写成 2021-s1。", param, ctx)

    def get_missing_message(self, param: click.Parameter, ctx: click.Context | None) -> str:
        command = ctx.command_path if ctx is not None else "jianbao pdf"
        return f"请写出期号，例如 {command} 2021-6（增刊：2021-s1）。"


def config_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config",
        "config_path",
        type=ChinesePath(dir_okay=False),
        default="site_config.yml",
        help="配置文件的路径，默认为当前目录的 site_config.yml；项目根目录即其所在文件夹。",
    )(function)


@click.group(
    "jianbao",
    cls=ChineseGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="简报（jianbao）：用 YAML 编写每期工作简报，生成公文版式的 PDF 和可检索的网页档案。",
)
@click.version_option(__version__, "-V", "--version", message="jianbao %(version)s", help="显示版本并退出。")
def main() -> None:
    pass


@main.command(help="检查 site_config.yml 和每一期简报，一次列出全部问题。有错误时退出码为 1。")
@config_option
@click.option("--strict", is_flag=True, help="把警告也当作错误（发布前用）。")
def check(config_path: Path, strict: bool) -> None:
    result = load_project(config_path)
    problems = result.problems.strict() if strict else result.problems
    print_problems(problems, config_path, stream=sys.stdout)
    errors, warnings = len(problems.errors), len(problems.warnings)
    verdict = "未通过" if errors else "通过"
    click.echo(f"检查{verdict}：{result.files_checked} 个文件，{errors} 个错误，{warnings} 个警告。")
    if errors:
        sys.exit(CONTENT_PROBLEMS)


@main.command(help="按日期所在年份生成下一期简报文件（草稿），并打印其路径。不会覆盖已有文件。")
@config_option
@click.option(
    "--date",
    "issue_date",
    type=ChineseDateTime(),
    help="印发日期，格式 YYYY-MM-DD；默认今天。",
)
@click.option(
    "--kind",
    type=ChineseChoice([k.value for k in IssueKind]),
    default=IssueKind.REGULAR.value,
    help="regular 为常规期（默认），special 为专刊（与常规期共用期号），supplement 为增刊（单独编号）。",
)
def new(config_path: Path, issue_date: dt.datetime | None, kind: str) -> None:
    publication = require_publication(config_path)
    date = issue_date.date() if issue_date else dt.date.today()
    path = new_issue(publication, date, IssueKind(kind))
    click.echo(display_path(path, Path.cwd()))


@main.command(help="生成整个网页档案和每一期的 PDF（默认输出到 site/）。")
@config_option
@click.option(
    "--out",
    "out_dir",
    type=ChinesePath(file_okay=False),
    help="输出文件夹，默认为项目根目录（site_config.yml 所在的文件夹）中的 site/。生成时整个替换它。",
)
@click.option("--drafts", is_flag=True, help="包含草稿（status: draft）。")
@click.option("--no-pdf", is_flag=True, help="只生成网页，不排版 PDF。")
@click.option("--timings", is_flag=True, help="生成后列出各阶段耗时（秒）。")
def build(config_path: Path, out_dir: Path | None, drafts: bool, no_pdf: bool, timings: bool) -> None:
    started = time.perf_counter()
    archive = require_archive(config_path)
    loaded = time.perf_counter() - started
    out_dir = out_dir or archive.publication.root / "site"
    refuse_dangerous_output(out_dir, archive.publication)
    with user_errors(), TerminalProgress() as progress:
        report = run_build(archive, out_dir, include_drafts=drafts, with_pdf=not no_pdf, progress=progress)
    pdfs = ""
    if not no_pdf:
        pdfs = f"，{report.pdfs} 个 PDF（新排版 {report.pdfs_rendered} 个，其余来自缓存）"
    click.echo(f"已生成 {display_path(out_dir, Path.cwd())}/：{report.issues} 期简报{pdfs}。")
    click.echo(f"网页：{report.pages} 页（新生成 {report.pages - report.pages_carried_over} 页，其余未变）。")
    click.echo(
        f"检索索引：{report.search_items} 条信息，{report.search_bundles} 个分包"
        f"（新建 {report.search_bundles_indexed} 个，其余来自缓存）。"
    )
    if timings:
        phases = {"读取与校验": loaded, **report.phases, "合计": time.perf_counter() - started}
        for name, seconds in phases.items():
            click.echo(f"{name}\t{seconds:.2f}", err=True)


@main.command(help="生成网页档案并在 127.0.0.1 上预览；修改内容后浏览器自动刷新。")
@config_option
@click.option("--port", type=ChineseIntRange(1, 65535), default=8000, help="端口，默认 8000。")
@click.option("--drafts", is_flag=True, help="包含草稿（status: draft）。")
@click.option("--no-pdf", is_flag=True, help="预览时不排版 PDF（更快）。")
def serve(config_path: Path, port: int, drafts: bool, no_pdf: bool) -> None:
    from generator.search import index_site
    from generator.site import serve_site  # MkDocs is imported only by the commands that need it

    require_archive(config_path)

    def after_build(archive: Archive, site_dir: Path) -> None:
        index_site(archive, site_dir)  # Pagefind runs again only for a year whose items changed
        if not no_pdf:
            write_pdfs(archive, site_dir / "pdf", drafts)

    def on_listen(url: str) -> None:
        click.echo(f"预览地址：{url}（按 Ctrl-C 停止）", err=True)

    with user_errors():  # a busy or privileged port: PortUnavailable, before the address is printed
        serve_site(
            lambda: require_archive(config_path),
            "127.0.0.1",
            port,
            drafts,
            with_pdf=not no_pdf,
            after_build=after_build,
            on_listen=on_listen,
        )


@main.command(help="排版一期简报的 PDF，例如 jianbao pdf 2021-6（增刊：2021-s1）。")
@config_option
@click.argument("issue_id", metavar="YYYY-N", type=IssueIdType())
@click.option(
    "-o",
    "--output",
    type=ChinesePath(dir_okay=False),
    help="输出文件，默认为当前目录下的 2021-06.pdf 之类。",
)
def pdf(config_path: Path, issue_id: str, output: Path | None) -> None:
    archive, issue = require_issue(config_path, issue_id)
    target = output or Path(issue.pdf_name)
    with user_errors():
        data = PdfRenderer(archive.publication).render(issue)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    click.echo(display_path(target, Path.cwd()))


@main.command(help="把一期简报标为已发布，并在 content/published.lock 中记录其内容指纹。")
@config_option
@click.argument("issue_id", metavar="YYYY-N", type=IssueIdType())
@click.option(
    "--amend", "reason", metavar="原因", help="更正已发布的一期：记录更正原因和日期，网页上显示更正说明。"
)
def publish(config_path: Path, issue_id: str, reason: str | None) -> None:
    unlocked = frozenset()
    if reason is not None:
        unlocked = frozenset({slug_of(issue_id)})
    archive, issue = require_issue(config_path, issue_id, unlocked)
    with user_errors():
        click.echo(publish_issue(archive, issue, today(), reason))


def today() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set (reproducible runs)."""
    when = source_date()
    return when.date() if when else dt.date.today()


def slug_of(issue_id: str) -> str:
    year, supplement, number = parse_issue_id(issue_id)
    return f"{year}/{'supplement-' if supplement else ''}{number:02d}"


def parse_issue_id(issue_id: str) -> tuple[int, bool, int]:
    match = ISSUE_ID.match(issue_id.strip())
    if not match:
        raise click.BadParameter(f"“{issue_id}”不是期号：应写成 年份-期号，如 2021-6；增刊写成 2021-s1。")
    return int(match["year"]), bool(match["supplement"]), int(match["number"])


def find_issue(archive: Archive, issue_id: str) -> Issue:
    """`2021-6`, `2021-06`, or a supplement as `2021-s1` / `2021-增刊1` / `2021-supplement-1`."""
    year, marker, number = parse_issue_id(issue_id)
    issue = archive.find(year, number, supplement=marker)
    if issue is None:
        fail(f"找不到{year}年{'增刊' if marker else ''}第{number}期：content/{year}/ 中没有这一期。")
    return issue


def refuse_dangerous_output(out_dir: Path, publication: Publication) -> None:
    """The output folder is replaced whole: it must not hold the project itself, nor files that
    an earlier build did not write there (a clerk's `--out ~/桌面` would delete the desktop)."""
    target = out_dir.resolve()
    shown = display_path(out_dir, Path.cwd())
    if (
        publication.root == target
        or publication.root.is_relative_to(target)
        or target.is_relative_to(publication.content_dir)
    ):
        fail(
            f"输出文件夹 {shown} 包含项目本身或位于 content/ 中：生成时会整个替换它，"
            "请换一个文件夹（如项目中的 site/）。"
        )
    foreign = foreign_files(target)
    if foreign:
        listed = "、".join(foreign[:3]) + ("等" if len(foreign) > 3 else "")
        fail(
            f"输出文件夹 {shown} 中已有不是 jianbao 生成的文件（{listed}）：生成时会整个替换这个文件夹，"
            "这些文件都会被删除。请换一个新的或空的文件夹，或先把其中的文件移走。"
        )


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the back ends' user-facing errors into a message and exit 1."""
    try:
        yield
    except UserError as exc:
        fail(str(exc))


def require_publication(config_path: Path) -> Publication:
    problems = Problems()
    publication = load_publication(config_path, problems)
    print_problems(problems, config_path)
    if publication is None:
        fail("配置文件有错误，请先改正。")
    return publication


def require_issue(
    config_path: Path, issue_id: str, unlocked: frozenset[str] = frozenset()
) -> tuple[Archive, Issue]:
    """The archive and the issue named by `issue_id`. Errors only in issues that cannot change
    this one (later or of the other sequence) are counted, not printed, and do not stop it."""
    result = load_project(config_path, unlocked)
    archive = result.archive_for(*parse_issue_id(issue_id)) or require_loaded(result, config_path)
    issue = find_issue(archive, issue_id)
    if result.problems.errors:
        click.echo(
            f"jianbao：其他期次有 {len(result.problems.errors)} 个错误（运行 jianbao check 查看），不影响{issue.label}。",
            err=True,
        )
    return archive, issue


def require_archive(config_path: Path, unlocked: frozenset[str] = frozenset()) -> Archive:
    """The validated archive; on any error, print every problem and exit 1."""
    return require_loaded(load_project(config_path, unlocked), config_path)


def require_loaded(result: LoadResult, config_path: Path) -> Archive:
    """The loaded archive; if there was any error, print every problem and exit 1."""
    if result.problems.errors:
        print_problems(result.problems, config_path)
    elif result.problems.warnings:
        click.echo(
            f"jianbao：内容有 {len(result.problems.warnings)} 个警告（运行 jianbao check 查看）。", err=True
        )
    if result.archive is None:
        fail(
            f"发现 {len(result.problems.errors)} 个错误，未生成任何文件。请改正后重试（可运行 jianbao check 查看）。"
        )
    return result.archive


def print_problems(problems: Problems, config_path: Path, stream: Any = None) -> None:
    root = config_path.parent
    for problem in problems.sorted():
        click.echo(problem.format(root), file=stream or sys.stderr)


def fail(message: str) -> NoReturn:
    click.echo(f"jianbao：{message}", err=True)
    sys.exit(CONTENT_PROBLEMS)


def run() -> None:
    """Console entry point: no traceback for Ctrl-C; internal errors stay short unless debugging."""
    try:
        try:
            # not standalone: click would print its English "Aborted!" for Ctrl-C
            code = main(standalone_mode=False)
        except click.ClickException as error:
            error.show()
            code = error.exit_code
        except click.Abort:
            raise KeyboardInterrupt from None
        sys.exit(code if isinstance(code, int) else 0)
    except KeyboardInterrupt:
        click.echo("jianbao：已中断。", err=True)
        sys.exit(130)
    except SystemExit as done:
        if sys.getprofile() is not None or sys.gettrace() is not None:
            raise  # a profiler or debugger: it reports after the program ends
        _exit_now(done.code)
    except Exception as exc:
        if os.environ.get("JIANBAO_DEBUG"):
            raise
        click.echo(
            f"jianbao：内部错误（{type(exc).__name__}: {exc}）。"
            "请设置环境变量 JIANBAO_DEBUG=1 重新运行，并把输出报告给维护者。",
            err=True,
        )
        sys.exit(CONTENT_PROBLEMS)


def _exit_now(code: int | str | None) -> NoReturn:
    """End the process without freeing every object one by one.

    A build of 520 issues leaves millions of objects behind (the archive, its parsed bodies,
    the page data); the interpreter's own shutdown frees them one at a time, which took 1.3 s,
    longer than rebuilding one issue's pages. The exit handlers (worker pools, temporary
    folders) still run and the output is flushed; only that freeing is skipped.
    """
    if isinstance(code, str):
        click.echo(code, err=True)
        code = CONTENT_PROBLEMS
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
