"""Read site_config.yml into a `Publication`."""

from __future__ import annotations

import re
from pathlib import Path

from generator.model import DEFAULT_FONTS, DistributionLine, FontChains, Publication, Section
from generator.problems import Problems
from generator.schema import Reader
from generator.themes import BUNDLED_THEMES
from generator.yaml_source import Node, load_yaml

CONFIG_KEYS = (
    "title",
    "office",
    "sections",
    "regions",
    "tags",
    "distribution",
    "copies",
    "mark",
    "site",
    "fonts",
    "theme",
)
REQUIRED_CONFIG_KEYS = ("title", "office", "sections")
FONT_ROLES = ("masthead", "body", "heading", "kai")
SECTION_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


def load_publication(config_path: Path, problems: Problems) -> Publication | None:
    """The publication, or None if site_config.yml has errors (all recorded in `problems`)."""
    if not config_path.is_file():
        problems.error(
            config_path,
            None,
            f"找不到配置文件 {config_path.absolute()}：请在简报项目的目录中运行，"
            "或用 --config 指定 site_config.yml 的路径。",
        )
        return None
    errors_before = len(problems.errors)
    root = load_yaml(config_path, problems)
    if root is None:
        return None
    reader = Reader(config_path, problems, "配置文件")
    if not root.is_mapping:
        problems.error(config_path, root.line, "配置文件的最外层应为键值映射（如 “title: …”）。")
        return None
    reader.check_keys(root, CONFIG_KEYS, REQUIRED_CONFIG_KEYS)

    title = reader.text(root, "title")
    office = reader.text(root, "office")
    sections = _sections(reader, root)
    regions = _unique_texts(reader, root, "regions")
    tags = _unique_texts(reader, root, "tags")
    distribution = read_distribution(reader, root)
    copies = reader.integer(root, "copies")
    mark = reader.text(root, "mark")
    site_url, site_name = _site(reader, root)
    fonts = _fonts(reader, root, config_path.parent)
    theme = (reader.text(root, "theme") or "default").strip()
    if not any((base / theme).is_dir() for base in (config_path.parent / "themes", BUNDLED_THEMES)):
        problems.error(
            config_path,
            root.value["theme"].line,
            f"找不到主题“{theme}”：应在 themes/{theme}/ 文件夹中；不写 theme 则使用默认主题。",
        )

    if len(problems.errors) > errors_before or title is None or office is None or not sections:
        return None
    return Publication(
        title=title.strip(),
        office=office.strip(),
        sections=tuple(sections),
        root=config_path.parent.resolve(),
        regions=tuple(regions),
        tags=tuple(tags),
        distribution=distribution or (),
        copies=copies,
        mark=mark.strip() if mark else None,
        site_url=site_url,
        site_name=site_name,
        fonts=fonts,
        theme=theme,
    )


def _sections(reader: Reader, root: Node) -> list[Section]:
    entries = reader.mapping_list(root, "sections")
    if entries is None:
        return []
    if not root.value["sections"].value:
        reader.problems.error(reader.path, root.value["sections"].line, "“sections”至少要有一个栏目。")
    sections: list[Section] = []
    seen: dict[str, int] = {}
    for entry in entries:
        sub = Reader(reader.path, reader.problems, "栏目")
        sub.check_keys(entry, ("id", "title"), ("id", "title"))
        section_id = sub.text(entry, "id")
        title = sub.text(entry, "title")
        if section_id is None or title is None:
            continue
        if not SECTION_ID.match(section_id):
            reader.problems.error(
                reader.path,
                entry.value["id"].line,
                f"栏目 id“{section_id}”无效：只能用小写英文字母、数字、- 和 _，如 national。",
            )
            continue
        if section_id in seen:
            reader.problems.error(
                reader.path,
                entry.value["id"].line,
                f"栏目 id“{section_id}”重复（第 {seen[section_id]} 行已有）。",
            )
            continue
        seen[section_id] = entry.value["id"].line
        sections.append(Section(section_id, title.strip()))
    return sections


def _unique_texts(reader: Reader, root: Node, key: str) -> list[str]:
    values = reader.text_list(root, key) or []
    result: list[str] = []
    for value, line in values:
        if value in result:
            reader.problems.warning(reader.path, line, f"“{key}”中的“{value}”重复。")
        else:
            result.append(value)
    return result


def read_distribution(reader: Reader, root: Node) -> tuple[DistributionLine, ...] | None:
    """The 报尾 lines under `distribution` (site_config.yml or an issue), or None if absent."""
    entries = reader.mapping_list(root, "distribution")
    if entries is None:
        return None
    lines = []
    for entry in entries:
        sub = Reader(reader.path, reader.problems, "报尾（distribution）的一项")
        sub.check_keys(entry, ("label", "to"), ("label", "to"))
        label = sub.text(entry, "label")
        recipients = sub.text_list(entry, "to")
        if label is None or not recipients:
            if recipients == []:
                reader.problems.error(reader.path, entry.line, "报尾的“to”至少要有一个单位。")
            continue
        label = label.strip().rstrip("：:")
        lines.append(DistributionLine(label, tuple(text for text, _ in recipients)))
    return tuple(lines)


def _site(reader: Reader, root: Node) -> tuple[str | None, str | None]:
    node = root.value.get("site")
    if node is None:
        return None, None
    if not node.is_mapping:
        reader.problems.error(reader.path, node.line, "“site”应为键值映射，如 {url: …, name: …}。")
        return None, None
    sub = Reader(reader.path, reader.problems, "“site”")
    sub.check_keys(node, ("url", "name"), ())
    return sub.text(node, "url"), sub.text(node, "name")


def _fonts(reader: Reader, root: Node, base: Path) -> FontChains:
    node = root.value.get("fonts")
    if node is None:
        return DEFAULT_FONTS
    if not node.is_mapping:
        reader.problems.error(reader.path, node.line, "“fonts”应为键值映射，如 {body: [FangSong, …]}。")
        return DEFAULT_FONTS
    sub = Reader(reader.path, reader.problems, "“fonts”")
    sub.check_keys(node, (*FONT_ROLES, "paths"), ())
    chains = {}
    for role in FONT_ROLES:
        families = sub.text_list(node, role)
        chains[role] = tuple(name for name, _ in families) if families else getattr(DEFAULT_FONTS, role)
    paths = []
    for text, line in sub.text_list(node, "paths") or []:
        folder = (base / text).resolve()
        if not folder.is_dir():
            reader.problems.warning(reader.path, line, f"字体文件夹“{text}”不存在：其中的字体不会被使用。")
        paths.append(folder)
    return FontChains(paths=tuple(paths), **chains)
