"""The PDF of the real 2021年第6期, read back: layout, grid, contents pages, fonts, safety."""

from __future__ import annotations

import collections
import dataclasses
import io
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from generator.model import Archive, DistributionLine
from generator.pdf import PdfRenderer
from tests.conftest import make_project, run_cli

MM = 72 / 25.4
TOP, LEFT, WIDTH, HEIGHT = 37 * MM, 28 * MM, 156 * MM, 225 * MM
BOTTOM, RIGHT = TOP + HEIGHT, LEFT + WIDTH
BODY_SIZE = 16
DISTRIBUTION_SIZE = 14  # 四号


@pytest.fixture(scope="module")
def real_pdf(archive: Archive) -> bytes:
    issue = archive.find(2021, 6)
    assert issue is not None
    return PdfRenderer(archive.publication).render(issue)


@pytest.fixture(scope="module")
def pages(real_pdf: bytes) -> list[list[tuple[float, str, list[dict]]]]:
    return text_lines(real_pdf)


def text_lines(data: bytes) -> list[list[tuple[float, str, list[dict]]]]:
    """Per page: (baseline from the top, text, chars) for every line, top to bottom."""
    result = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            rows: dict[float, list[dict]] = collections.defaultdict(list)
            for char in page.chars:
                text = char["text"].replace("\u2060", "")
                if text.strip():
                    rows[round(page.height - char["matrix"][5])].append({**char, "text": text})
            lines = []
            for baseline in sorted(rows):
                chars = sorted(rows[baseline], key=lambda c: c["x0"])
                lines.append((baseline, "".join(c["text"] for c in chars), chars))
            result.append(lines)
    return result


def body_lines(lines: list[tuple[float, str, list[dict]]]) -> list[tuple[float, str, list[dict]]]:
    return [
        line
        for line in lines
        if TOP - 1 < line[0] < BOTTOM + 1 and any(abs(c["size"] - BODY_SIZE) < 0.6 for c in line[2])
    ]


def test_a4_with_metadata_and_bookmarks(real_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(real_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)
    assert reader.metadata.title == "四川交通运输执法领域突出问题专项整治行动工作简报 2021年第6期"
    assert reader.metadata.author == "四川交通运输执法领域突出问题专项整治行动领导小组办公室"
    assert reader.trailer["/Root"].get("/Lang") in ("zh-CN", "zh-cn", "zh")
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert titles == ["国家部署", "省级动态", "市州动态"]


def test_first_page_has_the_masthead(pages: list) -> None:
    text = "\n".join(line[1] for line in pages[0])
    for expected in (
        "四川交通运输执法领域突出",
        "2021年第6期",
        "专项整治行动领导小组办公室",
        "2021年6月4日",
        "内部资料",
    ):
        assert expected in text, expected
    red = next(c for line in pages[0] for c in line[2] if c["text"] == "四")
    assert red["non_stroking_color"] not in (None, (0,), [0], (0, 0, 0), [0, 0, 0]), "masthead is red"


def test_contents_page_numbers_are_where_sections_start(real_pdf: bytes, pages: list) -> None:
    contents = {}
    for line in pages[0] + pages[1]:
        match = re.match(r"^(国家部署|省级动态|市州动态)\.{3,}(\d+)$", line[1])
        if match:
            contents[match[1]] = int(match[2])
    assert set(contents) == {"国家部署", "省级动态", "市州动态"}
    reader = pypdf.PdfReader(io.BytesIO(real_pdf))
    for entry in reader.outline:
        page_number = reader.get_destination_page_number(entry) + 1
        assert contents[entry.title] == page_number, entry.title
        headings = [line for line in pages[page_number - 1] if line[1] == entry.title]
        assert headings, f"{entry.title} heading not on page {page_number}"


def test_headlines_have_stars_and_hang(pages: list) -> None:
    lines = [line for page in pages[:2] for line in page]
    starred = [line for line in lines if line[1].startswith("★")]
    assert len(starred) == 14
    first = starred[0]
    index = lines.index(first)
    continuation = lines[index + 1]
    assert continuation[2][0]["x0"] > first[2][0]["x0"] + 8, "continuation hangs under the text, not under ★"


def test_page_numbers_alternate_sides(pages: list) -> None:
    for number, lines in enumerate(pages, start=1):
        footers = [line for line in lines if line[0] > BOTTOM + 5]
        assert footers, f"page {number} has no footer"
        baseline, text, chars = footers[-1]
        assert text == f"—{number}—"
        assert abs(baseline - (BOTTOM + 7 * MM)) < 6 * MM
        if number % 2:
            assert chars[-1]["x1"] > RIGHT - 2 * BODY_SIZE, "odd pages: right"
        else:
            assert chars[0]["x0"] < LEFT + 2 * BODY_SIZE, "even pages: left"


def test_page_number_dashes_are_7_mm_below_the_text_block(real_pdf: bytes) -> None:
    """9704: 一字线上距版心下边缘7mm. Measured on the ink of pages 1 and 2 drawn at 600 dpi: the
    first pixel row below the text block where dark pixels span both dashes."""
    dpi = 600
    per_mm = dpi / 25.4
    with pdfplumber.open(io.BytesIO(real_pdf)) as pdf:
        for page in pdf.pages[:2]:
            image = page.to_image(resolution=dpi).original.convert("L")
            pixels = image.load()
            top = round((TOP + HEIGHT) / MM * per_mm)
            dash_row = None
            for row in range(top, top + round(15 * per_mm)):
                dark = [x for x in range(0, image.width, 2) if pixels[x, row] < 128]
                if dark and max(dark) - min(dark) > 10 * per_mm:
                    dash_row = row
                    break
            assert dash_row is not None
            assert (dash_row - top) / per_mm == pytest.approx(7.0, abs=0.2)


def test_distribution_block_on_last_page(real_pdf: bytes, pages: list) -> None:
    text = [line[1] for line in pages[-1]]
    assert "印送：厅领导，省交通执法总队，各市（州）交通运输局。" in text
    assert any(
        line.startswith("抄送：交通运输部法制司。") and line.endswith("（共印120份）") for line in text
    )
    with pdfplumber.open(io.BytesIO(real_pdf)) as pdf:
        last = pdf.pages[-1]
        rules = sorted((r for r in last.rects + last.lines if r["width"] > 400), key=lambda r: r["top"])
    assert len(rules) >= 2
    assert abs(rules[-1]["bottom"] - BOTTOM) < 1.5 * MM, "last rule on the text block's bottom edge"
    thickness = [round((r["bottom"] - r["top"]) / MM, 2) if r.get("height") else 0 for r in rules]
    assert thickness[0] == pytest.approx(0.35, abs=0.05) and thickness[-1] == pytest.approx(0.35, abs=0.05)


def test_the_distribution_block_takes_its_lines_and_no_more(archive: Archive, renderer: PdfRenderer) -> None:
    """The 报尾's rules lie on grid-line boundaries, so a block of k lines fits the k lines left
    under the last paragraph; it goes to a page of its own only when fewer are left (the
    sample's 2021年第2期 printed a fifth page for a block that fitted on the fourth)."""
    line_pitch = HEIGHT / 22
    checked = 0
    for issue in archive.visible(include_drafts=True):
        data = renderer.render(issue)
        pages = text_lines(data)
        rows = [  # the page number is 四号 too, below the text block
            line
            for line in pages[-1]
            if line[0] < BOTTOM and any(abs(c["size"] - DISTRIBUTION_SIZE) < 0.3 for c in line[2])
        ]
        if not rows:
            continue
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            last = pdf.pages[-1]
            rules = sorted(
                (
                    r
                    for r in last.rects + last.lines
                    if r["width"] > 400 and r["top"] > rows[0][0] - line_pitch
                ),
                key=lambda r: r["top"],
            )
        assert rules[-1]["bottom"] - rules[0]["top"] == pytest.approx(len(rows) * line_pitch, abs=0.5), (
            issue.label
        )
        body = body_lines(pages[-1]) or body_lines(pages[-2])
        lines_used = round((body[-1][0] - TOP) / line_pitch + 0.5) if body else 0
        if not body_lines(pages[-1]):
            assert 22 - lines_used < len(rows), (
                f"{issue.label}: the 报尾 would have fitted on the page before"
            )
        checked += 1
    assert checked >= 10


def test_quotes_in_kai_text_copy_without_spaces(
    archive: Archive, renderer: PdfRenderer, tmp_path: Path
) -> None:
    """The 编者按 and the ★ headlines are 楷体: their quotes must fill their one-character boxes,
    or poppler and Chrome's viewer copy “回头看” as “ 回头看 ” and a search for it fails."""
    issue = archive.find(2021, 7)
    assert issue is not None
    path = tmp_path / "07.pdf"
    path.write_bytes(renderer.render(issue))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "查摆问题“大而化之”，整改措施“以文件落实文件”。" in text  # the 编者按
    assert "★部专项整治办部署开展自查自纠“回头看”，" in text  # a contents line
    assert " “" not in text and "” " not in text


def test_a_column_written_right_aligned_prints_right_aligned(archive: Archive, renderer: PdfRenderer) -> None:
    """2021年第9期's table has `---:` under 线索数 and 已办结: the numbers end at one edge."""
    issue = archive.find(2021, 9)
    assert issue is not None
    lines = [line for page in text_lines(renderer.render(issue)) for line in page]
    numbers = [line[2] for line in lines if line[1] in ("成都市9661", "其他14个市（州）151107")]
    assert len(numbers) == 2
    short, long = numbers
    assert short[-1]["x1"] == pytest.approx(long[-1]["x1"], abs=0.5)  # 61 and 107 end together
    assert short[-3]["x1"] == pytest.approx(long[-4]["x1"], abs=0.5)  # 96 and 151 too
    assert short[0]["x0"] == pytest.approx(long[0]["x0"], abs=0.5)  # the first column stays left


@pytest.fixture(scope="module")
def renderer(archive: Archive) -> PdfRenderer:
    return PdfRenderer(archive.publication)


@pytest.fixture(scope="module")
def supplement_pdf(archive: Archive, renderer: PdfRenderer) -> bytes:
    issue = archive.find(2021, 1, supplement=True)
    assert issue is not None and issue.kind.label == "增刊"
    return renderer.render(issue)


@pytest.fixture(scope="module")
def long_distribution_pdf(archive: Archive, renderer: PdfRenderer) -> bytes:
    """2021年增刊第1期 with every label form, each line wrapping twice, one line starting with （."""
    issue = archive.find(2021, 1, supplement=True)
    assert issue is not None
    recipients = (
        "各市（州）交通运输局",
        "省交通执法总队",
        "厅高速公路交通执法各支队",
        "厅机关各处室",
        "厅直属各单位",
        "交通运输部专项整治行动领导小组办公室",
        "省委依法治省办",
    )
    opening_at_a_line_start = ("一二三四五六七八九十" * 3)[:26], "（州）交通运输局", "省司法厅"
    lines = [DistributionLine(label, recipients) for label in ("报", "送", "发", "印送", "抄送")]
    lines.insert(1, DistributionLine("报", opening_at_a_line_start))
    return renderer.render(dataclasses.replace(issue, distribution=tuple(lines)))


def distribution_rows(data: bytes) -> list[list[tuple[str, list[dict]]]]:
    """The 报尾 (四号 lines above the text block's bottom on the last page): its lines per label."""
    rows: list[list[tuple[str, list[dict]]]] = []
    for baseline, text, chars in text_lines(data)[-1]:
        if baseline > BOTTOM or any(abs(c["size"] - DISTRIBUTION_SIZE) > 0.6 for c in chars):
            continue
        if re.match(r"^(报|送|发|印送|抄送)：", text):
            rows.append([])
        if rows and not text.startswith("（共印"):
            rows[-1].append((text, chars))
    return rows


@pytest.mark.parametrize("which", ["supplement_pdf", "long_distribution_pdf"])
def test_distribution_continuation_lines_start_under_the_first_recipient(
    which: str, request: pytest.FixtureRequest
) -> None:
    rows = distribution_rows(request.getfixturevalue(which))
    assert len(rows) == (3 if which == "supplement_pdf" else 6)
    continuations = 0
    for (first_text, first_chars), *rest in rows:
        colon = first_text.index("：")
        first_recipient = first_chars[colon + 1]["x0"]
        assert first_recipient == pytest.approx(
            first_chars[0]["x0"] + (colon + 1) * DISTRIBUTION_SIZE, abs=0.1
        )
        for text, chars in rest:
            assert chars[0]["x0"] == pytest.approx(first_recipient, abs=0.1 * MM), text
            continuations += 1
    if which == "supplement_pdf":
        assert rows[2][1][0].startswith("法各支队。"), "the continuation line the audit measured"
    else:
        assert [len(row) for row in rows] == [3, 2, 3, 3, 3, 3], "long lines wrap twice"
        assert rows[1][1][0].startswith("（州）"), "a continuation line starting with an opening mark"
    assert continuations >= 1


@pytest.mark.parametrize(
    ("year", "number", "supplement", "label"), [(2021, 8, False, "专刊"), (2021, 1, True, "增刊")]
)
def test_kind_label_centred_under_the_name(
    archive: Archive, renderer: PdfRenderer, year: int, number: int, supplement: bool, label: str
) -> None:
    issue = archive.find(year, number, supplement)
    assert issue is not None
    first_page = text_lines(renderer.render(issue))[0]
    lines = [line for line in first_page if line[0] < TOP + 60 * MM and line[2][0]["size"] > BODY_SIZE + 1]
    assert label in [text for _, text, _ in lines]
    for _, text, chars in lines:
        centre = (chars[0]["x0"] + chars[-1]["x1"]) / 2
        assert centre == pytest.approx(LEFT + WIDTH / 2, abs=0.1 * MM), text


def test_short_name_centred(archive: Archive) -> None:
    publication = dataclasses.replace(archive.publication, title="工作简报")
    issue = archive.find(2021, 8)
    assert issue is not None
    first_page = text_lines(PdfRenderer(publication).render(issue))[0]
    name = next(chars for _, text, chars in first_page if text == "工作简报")
    assert name[-1]["x1"] - name[0]["x0"] > 4 * name[0]["size"], "a short name is spread"
    assert (name[0]["x0"] + name[-1]["x1"]) / 2 == pytest.approx(LEFT + WIDTH / 2, abs=0.1 * MM)


def test_full_pages_have_22_lines_of_28_characters(pages: list) -> None:
    pitch = HEIGHT / 22
    every_page = [body_lines(page) for page in pages]
    grid_top = every_page[-1][0][0] if every_page[-1] else None
    assert grid_top is not None
    for lines in every_page[1:]:
        slots = [(line[0] - lines[0][0]) / pitch for line in lines]
        assert all(abs(slot - round(slot)) < 0.05 for slot in slots), "every line sits on the grid"
        assert lines[0][0] == pytest.approx(grid_top, abs=0.5), "every page starts on the first grid line"
        assert round(slots[-1]) <= 21, "no more than 22 lines a page"
    # A full page reaches the 22nd grid line; pages without a section heading have 22 text lines.
    full_pages = [lines for lines in every_page[1:] if round((lines[-1][0] - lines[0][0]) / pitch) == 21]
    assert len(full_pages) >= 3
    assert any(len(lines) == 22 for lines in full_pages)
    checked = 0
    for lines in full_pages:
        for _, text, chars in lines:
            reaches_right = abs(chars[-1]["x1"] - RIGHT) < 1.0
            all_cjk = all(ord(c["text"][0]) > 0x2000 for c in chars)
            if reaches_right and all_cjk:
                indent = round((chars[0]["x0"] - LEFT) / (WIDTH / 28))
                assert len(chars) + indent == 28, text
                checked += 1
    assert checked > 20


def test_fonts_embedded_and_subset(real_pdf: bytes, tmp_path: Path) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    path = tmp_path / "06.pdf"
    path.write_bytes(real_pdf)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = rows.splitlines()[2:]
    assert fonts
    for row in fonts:
        name, emb_sub = row.split()[0], row.split()[-5:-3]
        assert emb_sub == ["yes", "yes"], row
        assert re.match(r"^[A-Z]{6}\+", name), row


def test_same_content_gives_identical_bytes(archive: Archive, real_pdf: bytes) -> None:
    issue = archive.find(2021, 6)
    assert issue is not None
    assert PdfRenderer(archive.publication).render(issue) == real_pdf


def test_typst_syntax_in_a_body_prints_literally(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    hostile = '#set page(width: 1cm)\n\n$x^2$ #import "x" <lbl> @ref \\\\ *星* _下_ ]) #{ 1 + 1 }'
    path = project / "content/2021/02.yml"
    text = path.read_text(encoding="utf-8").replace(
        "      6月2日，省厅印发", "      " + hostile.replace("\n", "\n      ") + "\n\n      6月2日，省厅印发"
    )
    path.write_text(text, encoding="utf-8")
    result = run_cli(project, "pdf", "2021-2", "-o", "hostile.pdf")
    assert result.exit_code == 0, result.output
    data = (project / "hostile.pdf").read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert round(float(reader.pages[0].mediabox.width) / MM) == 210
    text = "".join(page.extract_text() for page in reader.pages).replace("\u2060", "").replace(" ", "")
    for literal in ("#setpage(width:1cm)", "$x^2$", '#import"x"', "<lbl>", "@ref", "#{1+1}"):
        assert literal in text, literal


def test_missing_fonts_name_the_role_and_package(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "fonts:\n  kai: [KaiTi_GB2312, 不存在的楷体]\n", encoding="utf-8"
    )
    result = run_cli(project, "pdf", "2021-1")
    assert result.exit_code == 1
    assert "楷体" in result.output and "KaiTi_GB2312、不存在的楷体" in result.output
    assert "请在 site_config.yml 的 fonts.kai 末尾加上已安装的免费字体 LXGW WenKai" in result.output
    assert not (project / "2021-01.pdf").exists()


def test_no_paragraph_leaves_one_line_alone_at_a_page_break(archive: Archive, renderer: PdfRenderer) -> None:
    """Across every page break of every sample issue: when a paragraph (or a ★ headline of the
    contents) runs on to the next page, neither its first line stays alone at the bottom nor
    its last line goes alone to the top (9704 practice; Word's 孤行控制)."""
    pitch = WIDTH / 28

    def indent(line: tuple[float, str, list[dict]]) -> float:
        return (line[2][0]["x0"] - LEFT) / pitch

    def starts_a_paragraph(line: tuple[float, str, list[dict]]) -> bool:
        return line[1].startswith("★") or 1.5 < indent(line) < 2.5

    def is_full(line: tuple[float, str, list[dict]]) -> bool:
        return line[2][-1]["x1"] > RIGHT - 1

    breaks = 0
    for issue in archive.visible(include_drafts=True):
        pages = [body_lines(page) for page in text_lines(renderer.render(issue))]
        for before, after in itertools.pairwise(pages):
            if not before or not after:
                continue
            last, first = before[-1], after[0]
            runs_on = is_full(last) and not starts_a_paragraph(first) and indent(first) < 1.5
            if not runs_on:
                continue
            breaks += 1
            assert not starts_a_paragraph(last), (
                f"{issue.label}: first line alone at a page bottom: {last[1]}"
            )
            assert is_full(first), f"{issue.label}: last line alone at a page top: {first[1]}"
    assert breaks >= 10


# Tables, lists and lead-ins of item bodies, printed from 2021年第6期 with one item of a test body.

CW = WIDTH / 28  # one character of the body grid
MARKS = "（《“‘【〔「『〖〈［｛，。、；：？！）》”’】〕」』〗〉］｝"
WIDE_TABLE = """\
| 市（州） | 收到线索（条） | 办结率 | 自查发现问题（个） | 已整改（个） | 清理文件（项） | 联系人及电话 | 备注 |
|---|---|---|---|---|---|---|---|
| 成都市 | 236 | 100% | 412 | 409 | 9 | 李四 028-61881234 | 3个问题涉及跨部门协调，已报市政府督查室（https://cddc.chengdu.gov.cn）跟踪督办 |
| 阿坝藏族羌族自治州 | 48 | 97.92% | 96 | 93 | 2 | 王五 0837-2822345 | 高原路段冬季施工受限，剩余3个问题计划于2022.4.30前完成整改 |
| 凉山彝族自治州 | 67 | 95.52% | 128 | 120 | 4 | 钱七 0834-3212345 | G5京昆高速西昌段K1890+200至K1923+500区间测速点位设置不合理问题已提请省厅复核 |
| 合计 | 1126 | 100% | 2384 | 2291 | 41 | — | 整改率96.1% |
"""
# runs that cannot fit even in 小四: they must break
TOO_WIDE_TABLE = (
    "| " + " | ".join(f"列{i}" for i in range(12)) + " |\n|" + "---|" * 12 + "\n"
    "| " + " | ".join(["K1890+200至K1923+500"] * 6 + ["12345678901234567890"] * 6) + " |\n"
)
CITIES = ["自贡市", "攀枝花市", "泸州市", "德阳市", "绵阳市", "广元市", "遂宁市", "内江市", "乐山市"]
KINDS = ["执法不规范", "执法方式简单僵化", "执法粗暴", "执法“寻租”", "逐利执法"]


def long_text_table(rows: int = 60) -> str:
    """Six columns, one of them ~45-character texts (the stress test's 线索办理台账)."""
    lines = ["| 序号 | 地区 | 问题类型 | 受理日期 | 线索内容 | 办理情况 |", "|---|---|---|---|---|---|"]
    for n in range(1, rows + 1):
        city = CITIES[n % len(CITIES)]
        what = "态度生硬、未出示执法证件" if n % 2 else "重复检查、拖延放行"
        lines.append(
            f"| {n} | {city} | {KINDS[n % 5]} | 2021.{6 + n % 6}.{n % 28 + 1} | "
            f"群众反映{city}某执法大队在G{300 + n}线K{1000 + 7 * n}+{n % 9 + 1}00处对货车驾驶人{what} | 已办结 |"
        )
    return "\n".join(lines) + "\n"


def body_pdf(archive: Archive, renderer: PdfRenderer, body: str) -> bytes:
    issue = archive.find(2021, 6)
    assert issue is not None
    item = dataclasses.replace(issue.items[0], body=body)
    return renderer.render(dataclasses.replace(issue, items=(item,)))


def column_rules(page: pdfplumber.page.Page) -> list[dict]:
    return [
        line
        for line in page.lines
        if abs(line["x0"] - line["x1"]) < 0.01 and line["bottom"] - line["top"] > 5
    ]


def text_across_rules(data: bytes) -> list[str]:
    """Characters of tables that cross a column rule or the text block's side. A full-width
    mark at a line's start or end is set half-width, its glyph box reaching half an em past
    its ink."""
    found = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            rules = column_rules(page)
            for char in page.chars:
                beside = [
                    rule for rule in rules if rule["top"] <= char["top"] and char["bottom"] <= rule["bottom"]
                ]
                if not beside or not char["text"].strip():
                    continue
                slack = char["size"] / 2 if char["text"] in MARKS else 0
                where = f"p{number} {char['text']} at x {char['x0']:.1f}"
                if char["x0"] + slack < LEFT - 0.3 or char["x1"] - slack > RIGHT + 0.3:
                    found.append(f"{where}: outside the text block")
                for rule in beside:
                    if char["x0"] + slack + 0.3 < rule["x0"] < char["x1"] - slack - 0.3:
                        found.append(f"{where}: across the rule at x {rule['x0']:.1f}")
    return found


def column_widths(data: bytes) -> list[list[float]]:
    """Per page with a table: its column widths in mm."""
    widths = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            xs = sorted({round(rule["x0"], 1) for rule in column_rules(page)})
            if xs:
                widths.append([round((b - a) / MM, 1) for a, b in itertools.pairwise(xs)])
    return widths


def test_table_text_stays_between_its_column_rules(archive: Archive, renderer: PdfRenderer) -> None:
    """An eight-column table with unbreakable runs ("028-61881234", "K1890+200", a URL) and one
    whose runs fit in no column: no character crosses a column rule or the text block (with
    `auto` columns each was 19.6 mm and the runs printed over the next column and past the
    text block). The column of long remarks gets the most room."""
    data = body_pdf(
        archive, renderer, "主要指标如下：\n\n" + WIDE_TABLE + "\n另有一表：\n\n" + TOO_WIDE_TABLE
    )
    assert text_across_rules(data) == []
    text = "".join(line[1] for page in text_lines(data) for line in page)
    for run in ("028-61881234", "K1890+200至", "cddc.chengdu.", "2022.4.30"):
        assert run in text, f"{run} is broken"
    wide = column_widths(data)[0]
    assert len(wide) == 8
    assert sum(wide) <= 156.2
    assert wide[-1] == max(wide) and wide[-1] > 1.5 * sorted(wide)[-2], wide


def test_a_column_of_long_texts_gets_the_room(archive: Archive, renderer: PdfRenderer) -> None:
    """60 rows whose one column holds ~45-character texts: that column is the widest by far
    and the rows are short. With `auto` columns it had no more room than the column of
    problem types (35 mm each), rows of six lines, and the table took 16 pages."""
    data = body_pdf(archive, renderer, "台账如下：\n\n" + long_text_table())
    assert text_across_rules(data) == []
    widths = column_widths(data)
    assert len(widths) <= 10, f"the table takes {len(widths)} pages"
    first = widths[0]
    assert first[4] > 0.4 * WIDTH / MM, first
    assert first[4] > 2 * max(first[:4] + first[5:]), first


LIST_BODY = """\
工作要求：

- 线索台账：与12345政务服务热线平台数据每日比对，比对结果按月汇总报送省专项整治办；
    - 比对结果每周五17:00前报送，逾期未报送的由省专项整治办通报，并纳入年度考核；
    - 比对发现的差异在2个工作日内核实；
- 制度台账：建立、修订、废止情况逐项登记。

1. 自查阶段：各单位对照五类问题32种表现逐项自查，形成问题清单和整改清单。
    1. 市州交通运输局组织本地区执法机构开展自查，并对自查情况进行抽查复核；
    2. 省交通执法总队组织各支队开展自查。
2. 督查阶段：省专项整治办组织督查组开展实地督查。
"""


def test_nested_list_items_are_indented(archive: Archive, renderer: PdfRenderer) -> None:
    """A nested item's marker ("•", "（1）") stands two characters right of its parent's, its
    continuation lines two characters right of the parent's (they printed at the parent's x)."""
    lines = [line for page in text_lines(body_pdf(archive, renderer, LIST_BODY)) for line in page]

    def line(start: str) -> tuple[float, str, list[dict]]:
        return next(found for found in lines if found[1].startswith(start))

    def after(found: tuple[float, str, list[dict]]) -> tuple[float, str, list[dict]]:
        return lines[lines.index(found) + 1]

    def x(found: tuple[float, str, list[dict]]) -> float:
        return found[2][0]["x0"]

    for outer, inner, second in (
        ("•线索台账", "•比对结果", "•比对发现"),
        ("1.自查阶段", "（1）市州", "（2）省交通"),
    ):
        outer_line, inner_line = line(outer), line(inner)
        assert x(outer_line) == pytest.approx(LEFT + 2 * CW, abs=0.5)
        assert x(inner_line) == pytest.approx(x(outer_line) + 2 * CW, abs=0.5), inner
        assert x(line(second)) == pytest.approx(x(inner_line), abs=0.5), second
        # continuation lines: the outer item's at the text block's edge, the inner one's 2 in
        assert x(after(outer_line)) == pytest.approx(LEFT, abs=0.5)
        assert x(after(inner_line)) == pytest.approx(LEFT + 2 * CW, abs=0.5), after(inner_line)[1]
    assert x(line("•制度台账")) == pytest.approx(LEFT + 2 * CW, abs=0.5)
    assert x(line("2.督查阶段")) == pytest.approx(LEFT + 2 * CW, abs=0.5)


def test_a_lead_in_ending_in_a_colon_stays_with_its_table(archive: Archive, renderer: PdfRenderer) -> None:
    """A lead-in "…（节选）：" that falls on the last line of a page, with the table on the next,
    goes over with the table (it stayed alone at the page bottom)."""
    lead_in = "以下为线索办理台账（节选）："
    table = "| 序号 | 地区 |\n|---|---|\n" + "".join(
        f"| {n} | {city} |\n" for n, city in enumerate(CITIES, 1)
    )
    pitch = HEIGHT / 22

    def render(fillers: int) -> tuple[list, int]:
        body = "".join(f"第{n}段。\n\n" for n in range(fillers)) + lead_in + "\n\n" + table
        pages = text_lines(body_pdf(archive, renderer, body))
        page = next(i for i, lines in enumerate(pages) if any(line[1] == lead_in for line in lines))
        return pages, page

    # where the lead-in falls after 30 one-line paragraphs; then as many more as put it on the
    # last grid line of its page
    pages, page = render(30)
    lines = body_lines(pages[page])
    slot = round((next(line[0] for line in lines if line[1] == lead_in) - lines[0][0]) / pitch)
    pages, page = render(30 + 21 - slot)
    table_head = [line for line in pages[page] if line[1] == "序号地区"]
    assert table_head, f"the lead-in alone at the bottom of page {page + 1}, the table on the next"


def test_a_line_ending_before_a_moved_mark_is_still_justified(
    archive: Archive, renderer: PdfRenderer
) -> None:
    """An opening mark that cannot end a line moves down with its character, and the line it
    leaves is spread to the full measure: in the body, in a ★ headline of the contents, in a
    heading and in a nested list (a block as wide as its content had left these ragged)."""
    line = "目" * 26 + "“标题”（括号）完。"
    issue = archive.find(2021, 6)
    assert issue is not None
    body = f"# {'目' * 25}“标题”\n\n{'目' * 25}“标题”\n\n1. 第一\n\n    1. {'目' * 22}“标题”\n"
    item = dataclasses.replace(issue.items[0], title=line, body=body)
    lines = [
        line
        for page in text_lines(renderer.render(dataclasses.replace(issue, items=(item,))))
        for line in page
    ]
    short = [chars for _, text, chars in lines if text.endswith("目目目") and "“" not in text]
    assert len(short) >= 4, [text for _, text, _ in lines]
    for chars in short:
        assert chars[-1]["x1"] == pytest.approx(RIGHT, abs=0.6), "".join(c["text"] for c in chars)
