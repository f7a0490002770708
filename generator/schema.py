"""Typed reading of YAML mappings, each reader reporting its own precise message.

Modelled on MkDocs' config options: every key is declared once with its type, unknown
keys get a "did you mean" suggestion, and a wrong value never stops the reading of the
rest of the file — the problem is recorded and the reader returns None.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.problems import Problems
from generator.yaml_source import InvalidDate, Node, quoted_date


def closest(word: str, choices: Iterable[str], cutoff: float = 0.5) -> str | None:
    """The choice nearest to `word`, for "did you mean" hints (titel → title, 广按市 → 广安市)."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def describe(value: object) -> str:
    """A value as the user wrote it, named by its YAML type, for messages."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"布尔值“{'true' if value else 'false'}”"
    if isinstance(value, int | float):
        return f"数字“{value}”"
    if isinstance(value, dt.date):
        return f"日期“{value.isoformat()}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "键值映射"
    text = str(value)
    return f"文字“{text[:20]}{'…' if len(text) > 20 else ''}”"


@dataclass
class Reader:
    """Reads the values of one mapping in one file, reporting problems against that file."""

    path: Path
    problems: Problems
    what: str  # e.g. "简报" or "第 3 条信息", used in messages

    def check_keys(self, node: Node, allowed: Iterable[str], required: Iterable[str]) -> None:
        allowed = list(allowed)
        for key, line in node.children_keys.items():
            if key not in allowed:
                guess = closest(key, allowed, cutoff=0.6)
                hint = f"是否应为“{guess}”？" if guess else f"可用的键：{', '.join(allowed)}。"
                self.problems.error(self.path, line, f"{self.what}中有未知的键“{key}”：{hint}")
        for key in required:
            if key not in node.value:
                self.problems.error(self.path, node.line, f"{self.what}缺少必填的键“{key}”。")

    def _wrong(self, node: Node, key: str, expected: str) -> None:
        self.problems.error(
            self.path,
            node.line,
            f"“{key}”应为{expected}，实际是{describe(node.value)}。",
        )

    def text(self, mapping: Node, key: str, *, allow_empty: bool = False) -> str | None:
        node = mapping.value.get(key)
        if node is None:
            return None
        value = node.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = node.source or str(value)
        if not isinstance(value, str):
            self._wrong(node, key, "文字")
            return None
        if not allow_empty and not value.strip():
            self.problems.error(self.path, node.line, f"“{key}”不能为空。")
            return None
        return value

    def integer(self, mapping: Node, key: str, *, minimum: int = 1) -> int | None:
        node = mapping.value.get(key)
        if node is None:
            return None
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(node, key, "整数")
            return None
        if value < minimum:
            self.problems.error(self.path, node.line, f"“{key}”应不小于 {minimum}，实际是 {value}。")
            return None
        return value

    def date(self, mapping: Node, key: str) -> dt.date | None:
        node = mapping.value.get(key)
        if node is None:
            return None
        value = node.value
        if isinstance(value, str) and not isinstance(value, InvalidDate):
            value = quoted_date(value) or value  # written in quotes: "2021-06-04"
        if isinstance(value, InvalidDate):
            self.problems.error(
                self.path,
                node.line,
                f"“{key}”的日期“{value}”不存在：请检查月份和日期（格式为 YYYY-MM-DD）。",
            )
            return None
        if not isinstance(value, dt.date):
            self._wrong(node, key, "日期（格式为 YYYY-MM-DD，如 2021-06-04）")
            return None
        return value

    def choice(
        self, mapping: Node, key: str, choices: Iterable[str], meanings: dict[str, str] | None = None
    ) -> str | None:
        """One of `choices`; `meanings` maps words people write instead (草稿) to the choice
        they mean (draft), for the hint."""
        choices = list(choices)
        value = self.text(mapping, key)
        if value is None:
            return None
        if value not in choices:
            guess = (meanings or {}).get(value.strip()) or closest(value, choices)
            hint = f"是否应为“{guess}”？" if guess else ""
            self.problems.error(
                self.path,
                mapping.value[key].line,
                f"“{key}”的值“{value}”无效：应为 {' / '.join(choices)} 之一。{hint}",
            )
            return None
        return value

    def text_list(self, mapping: Node, key: str) -> list[tuple[str, int]] | None:
        """A list of texts, each with its line; a single text is accepted as a list of one."""
        node = mapping.value.get(key)
        if node is None:
            return None
        if isinstance(node.value, str):
            return [(node.value, node.line)]
        if not isinstance(node.value, list):
            self._wrong(node, key, "文字列表（如 [甲, 乙]）")
            return None
        result = []
        for entry in node.value:
            if isinstance(entry.value, str) and entry.value.strip():
                result.append((entry.value.strip(), entry.line))
            else:
                self.problems.error(
                    self.path,
                    entry.line,
                    f"“{key}”的每一项都应为文字，实际是{describe(entry.value)}。",
                )
        return result

    def mapping_list(self, mapping: Node, key: str) -> list[Node] | None:
        node = mapping.value.get(key)
        if node is None:
            return None
        if not isinstance(node.value, list):
            self._wrong(node, key, "列表（每一项以“- ”开头）")
            return None
        entries = []
        for entry in node.value:
            if entry.is_mapping:
                entries.append(entry)
            else:
                self.problems.error(
                    self.path,
                    entry.line,
                    f"“{key}”的每一项都应为键值映射（每一项写成“- 键: 值”），实际是{describe(entry.value)}。",
                )
        return entries
