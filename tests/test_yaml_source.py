"""YAML reading: lines kept, BOM accepted, aliases refused, impossible dates caught."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.problems import Problems
from generator.yaml_source import MAX_FILE_BYTES, InvalidDate, load_yaml


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "样例.yml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_values_keep_their_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "number: 6\nitems:\n  - title: 甲\n    body: |\n      第一段\n\n      第二段\n")
    problems = Problems()
    root = load_yaml(path, problems)
    assert root is not None and not problems.items
    item = root.value["items"].value[0]
    assert root.value["number"].line == 1
    assert item.value["title"].line == 3
    body = item.value["body"]
    assert body.value == "第一段\n\n第二段\n"
    assert body.line_of_text_line(0) == 5
    assert body.line_of_text_line(2) == 7


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufefftitle: 简报\n".encode())
    problems = Problems()
    root = load_yaml(path, problems)
    assert root is not None and root.value["title"].value == "简报"
    assert not problems.items


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    lines = ['a: &a ["哈哈"]']
    for level in range(1, 12):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    problems = Problems()
    load_yaml(write(tmp_path, "\n".join(lines) + "\n"), problems)
    assert problems.errors
    assert all("锚点和别名" in p.message for p in problems.errors)


def test_impossible_date_is_kept_as_invalid(tmp_path: Path) -> None:
    problems = Problems()
    root = load_yaml(write(tmp_path, "date: 2021-02-30\nother: 2021-06-04\n"), problems)
    assert root is not None
    assert isinstance(root.value["date"].value, InvalidDate)
    assert root.value["other"].value == dt.date(2021, 6, 4)


def test_oversized_file_names_the_limit(tmp_path: Path) -> None:
    problems = Problems()
    path = write(tmp_path, "body: |\n" + ("  很长的正文\n" * (MAX_FILE_BYTES // 10)))
    assert load_yaml(path, problems) is None
    assert "单个文件上限为 1000 KB" in problems.errors[0].message


def test_zero_padded_numbers_are_decimal(tmp_path: Path) -> None:
    """YAML 1.1 reads 0120 as octal 80 and 08 as text; an office means 120 and 8."""
    root = load_yaml(write(tmp_path, "number: 08\ncopies: 0120\nold: 07\nsigned: -010\n"), Problems())
    assert root is not None
    values = {key: node.value for key, node in root.value.items()}
    assert values == {"number": 8, "copies": 120, "old": 7, "signed": -10}


def test_plain_scalars_keep_their_text(tmp_path: Path) -> None:
    root = load_yaml(write(tmp_path, 'version: 3.10\ncode: 007\nquoted: "3.10"\n'), Problems())
    assert root is not None
    assert [root.value[key].source for key in ("version", "code", "quoted")] == ["3.10", "007", None]
