"""Find and read every issue file under content/ into `Issue`s."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.config import read_distribution
from generator.model import Issue, IssueKind, Item, Publication, Status
from generator.problems import Problems
from generator.schema import Reader, closest
from generator.yaml_source import Node, load_yaml

ISSUE_KEYS = (
    "number",
    "date",
    "status",
    "total",
    "kind",
    "topic",
    "note",
    "distribution",
    "copies",
    "items",
)
REQUIRED_ISSUE_KEYS = ("number", "date", "items")
STATUS_WORDS = {"草稿": "draft", "发布": "published", "已发布": "published", "定稿": "published"}
KIND_WORDS = {
    "常规": "regular",
    "常规期": "regular",
    "正刊": "regular",
    "专刊": "special",
    "增刊": "supplement",
}
"""What offices write instead of the contract's words, for "did you mean" hints."""

ITEM_KEYS = ("section", "title", "body", "date", "region", "tags", "source")
REQUIRED_ITEM_KEYS = ("section", "title", "body")

YEAR_FOLDER = re.compile(r"^\d{4}$")
REGULAR_FILE = re.compile(r"^(\d{2,3})\.yml$")
SUPPLEMENT_FILE = re.compile(r"^supplement-(\d{2,3})\.yml$")
IGNORED_FOLDERS = {"media"}


@dataclass(frozen=True)
class IssueFile:
    """An issue file found on disk, with what its name and folder promise."""

    path: Path
    year: int
    number: int
    supplement: bool


def find_issue_files(content_dir: Path, problems: Problems) -> list[IssueFile]:
    """Every `content/<YYYY>/<NN>.yml` and `supplement-<NN>.yml`, in a stable order."""
    if not content_dir.is_dir():
        problems.error(content_dir, None, "找不到 content 文件夹：简报内容应放在 content/<年份>/<期号>.yml。")
        return []
    found: list[IssueFile] = []
    for folder in sorted(content_dir.iterdir()):
        if folder.name.startswith(".") or folder.name in IGNORED_FOLDERS:
            continue
        if not folder.is_dir():
            if folder.suffix in (".yml", ".yaml"):
                problems.error(folder, None, "简报文件应放在年份文件夹中，如 content/2021/06.yml。")
            continue
        if not YEAR_FOLDER.match(folder.name):
            year = re.match(r"\d{4}", folder.name)
            if any(path.suffix.lower() in (".yml", ".yaml") for path in folder.iterdir()):
                rename = f"改名为 {year[0]}" if year else "改名为四位数字的年份，如 2021"
                problems.error(
                    folder,
                    None,
                    f"其中有简报文件，但文件夹名不是年份：请把文件夹{rename}，否则这些简报不会被读取。",
                )
            else:
                problems.warning(
                    folder, None, "不是年份文件夹（应为四位数字，如 2021），其中的文件不会被读取。"
                )
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            regular = REGULAR_FILE.match(path.name)
            supplement = SUPPLEMENT_FILE.match(path.name)
            if regular or supplement:
                match = regular or supplement
                assert match is not None
                found.append(IssueFile(path, int(folder.name), int(match.group(1)), bool(supplement)))
            elif path.suffix.lower() in (".yml", ".yaml"):
                lower = path.stem + ".yml"
                if REGULAR_FILE.match(lower) or SUPPLEMENT_FILE.match(lower):
                    message = f"扩展名应为小写的 .yml：请把文件改名为 {lower}。"
                else:
                    message = (
                        "无法识别的文件名：每期简报应命名为两位期号，如 06.yml；增刊为 supplement-01.yml。"
                    )
                problems.error(path, None, message)
    return found


def load_issue(source: IssueFile, publication: Publication, problems: Problems) -> Issue | None:
    """One issue as far as it could be read, or None if it has no usable number or date.

    An issue with errors is still returned so that the checks across issues (duplicate
    numbers, gaps) can run; the project refuses to build while any error is recorded.
    """
    path = source.path
    root = load_yaml(path, problems)
    if root is None:
        return None
    if not root.is_mapping:
        problems.error(path, root.line, "简报文件的最外层应为键值映射（number: …、date: …、items: …）。")
        return None
    reader = Reader(path, problems, "简报")
    reader.check_keys(root, ISSUE_KEYS, REQUIRED_ISSUE_KEYS)

    number = reader.integer(root, "number")
    expected_name = f"supplement-{source.number:02d}.yml" if source.supplement else f"{source.number:02d}.yml"
    if number is not None and number != source.number:
        problems.error(
            path,
            root.value["number"].line,
            f"期号 number: {number} 与文件名 {path.name} 不一致：第{number}期应命名为 "
            f"{'supplement-' if source.supplement else ''}{number:02d}.yml，或改正期号。",
        )
    elif number is not None and path.name != expected_name:
        problems.error(path, root.value["number"].line, f"文件名应为两位期号：请改名为 {expected_name}。")

    date = reader.date(root, "date")
    if date is not None and date.year != source.year:
        problems.error(
            path,
            root.value["date"].line,
            f"日期 {date.isoformat()} 的年份与所在文件夹 {source.year} 不一致：请改正日期，或把文件移到 content/{date.year}/。",
        )
    status = reader.choice(root, "status", [s.value for s in Status], STATUS_WORDS)
    kind = reader.choice(root, "kind", [k.value for k in IssueKind], KIND_WORDS)
    issue_kind = IssueKind(kind) if kind else IssueKind.REGULAR
    if source.supplement and kind is not None and issue_kind is not IssueKind.SUPPLEMENT:
        problems.error(
            path, root.value["kind"].line, "文件名为 supplement-NN.yml 的增刊，kind 应为 supplement。"
        )
    if not source.supplement and issue_kind is IssueKind.SUPPLEMENT:
        problems.error(
            path,
            root.value["kind"].line,
            f"增刊有自己的期号序列：请把文件改名为 supplement-{source.number:02d}.yml。",
        )
    if source.supplement:
        issue_kind = IssueKind.SUPPLEMENT
    total = reader.integer(root, "total")
    if source.supplement and total is not None:
        problems.error(
            path,
            root.value["total"].line,
            "增刊单独编号，不计入总期号（总第N期）：请删去 total 这一行。",
        )
        total = None
    topic = reader.text(root, "topic")
    note = reader.text(root, "note")
    distribution = read_distribution(reader, root)
    copies = reader.integer(root, "copies")
    items = _items(reader, root, publication)

    if number is None or date is None:
        return None
    return Issue(
        year=source.year,
        number=number,
        kind=issue_kind,
        date=date,
        status=Status(status) if status else Status.PUBLISHED,
        items=tuple(items),
        path=path,
        total=total,
        topic=topic.strip() if topic else None,
        note=note.strip() if note else None,
        distribution=distribution,
        copies=copies,
        lines=value_lines(root),
    )


def value_lines(mapping: Node) -> dict[str, int]:
    """For each key, the line where its value's text starts (inside a `|` block: the next line)."""
    return {key: node.line_of_text_line(0) for key, node in mapping.value.items()}


def _items(reader: Reader, root: Node, publication: Publication) -> list[Item]:
    entries = reader.mapping_list(root, "items")
    if entries is None:
        return []
    if not root.value["items"].value:
        reader.problems.error(reader.path, root.value["items"].line, "“items”至少要有一条信息。")
    section_ids = [s.id for s in publication.sections]
    items: list[Item] = []
    for position, entry in enumerate(entries, start=1):
        sub = Reader(reader.path, reader.problems, f"第 {position} 条信息")
        sub.check_keys(entry, ITEM_KEYS, REQUIRED_ITEM_KEYS)
        section_id = sub.text(entry, "section")
        if section_id is not None and section_id not in section_ids:
            by_title = {s.title: s.id for s in publication.sections}
            guess = by_title.get(section_id.strip()) or closest(section_id, section_ids)
            hint = f"是否应为“{guess}”？" if guess else ""
            if section_id.strip() in by_title:
                hint = f"“{section_id.strip()}”是栏目的名称，这里要写它的代号：section: {guess}。"
            reader.problems.error(
                reader.path,
                entry.value["section"].line,
                f"未知的栏目“{section_id}”：site_config.yml 中的栏目为 {', '.join(section_ids)}。{hint}",
            )
            section_id = None
        title = sub.text(entry, "title")
        if title is not None and title.strip().startswith("★"):
            reader.problems.error(
                reader.path,
                entry.value["title"].line,
                "标题开头不用写“★”：目录中的★由排版自动加上（现在会印成“★★”），请删去它。",
            )
        body_node = entry.value.get("body")
        body = sub.text(entry, "body", allow_empty=True)
        if body is not None and not body.strip():
            reader.problems.error(
                reader.path,
                body_node.line if body_node else entry.line,
                "正文（body）为空：请填写这条信息的内容。",
            )
            body = None
        date = sub.date(entry, "date")
        region = sub.text(entry, "region")
        tags = sub.text_list(entry, "tags") or []
        source = sub.text(entry, "source")
        if section_id is None or title is None or body is None:
            continue
        items.append(
            Item(
                section_id=section_id,
                title=title.strip(),
                body=body.strip("\n"),
                position=position,
                line=entry.line,
                date=date,
                region=region.strip() if region else None,
                tags=tuple(tag for tag, _ in tags),
                source=source.strip() if source else None,
                lines=value_lines(entry),
            )
        )
    return items
