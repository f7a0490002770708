"""One reading of every Markdown body: Python-Markdown's tree, turned into plain blocks.

Both back ends walk the same blocks (the web renders them to HTML through the theme's
templates, the print back end hands them to Typst as JSON), so a body can never mean one
thing on screen and another on paper. All text stays text: raw HTML in a body becomes
literal characters, never markup, and nothing is ever evaluated as Typst.

Blocks:  paragraph{inlines} heading{level, inlines} list{ordered, start, items: [[block]]}
         table{head: [cell], rows: [[cell]], align: [left|center|right|null per column]}
         (cell = [inline]) image{src, alt}
         quote{blocks} code{text}
Inlines: text{text} strong{inlines} emph{inlines} code{text} link{href, inlines} break{}
         image{src, alt, inline}: an image amid text, which check refuses (an image is a paragraph)
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import markdown
from markdown.treeprocessors import Treeprocessor

Block = dict[str, Any]
Inline = dict[str, Any]

_STASH = re.compile("\x02wzxhzdk:(\\d+)\x03")
_EXTENSIONS = ["tables", "sane_lists"]
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^`]*$")
_HASH_HEADING = re.compile(r"(?:^|\n)(?P<level>#{1,6})[ \t]+(?P<header>(?:\\.|[^\\])*?)#*(?:\n|$)")


class _KeepTree(Treeprocessor):
    """Runs after every other tree processor and keeps the finished tree."""

    tree: etree.Element | None = None

    def run(self, root: etree.Element) -> None:
        self.tree = root


@lru_cache(maxsize=1)
def _parser() -> tuple[markdown.Markdown, _KeepTree]:
    """One Markdown instance, reset between bodies: building one costs more than a parse."""
    md = markdown.Markdown(extensions=_EXTENSIONS)
    # As in CommonMark, "#" starts a heading only when a space follows it, so that a line
    # like "#1号文件" or "#set page(...)" stays text.
    md.parser.blockprocessors["hashheader"].RE = _HASH_HEADING
    keeper = _KeepTree(md)
    md.treeprocessors.register(keeper, "jianbao-keep-tree", -100)
    return md, keeper


_parsed: dict[bytes, tuple[Block, ...]] = {}
"""Every body parsed in this run, by the SHA-1 of its text: validation and the three back ends
parse the same bodies, and `body_cache` keeps them from one run to the next."""


def parsed_bodies() -> dict[bytes, tuple[Block, ...]]:
    return _parsed


def body_key(text: str) -> bytes:
    """The key of a body in `parsed_bodies`."""
    return hashlib.sha1(text.encode("utf-8")).digest()


def _parse(text: str) -> tuple[Block, ...]:
    if not text.strip():  # Markdown returns early on blank text, before any tree processor
        return ()
    md, keeper = _parser()
    md.reset()
    keeper.tree = None
    md.convert(_word_paragraphs(_fences_as_indented_code(text)))
    assert keeper.tree is not None
    stash = [str(chunk) for chunk in md.htmlStash.rawHtmlBlocks]
    return tuple(_Walker(stash).blocks(keeper.tree))


def parse_body(text: str) -> list[Block]:
    """The blocks of a Markdown body (parsed once per run, or kept from an earlier run)."""
    key = body_key(text)
    blocks = _parsed.get(key)
    if blocks is None:
        blocks = _parsed[key] = _parse(text)
    return list(blocks)


TABLE_SENTENCE_ENDS = "。！？；：，、…"
"""A table whose last cell ends with one of these gets no full stop of its own."""


def plain_text(blocks: list[Block]) -> str:
    """The text of some blocks without markup, for excerpts, feeds and search."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
                if isinstance(child, list):  # a list item
                    parts.append(" ")
        elif isinstance(node, dict):
            if node["type"] == "table":
                parts.append(_table_text(node) + "\n")
                return
            if "text" in node and node["type"] in ("text", "code"):
                parts.append(node["text"])
            for key in ("inlines", "blocks", "items"):
                if key in node:
                    walk(node[key])
            if node["type"] in ("paragraph", "heading"):
                parts.append("\n")

    walk(blocks)
    return "".join(parts).strip()


def _table_text(table: Block) -> str:
    """A table as a sentence: `市州，线索数；成都市，96；广安市，38。`. Spaces would not keep the
    cells apart in a search excerpt (the search box drops every space next to a Chinese
    character); empty cells are left out."""
    rows = []
    for row in (table["head"], *table["rows"]):
        cells = [text for cell in row if (text := " ".join(plain_text(cell).split()))]
        if cells:
            rows.append("，".join(cells))
    text = "；".join(rows)
    return text if not text or text.endswith(tuple(TABLE_SENTENCE_ENDS)) else text + "。"


def nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every block and inline of a tree (blocks, a list of them, or table rows), depth first."""
    if isinstance(tree, list | tuple):
        for child in tree:
            yield from nodes(child)
    elif isinstance(tree, dict):
        yield tree
        for key in ("inlines", "blocks", "items", "head", "rows"):
            if key in tree:
                yield from nodes(tree[key])


def images(blocks: list[Block]) -> list[Block]:
    """Every image of a body, in order: the image blocks, and any image amid text (which check refuses)."""
    return [node for node in nodes(blocks) if node.get("type") == "image"]


_WORD_PARAGRAPH_START = re.compile("\n(?=[ ]{0,3}\u3000)")


def _word_paragraphs(text: str) -> str:
    """A line that starts with full-width spaces starts a paragraph: that is how paragraphs
    pasted from Word look (each opens with "　　", no blank line between), and Markdown would
    join them into one. Code (indented four spaces by then) is left alone."""
    return _WORD_PARAGRAPH_START.sub("\n\n", text) if "\u3000" in text else text


def _fences_as_indented_code(text: str) -> str:
    """```/~~~ fenced code as Markdown's indented code, line for line (the fences become blank
    lines). Python-Markdown's own fenced_code keeps the block as raw HTML, which bodies never
    are; an unclosed fence runs to the end, as in CommonMark."""
    if "```" not in text and "~~~" not in text:
        return text
    lines: list[str] = []
    fence: tuple[str, str] | None = None  # (its indentation, its characters)
    for line in text.split("\n"):
        if fence is None:
            opening = _FENCE.match(line)
            if opening:
                fence = (opening["indent"], opening["fence"])
                line = ""
        elif line.strip().startswith(fence[1]) and not line.strip().strip(fence[1][0]):
            fence, line = None, ""
        else:
            indent = fence[0]
            line = indent + "    " + (line[len(indent) :] if line.startswith(indent) else line.lstrip())
        lines.append(line)
    return "\n".join(lines)


def _unescape_code(text: str) -> str:
    """Python-Markdown keeps code text escaped for HTML (&lt; &gt; &amp;); blocks hold text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class _Walker:
    def __init__(self, stash: list[str]) -> None:
        self.stash = stash

    def _text(self, text: str | None) -> str:
        if not text:
            return ""
        return _STASH.sub(lambda m: self.stash[int(m.group(1))], text)

    def blocks(self, parent: etree.Element) -> list[Block]:
        result: list[Block] = []
        for element in parent:
            block = self.block(element)
            if block is not None:
                result.append(block)
        return result

    def block(self, element: etree.Element) -> Block | None:
        tag = element.tag
        if tag == "p":
            children = list(element)
            if (
                len(children) == 1
                and children[0].tag == "img"
                and not (element.text or "").strip()
                and not (children[0].tail or "").strip()
            ):
                image = children[0]
                return {"type": "image", "src": image.get("src", ""), "alt": image.get("alt", "")}
            inlines = self.inlines(element)
            return {"type": "paragraph", "inlines": inlines} if inlines else None
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return {"type": "heading", "level": min(int(tag[1]), 4), "inlines": self.inlines(element)}
        if tag in ("ul", "ol"):
            items = [self.list_item(li) for li in element if li.tag == "li"]
            return {
                "type": "list",
                "ordered": tag == "ol",
                "start": int(element.get("start", "1")),
                "items": items,
            }
        if tag == "blockquote":
            return {"type": "quote", "blocks": self.blocks(element)}
        if tag == "pre":
            code = element.find("code")
            text = "".join((code if code is not None else element).itertext())
            return {"type": "code", "text": _unescape_code(self._text(text)).rstrip("\n")}
        if tag == "table":
            return self.table(element)
        if tag == "hr":
            return None
        # Anything else (a raw HTML block that survived as an element) is kept as text.
        text = self._text("".join(element.itertext())).strip()
        return {"type": "paragraph", "inlines": [{"type": "text", "text": text}]} if text else None

    def list_item(self, li: etree.Element) -> list[Block]:
        if any(child.tag in ("p", "ul", "ol", "blockquote", "pre", "table") for child in li):
            blocks: list[Block] = []
            loose = etree.Element("p")
            loose.text = li.text
            for child in li:
                if child.tag in ("p", "ul", "ol", "blockquote", "pre", "table"):
                    if (loose.text or "").strip() or len(loose):
                        blocks.append({"type": "paragraph", "inlines": self.inlines(loose)})
                        loose = etree.Element("p")
                    block = self.block(child)
                    if block is not None:
                        blocks.append(block)
                    loose.text = child.tail
                else:
                    loose.append(child)
            if (loose.text or "").strip() or len(loose):
                blocks.append({"type": "paragraph", "inlines": self.inlines(loose)})
            return blocks
        return [{"type": "paragraph", "inlines": self.inlines(li)}]

    def table(self, element: etree.Element) -> Block:
        head: list[list[Inline]] = []
        rows: list[list[list[Inline]]] = []
        for row in element.iter("tr"):
            cells = [self.inlines(cell) for cell in row if cell.tag in ("th", "td")]
            if any(cell.tag == "th" for cell in row) and not head:
                head = cells
            else:
                rows.append(cells)
        return {"type": "table", "head": head, "rows": rows, "align": _column_alignment(element)}

    def inlines(self, element: etree.Element) -> list[Inline]:
        result: list[Inline] = []
        self._append_text(result, element.text)
        for child in element:
            result.extend(self.inline(child))
            self._append_text(result, child.tail)
        return _merge_text(result)

    def inline(self, element: etree.Element) -> list[Inline]:
        tag = element.tag
        if tag in ("strong", "b"):
            return [{"type": "strong", "inlines": self.inlines(element)}]
        if tag in ("em", "i"):
            return [{"type": "emph", "inlines": self.inlines(element)}]
        if tag == "code":
            return [{"type": "code", "text": _unescape_code(self._text("".join(element.itertext())))}]
        if tag == "a":
            return [{"type": "link", "href": element.get("href", ""), "inlines": self.inlines(element)}]
        if tag == "br":
            return [{"type": "break"}]
        if tag == "img":  # refused by `validate.check_images`: neither back end places one
            return [
                {
                    "type": "image",
                    "src": element.get("src", ""),
                    "alt": element.get("alt", ""),
                    "inline": True,
                }
            ]
        return self.inlines(element)

    def _append_text(self, result: list[Inline], text: str | None) -> None:
        text = self._text(text)
        if text:
            result.append({"type": "text", "text": text})


def _merge_text(inlines: list[Inline]) -> list[Inline]:
    """Adjacent text runs joined, and soft line breaks between Chinese characters removed."""
    merged: list[Inline] = []
    for inline in inlines:
        if inline["type"] == "text" and merged and merged[-1]["type"] == "text":
            merged[-1] = {"type": "text", "text": merged[-1]["text"] + inline["text"]}
        else:
            merged.append(inline)
    for index, inline in enumerate(merged):
        if inline["type"] == "text":
            merged[index] = {"type": "text", "text": _join_soft_breaks(inline["text"])}
    return merged


_SOFT_BREAK = re.compile(r"\s*\n\s*")
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]")


def _join_soft_breaks(text: str) -> str:
    """A line break inside a paragraph: nothing between Chinese characters, a space otherwise."""

    def replace(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not before or not after or _CJK_CHAR.match(before) or _CJK_CHAR.match(after):
            return ""
        return " "

    return _SOFT_BREAK.sub(replace, text)


def _column_alignment(table: etree.Element) -> list[str | None]:
    """Each column's alignment as the Markdown's separator row wrote it (`---:` right, `:---:`
    centre, `:---` left, `---` none), read from the first row's cells."""
    first = next(table.iter("tr"), None)
    cells = [] if first is None else [cell for cell in first if cell.tag in ("th", "td")]
    return [_ALIGNMENT.get(cell.get("style", "")) for cell in cells]


_ALIGNMENT = {f"text-align: {side};": side for side in ("left", "center", "right")}
