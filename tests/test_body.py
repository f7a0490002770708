"""Markdown bodies become one tree of plain blocks; nothing in a body is ever markup or code."""

from __future__ import annotations

from generator.body import images, parse_body, plain_text


def test_paragraphs_bold_lists_and_tables() -> None:
    blocks = parse_body(
        "6月2日，**专项**整治\n继续推进。\n\n1. 第一\n2. 第二\n\n| 市州 | 线索数 |\n| --- | --- |\n| 成都市 | 12 |\n"
    )
    assert [b["type"] for b in blocks] == ["paragraph", "list", "table"]
    assert blocks[0]["inlines"] == [
        {"type": "text", "text": "6月2日，"},
        {"type": "strong", "inlines": [{"type": "text", "text": "专项"}]},
        {"type": "text", "text": "整治继续推进。"},  # no space where a Chinese line was wrapped
    ]
    assert blocks[1]["ordered"] and len(blocks[1]["items"]) == 2
    assert blocks[2]["rows"] == [[[{"type": "text", "text": "成都市"}], [{"type": "text", "text": "12"}]]]
    assert blocks[2]["align"] == [None, None]


def test_table_columns_keep_the_alignment_written() -> None:
    table = parse_body(
        "| 市州 | 线索数 | 说明 | 备注 |\n| :--- | ---: | :---: | --- |\n| 成都市 | 96 | 已办 | |\n"
    )[0]
    assert table["align"] == ["left", "right", "center", None]


def test_plain_text_reads_a_table_as_a_sentence() -> None:
    """Cells apart by "，", rows by "；", a full stop at the end unless the text has a mark there."""
    table = "| 市州 | 线索数 | 备注 |\n| --- | --- | --- |\n| 成都市 | **12** | |\n| 合计 | 12 | 已办结。 |\n"
    assert plain_text(parse_body("如下：\n\n" + table + "\n下一段。")) == (
        "如下：\n市州，线索数，备注；成都市，12；合计，12，已办结。\n下一段。"
    )
    assert plain_text(parse_body("| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n")) == "甲，乙；1，2。"


def test_raw_html_and_typst_syntax_stay_literal_text() -> None:
    body = '<script>alert(1)</script>\n\n正文<b onclick="x">粗</b>。\n\n#set page(width: 1cm) $x$ <lbl> @ref'
    text = plain_text(parse_body(body))
    assert "<script>alert(1)</script>" in text
    assert '<b onclick="x">粗</b>' in text
    assert "#set page(width: 1cm) $x$ <lbl> @ref" in text


def test_heading_needs_a_space_after_hash() -> None:
    blocks = parse_body("# 一、总体情况\n\n#1号文件已印发。")
    assert blocks[0] == {"type": "heading", "level": 1, "inlines": [{"type": "text", "text": "一、总体情况"}]}
    assert blocks[1]["type"] == "paragraph"


def test_images_are_found() -> None:
    blocks = parse_body("图表如下：\n\n![线索统计](media/chart.png)\n")
    assert blocks[1] == {"type": "image", "src": "media/chart.png", "alt": "线索统计"}
    assert [image["src"] for image in images(blocks)] == ["media/chart.png"]


def test_code_keeps_its_characters() -> None:
    """Inline and indented code hold the text as written (Python-Markdown escapes it for HTML)."""
    inline, _, block = parse_body("流程 `a->b & c<d` 完\n\n说明：\n\n    复核 -> 论证 & 公示<7天>\n")
    assert inline["inlines"][1] == {"type": "code", "text": "a->b & c<d"}
    assert block == {"type": "code", "text": "复核 -> 论证 & 公示<7天>"}


def test_fenced_code_is_a_code_block() -> None:
    blocks = parse_body(
        "说明：\n```text\n第一行 a->b\n\n第二行\n```\n后文。\n\n- 项目\n\n    ~~~\n    x<y\n    ~~~\n"
    )
    assert [b["type"] for b in blocks] == ["paragraph", "code", "paragraph", "list"]
    assert blocks[1]["text"] == "第一行 a->b\n\n第二行"
    assert blocks[3]["items"][0][1] == {"type": "code", "text": "x<y"}


def test_paragraphs_pasted_from_word_stay_paragraphs() -> None:
    """Word's paragraphs open with two full-width spaces and no blank line between them."""
    blocks = parse_body("　　第一段。\n　　第二段，\n接着写。\n\n```\n　　代码\n　　代码\n```\n")
    assert [plain_text([block]).strip() for block in blocks[:2]] == ["第一段。", "第二段，接着写。"]
    assert blocks[2] == {"type": "code", "text": "　　代码\n　　代码"}
