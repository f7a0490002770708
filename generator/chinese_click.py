"""Click, in Chinese: the help layout, the usage errors (exit code 2) and the parameter types.

Click writes its own messages in English. Rather than rewording its text, jianbao's commands
and groups (`ChineseCommand`, `ChineseGroup`) turn each usage error click raises into a
`ChineseUsageError`, worded from what the error carries (the option, the parameter, the
command); the parameter types below fail with Chinese messages about the value, to which the
error adds the option's name. `--help` keeps click's layout, with Chinese headings.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, ClassVar

import click
import click.formatting
from click.exceptions import NoArgsIsHelpError, NoSuchCommand


class ChineseHelpFormatter(click.HelpFormatter):
    """Click's help layout with its English headings in Chinese."""

    HEADINGS: ClassVar[dict[str, str]] = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def section(self, name: str) -> Any:
        return super().section(self.HEADINGS.get(name, name))

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two. Click counts characters,
    so `--amend 原因` pushed its help two columns right of the others'."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in click.unstyle(text))


click.Context.formatter_class = ChineseHelpFormatter
click.formatting.term_len = display_width  # the definition lists of --help measure with it


class ChineseUsageError(click.UsageError):
    """Wrong usage, told in Chinese: the usage line, then `错误：` and what to do. Exit code 2."""

    def show(self, file: IO[Any] | None = None) -> None:
        color = self.ctx.color if self.ctx is not None else None
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), file=file, err=True, color=color)
        click.echo(f"错误：{self.format_message()}", file=file, err=True, color=color)


@contextmanager
def usage_errors_in_chinese(ctx: click.Context) -> Iterator[None]:
    """Re-raise click's usage errors as `ChineseUsageError` (`--help` on no arguments stays help)."""
    try:
        yield
    except (ChineseUsageError, NoArgsIsHelpError):
        raise
    except click.UsageError as error:
        where = error.ctx or ctx
        raise ChineseUsageError(describe(error, where), where) from None


def describe(error: click.UsageError, ctx: click.Context) -> str:
    """What was wrong and what to do, from what the error carries."""
    help_hint = f"可用 {ctx.command_path} --help 查看用法。"
    match error:
        case click.NoSuchOption():
            guess = f"，是不是 {'、'.join(error.possibilities)}？" if error.possibilities else "。"
            return f"没有 {error.option_name} 这个选项{guess}可用 {ctx.command_path} --help 查看全部选项。"
        case NoSuchCommand():
            guess = f"，是不是 {'、'.join(error.possibilities)}？" if error.possibilities else "。"
            return f"没有 {error.command_name} 这个命令{guess}{commands_hint(ctx)}"
        case click.BadOptionUsage():
            option = find_option(ctx, error.option_name)
            if option is not None and option.is_flag:
                return f"{error.option_name} 是开关，不带值：直接写 {error.option_name}。"
            return f"{error.option_name} 后面缺少值。{help_hint}"
        case click.MissingParameter():
            param = error.param
            if param is None:
                return f"缺少参数。{help_hint}"
            kind = "选项" if isinstance(param, click.Option) else "参数"
            advice = param.type.get_missing_message(param=param, ctx=ctx) or help_hint
            return f"缺少{kind} {param_name(param)}。{advice}"
        case click.BadParameter() if isinstance(error.param, click.Option):
            return f"{param_name(error.param)} 的值{error.message}"  # the types word it as “value”…
    return error.message  # jianbao's own (Chinese) messages, and a bad argument's type message


def commands_hint(ctx: click.Context) -> str:
    group = ctx.command
    names = group.list_commands(ctx) if isinstance(group, click.Group) else []
    return f"可用的命令：{'、'.join(names)}；可用 {ctx.command_path} --help 查看各命令的说明。"


def find_option(ctx: click.Context, name: str) -> click.Option | None:
    for param in ctx.command.get_params(ctx):
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def param_name(param: click.Parameter) -> str:
    """`--output` for `-o/--output`; an argument's metavar (`YYYY-N`)."""
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name


def _chinese_help_option(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = "显示帮助并退出。"
    return option


class ChineseCommand(click.Command):
    """A command whose help option and usage errors are in Chinese."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with usage_errors_in_chinese(ctx):
            if ctx.allow_extra_args:
                return super().parse_args(ctx, args)
            # Click would refuse the extra arguments in English: take them, then refuse them here.
            ctx.allow_extra_args = True
            try:
                extra = super().parse_args(ctx, args)
            finally:
                ctx.allow_extra_args = False
            if extra and not ctx.resilient_parsing:
                raise ChineseUsageError(
                    f"多余的参数：{' '.join(extra)}。可用 {ctx.command_path} --help 查看用法。", ctx
                )
            return extra

    def invoke(self, ctx: click.Context) -> Any:
        with usage_errors_in_chinese(ctx):
            return super().invoke(ctx)


class ChineseGroup(click.Group):
    """A group of `ChineseCommand`s; a command is required (no arguments at all shows the help).

    Click's own complaint about a missing command (`jianbao --`) is English: the group is invoked
    without one and says so itself.
    """

    command_class = ChineseCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("subcommand_metavar", "COMMAND [ARGS]...")  # required, whatever click infers
        super().__init__(*args, invoke_without_command=True, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with usage_errors_in_chinese(ctx):
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        with usage_errors_in_chinese(ctx):
            result = super().invoke(ctx)
            if ctx.invoked_subcommand is None:
                raise ChineseUsageError(f"缺少命令。{commands_hint(ctx)}", ctx)
            return result


# The parameter types: each fails with a Chinese message about the value (“…”不是…), which
# `describe` puts after the option's name (`--date 的值“…”不是…`).


class ChineseDateTime(click.DateTime):
    """A day written `YYYY-MM-DD` (a `datetime` at midnight, as click's own `DateTime`)."""

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            self.fail(f"“{value}”不是有效日期，格式为 YYYY-MM-DD，例如 2021-06-11。", param, ctx)


class ChineseChoice(click.Choice):
    """One of a few words, case as written."""

    def allowed(self) -> str:
        words = [str(choice) for choice in self.choices]
        return "、".join(words[:-1]) + f" 或 {words[-1]}" if len(words) > 1 else words[0]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.choices:
            return value
        self.fail(f"“{value}”无效，只能是 {self.allowed()}。", param, ctx)

    def get_missing_message(self, param: click.Parameter, ctx: click.Context | None) -> str:
        return f"只能是 {self.allowed()}。"


class ChineseIntRange(click.IntRange):
    """A whole number between `min` and `max` (both included; either may be left open)."""

    def span(self) -> str:
        if self.min is not None and self.max is not None:
            return f"应为 {self.min} 到 {self.max} 之间的整数"
        if self.min is not None:
            return f"应为不小于 {self.min} 的整数"
        if self.max is not None:
            return f"应为不大于 {self.max} 的整数"
        return "应为整数"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"“{value}”不是整数，{self.span()}。", param, ctx)
        if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
            self.fail(f"“{value}”超出范围，{self.span()}。", param, ctx)
        return number


class ChinesePath(click.Path):
    """A path (a `pathlib.Path`) that may not exist yet, but if it does, is a file or a folder."""

    def __init__(self, *, file_okay: bool = True, dir_okay: bool = True) -> None:
        super().__init__(file_okay=file_okay, dir_okay=dir_okay, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(value)
        if not self.dir_okay and path.is_dir():
            self.fail(f"“{value}”是文件夹，这里要写一个文件的路径。", param, ctx)
        if not self.file_okay and path.exists() and not path.is_dir():
            self.fail(f"“{value}”是文件，这里要写一个文件夹的路径。", param, ctx)
        return super().convert(value, param, ctx)
