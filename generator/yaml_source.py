"""Read a YAML file into a tree of `Node`s that remember the line each value came from.

PyYAML composes the document into nodes (which carry marks); we convert those nodes
ourselves so that we can report duplicate keys, refuse aliases (the "billion laughs"
attack), and turn impossible dates into messages instead of exceptions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problems

MAX_FILE_BYTES = 1_000_000
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_DATE_LIKE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PLAIN_KEY = re.compile(r"^ *[\w-]+: ")
_KEY_START = re.compile(r"^[ -]*")
"""Where a key starts on its line: after the indentation and any "- " of a list item."""
_KEY_COLON_MISTAKE = re.compile(
    r"^(?P<lead> *(?:- +)?)(?P<key>[A-Za-z_][\w-]*) *(?:(?P<wide>：)|:(?=[^\s:/]))"
)
"""`region：广安市` (a full-width colon) or `region:广安市` (no space): a key people meant."""
_BLOCK_SCALAR_START = re.compile(r"^(?P<lead> *(?:- +)?)\S.*: *[|>][-+0-9]* *(?:#.*)?$")
_BRACKETED_START = re.compile(r"^ *(?:- +)?(?P<key>[\w-]+): +(?P<value>[\[{][^\]}]*[\]}] *[^\s#,\]}].*)$")
"""`title: [转发]广安市…`: text that starts with a bracket, which YAML reads as a list."""
_KEY_LINE = re.compile(r"^ *(?:- +)?[\w-]+:(?: |$)")
_ZERO_PADDED = re.compile(r"^[-+]?0[0-9_]+$")
"""YAML 1.1 reads 0120 as octal (80) and 08 as text; people mean the decimal number."""


@dataclass
class Node:
    """A YAML value with its 1-based line. Mappings hold `dict[str, Node]`, sequences `list[Node]`."""

    value: Any
    line: int
    key_line: int | None = None
    block_style: bool = False
    source: str | None = None
    """A plain scalar's text as written (3.10, 007), for keys that want text."""
    children_keys: dict[str, int] = field(default_factory=dict)

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.value, list)

    def line_of_text_line(self, index: int) -> int:
        """The file line of line `index` (0-based) inside a multi-line text value."""
        return self.line + index + (1 if self.block_style else 0)


class InvalidDate(str):
    """A scalar that looks like a date but is not one (2021-02-30); kept as text."""


def read_text(path: Path, problems: Problems) -> str | None:
    """The file's text, or None with a problem if it is too large or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(
                path,
                None,
                f"文件过大（{size // 1024} KB），单个文件上限为 {MAX_FILE_BYTES // 1000} KB。"
                "请检查是否误放了其他文件，或把内容拆分为多期。",
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, None, f"无法读取文件：{exc.strerror}。")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(
            path,
            1,
            "文件是 UTF-16 编码（记事本里叫“Unicode”）：请另存为 UTF-8（记事本：“另存为”，编码选“UTF-8”）。",
        )
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "看起来是 GBK/GB2312 编码（Windows 记事本或 Word 常用），"
        except UnicodeDecodeError:
            pass
        problems.error(
            path,
            line,
            f"文件不是 UTF-8 编码：{hint}请另存为 UTF-8，"
            f"例如 `iconv -f GBK -t UTF-8 {path.name} -o {path.name}.utf8` 后替换原文件。",
        )
        return None


def load_yaml(path: Path, problems: Problems) -> Node | None:
    """Parse one YAML file into a Node tree; None (with problems recorded) if it cannot be."""
    text = read_text(path, problems)
    if text is None:
        return None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        problems.error(path, 1, "文件为空：请按模板填写内容，或删除此文件。")
        return None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        lines = text.splitlines()
        line, message = (
            _key_colon_mistake(lines, exc)
            or _text_starting_with_bracket(lines, exc)
            or _text_not_indented_under_block(lines, exc)
            or _explain_yaml_error(exc, lines)
        )
        problems.error(path, line, message)
        return None
    except yaml.YAMLError as exc:
        problems.error(path, None, f"YAML 语法错误：{exc}")
        return None
    if root is None:
        problems.error(path, 1, "文件为空：请按模板填写内容，或删除此文件。")
        return None
    return _Converter(path, problems).convert(root)


def _explain_yaml_error(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int | None, str]:
    """The line to name and a Chinese explanation of PyYAML's error. An unclosed quote or
    bracket is named where it opens (the parser notices only at the end of the file)."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    opened = exc.context_mark.line + 1 if exc.context_mark is not None else line
    if line is not None and lines:
        line = min(line, len(lines))
    if "'\\t'" in problem or "\t" in problem or "tab character" in problem:
        return line, "YAML 语法错误：该行含有制表符（Tab）。YAML 只能用空格缩进，请把 Tab 换成两个空格。"
    if "quoted scalar" in context and "end of stream" in problem:
        return opened, "YAML 语法错误：这一行的引号没有闭合：请在文字末尾补上配对的引号，或去掉开头的引号。"
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "方括号“[”" if "sequence" in context else "花括号“{”"
        return opened, (
            f"YAML 语法错误：这一行的{bracket}没有闭合，或其中的逗号、冒号有误："
            "列表应写在一行内，如 tags: [大调研, 执法不规范]。"
        )
    if (
        problem.startswith("mapping values are not allowed")
        and line is not None
        and _indented_deeper(lines, line)
    ):
        return line, "YAML 语法错误：这一行比上一行多缩进了：同一层的键必须对齐，请删去多余的空格。"
    known = {
        "mapping values are not allowed": "此处不能出现“: ”。若文字中含有英文冒号，请改用中文冒号“：”或给整段文字加引号",
        "could not find expected ':'": "缺少“: ”，或上一行的引号没有闭合",
        "did not find expected key": "缩进不一致：同一层的键必须对齐",
        "expected <block end>, but found": "缩进不一致：同一层的键必须对齐",
        "did not find expected '-' indicator": "列表项缩进不一致：每一项的“- ”必须对齐",
        "found unexpected end of stream": "文件意外结束：可能有引号没有闭合",
        "found undefined alias": "使用了未定义的别名（*）",
        "found unknown escape character": "双引号中有无效的反斜杠转义：请去掉“\\”或改用单引号",
        "found character that cannot start any token": "该行开头有 YAML 不允许的字符（如 @ 或 `）：请给整段文字加引号",
    }
    for english, chinese in known.items():
        if problem.startswith(english) or english in problem:
            return line, f"YAML 语法错误：{chinese}。（解析器原文：{problem}）"
    return line, f"YAML 语法错误：{problem or exc}。请检查该行及上一行的缩进、冒号和引号。"


def _key_colon_mistake(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """The first line up to the parser's error that starts with a key followed by a full-width
    colon or by a colon without a space: the commonest slip, which the parser reports a line
    or more later as a missing colon. Lines of a `|` text block are text, not keys."""
    last = _error_line(lines, exc)
    block_indent: int | None = None
    for number, text in enumerate(lines[:last], start=1):
        indent = len(text) - len(text.lstrip(" "))
        if block_indent is not None and (not text.strip() or indent > block_indent):
            continue
        block_indent = None
        if opening := _BLOCK_SCALAR_START.match(text):
            block_indent = len(opening["lead"])
        mistake = _KEY_COLON_MISTAKE.match(text)
        if mistake is None or text.lstrip().startswith("#"):
            continue
        key = mistake["key"]
        if mistake["wide"]:
            return number, (
                f"YAML 语法错误：键 {key} 后面用了中文冒号“：”。键名后要用英文冒号加一个空格，写成“{key}: ”。"
            )
        return number, f"YAML 语法错误：键 {key} 的冒号后缺少空格：写成“{key}: ”（英文冒号加一个空格）。"
    return None


def _error_line(lines: list[str], exc: yaml.MarkedYAMLError) -> int:
    """The parser's error line (1-based), within the file."""
    mark = exc.problem_mark or exc.context_mark
    return min(mark.line + 1, len(lines)) if mark is not None else len(lines)


def _text_starting_with_bracket(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """A value like `[转发]标题` on the error line or the one before: YAML reads the bracket as
    the start of a list and fails on the text after it."""
    last = _error_line(lines, exc)
    for number in (last, last - 1):
        if number >= 1 and (found := _BRACKETED_START.match(lines[number - 1])):
            key, value = found["key"], found["value"].strip()
            return number, (
                f"YAML 语法错误：{key} 的值以“{value[0]}”开头，YAML 会把它当作列表的开始："
                f'请给整段文字加引号，写成 {key}: "{value}"。'
            )
    return None


def _text_not_indented_under_block(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """Text after `body: |` indented no deeper than `body`: the block ends before it, and the
    parser fails later, at the end of the paragraph. Named at the first such line."""
    last = _error_line(lines, exc)
    opening = next(
        (n for n in range(last, 0, -1) if _BLOCK_SCALAR_START.match(lines[n - 1])),
        None,
    )
    if opening is None:
        return None
    key_indent = len(_BLOCK_SCALAR_START.match(lines[opening - 1])["lead"])
    key = lines[opening - 1].split(":", 1)[0].strip(" -")
    for number in range(opening + 1, last + 1):
        text = lines[number - 1]
        indent = len(text) - len(text.lstrip(" "))
        if not text.strip() or indent > key_indent or text.lstrip().startswith("#"):
            continue
        if _KEY_LINE.match(text):
            return None  # the block ended with the next key, as it should
        return number, (
            f"YAML 语法错误：第 {opening} 行“{key}: |”下面的文字要比 {key} 多缩进（通常多两个空格），"
            "这一行没有缩进够，请在行首补上空格。"
        )
    return None


def _indented_deeper(lines: list[str], line: int) -> bool:
    """Whether `line` (1-based) is a plain `key: value` indented more than the key above it
    (a key after "- " counts from where the key starts)."""
    current = lines[line - 1]
    above = next(
        (text for text in reversed(lines[: line - 1]) if text.strip() and not text.lstrip().startswith("#")),
        None,
    )
    if above is None or above.rstrip().endswith(":") or current.count(": ") != 1:
        return False
    if not _PLAIN_KEY.match(current):
        return False
    return len(_KEY_START.match(current)[0]) > len(_KEY_START.match(above)[0])


class _Converter:
    def __init__(self, path: Path, problems: Problems) -> None:
        self.path = path
        self.problems = problems
        self.seen: set[int] = set()
        self.constructor = yaml.SafeLoader("")

    def convert(self, node: yaml.Node) -> Node:
        line = node.start_mark.line + 1
        if id(node) in self.seen:
            self.problems.error(
                self.path,
                line,
                "不支持 YAML 锚点和别名（& 与 *）：请把内容直接写出来。",
            )
            return Node(None, line)
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, line)
        if isinstance(node, yaml.SequenceNode):
            children = [c for c in node.value if not self._is_alias(c, c.start_mark.line + 1)]
            return Node([self.convert(child) for child in children], line)
        return self._scalar(node, line)

    def _mapping(self, node: yaml.MappingNode, line: int) -> Node:
        result: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.error(self.path, key_line, "键必须是简单的文字。")
                continue
            key = str(key_node.value)
            if key == "<<":
                self.problems.error(self.path, key_line, "不支持 YAML 合并键（<<）：请把内容直接写出来。")
                continue
            if key in result:
                self.problems.error(
                    self.path,
                    key_line,
                    f"重复的键“{key}”（第 {key_lines[key]} 行已有）：同一层只能写一次，请删除或合并。",
                )
                continue
            if self._is_alias(value_node, key_line):
                continue
            child = self.convert(value_node)
            child.key_line = key_line
            result[key] = child
            key_lines[key] = key_line
        return Node(result, line, children_keys=key_lines)

    def _is_alias(self, node: yaml.Node, line: int) -> bool:
        """A node met a second time is an alias (*name): refused, so no expansion can blow up."""
        if id(node) not in self.seen:
            return False
        self.problems.error(self.path, line, "不支持 YAML 锚点和别名（& 与 *）：请把内容直接写出来。")
        return True

    def _scalar(self, node: yaml.ScalarNode, line: int) -> Node:
        block = node.style in ("|", ">")
        if node.tag == _TIMESTAMP_TAG or (not node.style and _DATE_LIKE.match(node.value)):
            return Node(_parse_date(node.value), line, block_style=block)
        source = None if node.style else node.value  # plain: style None, or "" from the C loader
        if source is not None and _ZERO_PADDED.match(source):
            return Node(int(source.replace("_", "")), line, source=source)
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, yaml.YAMLError):
            value = node.value
        return Node(value, line, block_style=block, source=source)


def quoted_date(text: str) -> dt.date | InvalidDate | None:
    """A date written in quotes ("2021-06-04"), or None if the text is not in that form."""
    return _parse_date(text) if _DATE_LIKE.match(text.strip()) else None


def _parse_date(text: str) -> dt.date | InvalidDate:
    match = _DATE_LIKE.match(text.strip())
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return InvalidDate(text)
    try:
        return dt.datetime.fromisoformat(text.strip()).date()
    except ValueError:
        return InvalidDate(text)
