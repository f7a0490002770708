"""Rules that look at the loaded model: text style, vocabulary, and the sequence of issues.

Type and key errors are found while loading (generator.load, generator.schema); the rules
here need the whole issue or the whole archive.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from generator.body import images, nodes, parse_body
from generator.model import PLACEHOLDER, Issue, IssueKind, Item, Publication
from generator.problems import Problems
from generator.schema import closest

# The table of contents is 28 characters wide; "★" takes one, and wrapped lines hang under
# the text, so each line holds 27 characters of headline.
TOC_CHARS_PER_LINE = 27
TOC_MAX_LINES = 2
_TOC_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z+\-./:_%]*|\s+|.")
_CLOSING = set("，。、；：？！）》」』〕】”’")

_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60“”‘’]"
_INLINE_CODE = re.compile(r"(`+)[^`]*?\1")
_HALF_WIDTH_PUNCTUATION = re.compile(rf"(?<={_CJK})[,:;()]|[,:;()](?={_CJK})")
_LIST_SEPARATORS = re.compile(r"[，、；;]|,(?! )")
"""What separates several regions or tags written as one text (a YAML list's commas are gone)."""
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}


def display_width(text: str) -> float:
    """Width in full-width characters: CJK and full-width marks 1, ASCII letters and digits ½."""
    return sum(0.5 if unicodedata.east_asian_width(ch) in ("Na", "H") else 1 for ch in text)


def toc_lines(title: str) -> int:
    """The lines a ★ headline takes in the contents, filled as the print template does: 27
    characters a line after the ★, a run of Latin letters and digits never split (it moves
    down whole), a closing mark allowed to hang past the last character."""
    lines, used = 1, 0.0
    for token in _TOC_TOKEN.findall(title.strip()):
        width = display_width(token)
        if used + width <= TOC_CHARS_PER_LINE or (token in _CLOSING and used < TOC_CHARS_PER_LINE + 1):
            used += width
            continue
        lines += 1
        while width > TOC_CHARS_PER_LINE:  # longer than a line: Typst breaks it where it must
            lines += 1
            width -= TOC_CHARS_PER_LINE
        used = width
    return lines


def check_issue_text(issue: Issue, publication: Publication, problems: Problems) -> None:
    """Warnings about one issue's wording: punctuation, vocabulary, headline length, dates."""
    for key in ("topic", "note"):
        text = getattr(issue, key)
        if text:
            _check_punctuation(text, issue.lines.get(key), issue, problems, markdown=key == "note")
    for line in placeholder_lines(issue):
        problems.warning(issue.path, line, f"仍是模板占位文字“{PLACEHOLDER}”：请填写内容，或删除这一条。")
    for item in issue.items:
        _check_item(item, issue, publication, problems)


def placeholder_lines(issue: Issue) -> list[int | None]:
    """The lines of the issue's texts that still hold the template's placeholder."""
    texts = [(getattr(issue, key), issue.lines.get(key)) for key in ("topic", "note")]
    for item in issue.items:
        texts += [(item.title, item.lines.get("title")), (item.body, item.lines.get("body"))]
    return [line for text, line in texts if text and PLACEHOLDER in text]


def _check_item(item: Item, issue: Issue, publication: Publication, problems: Problems) -> None:
    path = issue.path
    _check_punctuation(item.title, item.lines.get("title"), issue, problems)
    _check_punctuation(item.body, item.lines.get("body"), issue, problems, markdown=True)
    width = display_width(item.title)
    if width > TOC_CHARS_PER_LINE * TOC_MAX_LINES:
        problems.warning(
            path,
            item.lines.get("title"),
            f"★标题约 {width:g} 字，在目录中会超过两行：建议精简到 "
            f"{TOC_CHARS_PER_LINE * TOC_MAX_LINES} 字以内。",
        )
    elif (lines := toc_lines(item.title)) > TOC_MAX_LINES:
        problems.warning(
            path,
            item.lines.get("title"),
            f"★标题在目录中会占 {lines} 行：其中的字母和数字（如编号、桩号）不能拆开换行，"
            "整段移到了下一行。请精简标题，或把字母数字挪到前面。",
        )
    if item.date is not None and item.date > issue.date:
        problems.warning(
            path,
            item.lines.get("date"),
            f"信息日期 {item.date.isoformat()} 晚于本期印发日期 {issue.date.isoformat()}：请核对。",
        )
    if item.region and _LIST_SEPARATORS.search(item.region):
        problems.error(
            path,
            item.lines.get("region"),
            f"地区“{item.region}”写了不止一个：每条信息只写一个地区（region），"
            "涉及几个地区时写主要的一个，其余可写进正文或标签。",
        )
    elif item.region and publication.regions and item.region not in publication.regions:
        problems.warning(
            path,
            item.lines.get("region"),
            _vocabulary_message("地区", item.region, publication.regions, "regions"),
        )
    for tag in item.tags:
        if _LIST_SEPARATORS.search(tag):
            listed = ", ".join(part for part in _LIST_SEPARATORS.split(tag) if part.strip())
            problems.error(
                path,
                item.lines.get("tags"),
                f"标签“{tag}”中有“{_LIST_SEPARATORS.search(tag)[0]}”：几个标签要写成列表，"
                f"用英文逗号加空格分开，如 tags: [{listed}]。",
            )
        elif publication.tags and tag not in publication.tags:
            problems.warning(
                path,
                item.lines.get("tags"),
                _vocabulary_message("标签", tag, publication.tags, "tags"),
            )


def check_images(issue: Issue, publication: Publication, problems: Problems) -> None:
    """Every image a body shows must be a paragraph of its own and a file inside content/media/ (errors)."""
    texts = [(issue.note, issue.lines.get("note"))] + [
        (item.body, item.lines.get("body")) for item in issue.items
    ]
    media = publication.media_dir.resolve()
    for text, first_line in texts:
        if not text:
            continue
        for image in images(parse_body(text)):
            source = image["src"]
            line = _line_containing(text, source, first_line)
            if image.get("inline"):
                problems.error(
                    issue.path,
                    line,
                    f"图片“{source}”夹在文字、列表或表格中：图片必须单独成段，"
                    "请把 ![说明](media/文件名) 单独写一行，前后各空一行。",
                )
                continue
            if re.match(r"^(?:[a-z]:[\\/]|\\\\|file:)", source, re.IGNORECASE):
                name = re.split(r"[\\/]", source)[-1]
                problems.error(
                    issue.path,
                    line,
                    f"图片“{source}”是本机上的路径，别的电脑和网站都看不到它：请把图片复制到 content/media/，"
                    f"写成 media/{name}。",
                )
                continue
            if re.match(r"^[a-z][a-z0-9+.-]*:", source, re.IGNORECASE):
                problems.error(
                    issue.path,
                    line,
                    f"图片“{source}”来自其他网站：内网无法访问，请把图片放进 content/media/ 并写成 media/文件名。",
                )
                continue
            target = (publication.content_dir / source.lstrip("/")).resolve()
            if not target.is_relative_to(media):
                problems.error(
                    issue.path,
                    line,
                    f"图片路径“{source}”不在 content/media/ 中：图片只能放在 content/media/，写成 media/文件名。",
                )
            elif not target.is_file():
                problems.error(
                    issue.path, line, f"图片“{source}”不存在：请把文件放到 content/media/ 中，或改正文件名。"
                )


def _line_containing(text: str, needle: str, first_line: int | None) -> int | None:
    if first_line is None:
        return None
    for index, line_text in enumerate(text.split("\n")):
        if needle in line_text:
            return first_line + index
    return first_line


def _vocabulary_message(what: str, value: str, vocabulary: Iterable[str], key: str) -> str:
    guess = closest(value, vocabulary)
    hint = f"是否应为“{guess}”？" if guess else f"如确需使用，请把它加入 site_config.yml 的 {key}。"
    return f"{what}“{value}”不在 site_config.yml 的 {key} 中：{hint}"


def _check_punctuation(
    text: str, first_line: int | None, issue: Issue, problems: Problems, *, markdown: bool = False
) -> None:
    """Half-width marks between Chinese characters; in a Markdown body, not in code (`…`, an
    indented or fenced block), which is printed as written."""
    code_lines = _code_lines(text) if markdown else set()
    for index, line_text in enumerate(text.split("\n")):
        if markdown:
            if line_text.strip() in code_lines:
                continue
            line_text = _INLINE_CODE.sub("", line_text)
        for match in _HALF_WIDTH_PUNCTUATION.finditer(line_text):
            mark = match.group()
            context = line_text[max(0, match.start() - 6) : match.end() + 6]
            problems.warning(
                issue.path,
                None if first_line is None else first_line + index,
                f"中文里夹有半角标点“{mark}”（…{context}…）：请改为全角“{_FULL_WIDTH[mark]}”。",
            )


def _code_lines(body: str) -> set[str]:
    """The lines of a body's code blocks, as written (stripped)."""
    return {
        line.strip()
        for node in nodes(parse_body(body))
        if node.get("type") == "code"
        for line in node["text"].split("\n")
        if line.strip()
    }


def check_sequence(issues: list[Issue], problems: Problems) -> None:
    """Duplicate numbers, gaps, and dates out of order, per year and per sequence."""
    sequences: dict[tuple[int, bool], list[Issue]] = defaultdict(list)
    for issue in issues:
        sequences[(issue.year, issue.is_supplement)].append(issue)
    first_year = min((issue.year for issue in issues), default=None)
    for (year, supplement), members in sorted(sequences.items()):
        name = "增刊" if supplement else ""
        members.sort(key=lambda i: (i.number, str(i.path)))
        previous: Issue | None = None
        for issue in members:
            line = issue.lines.get("number")
            if previous is not None and issue.number == previous.number:
                problems.error(
                    issue.path,
                    line,
                    f"{year}年{name}第{issue.number}期重复：{previous.path.name} 已是这一期。",
                )
                continue
            expected = 1 if previous is None else previous.number + 1
            starts_archive = previous is None and year == first_year and not supplement
            if issue.number > expected and not starts_archive:
                missing = (
                    f"第{expected}期"
                    if issue.number == expected + 1
                    else f"第{expected}–{issue.number - 1}期"
                )
                problems.warning(issue.path, line, f"{year}年{name}期号不连续：缺少{missing}。")
            if previous is not None and issue.date < previous.date:
                problems.warning(
                    issue.path,
                    issue.lines.get("date"),
                    f"日期 {issue.date.isoformat()} 早于上一期（第{previous.number}期，"
                    f"{previous.date.isoformat()}）：期号与日期顺序不一致，请核对。",
                )
            elif (
                previous is not None
                and issue.date == previous.date
                and issue.kind is previous.kind is IssueKind.REGULAR
            ):
                problems.warning(
                    issue.path,
                    issue.lines.get("date"),
                    f"与上一期（第{previous.number}期）同一天印发（{issue.date.isoformat()}）：请核对日期，"
                    "或是否多建了一期。",
                )
            previous = issue
