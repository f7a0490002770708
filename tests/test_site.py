"""The web back end: a real build of the sample archive and of throwaway projects, read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import filecmp
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.model import Archive, Correction
from generator.site import build_site
from generator.site.bodies import make_body
from generator.site.feed import atom_feed
from generator.site.fonts import css_font_stack
from generator.site.urls import slugify, unique_slugs
from tests.conftest import REPO_ROOT, load_archive, make_project

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_HOST = "jianbao.intranet.example"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@pytest.fixture(scope="module")
def site(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(archive, out, include_drafts=False)
    return out


class PageParser(HTMLParser):
    """What the checks need from one page: ids, headings, images, links, open/close balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.images: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.html_lang: str | None = None
        self.stack: list[str] = []
        self.unbalanced: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if re.fullmatch("h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(attributes)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(f"</{tag}> after <{'><'.join(self.stack[-3:])}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def html_pages(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


def page_url(site: Path, path: Path) -> str:
    return "/" + path.relative_to(site).as_posix()


# ------------------------------------------------------------------ the contract's files


def test_contract_files_exist(site: Path) -> None:
    for relative in (
        "index.html",
        "2021/06/index.html",
        "2021/supplement-01/index.html",
        "2022/01/index.html",
        "archive/index.html",
        "archive/2021/index.html",
        "archive/section/index.html",
        "archive/section/national/index.html",
        "archive/region/index.html",
        "archive/region/广安市/index.html",
        "archive/tag/index.html",
        "archive/tag/大调研/index.html",
        "archive/tag/执法寻租/index.html",
        "feed.xml",
        "404.html",
        "sitemap.xml",
    ):
        assert (site / relative).is_file(), relative


def test_media_is_copied(site: Path) -> None:
    for source in (REPO_ROOT / "content" / "media").rglob("*"):
        if source.is_file():
            copied = site / "media" / source.relative_to(REPO_ROOT / "content" / "media")
            assert copied.read_bytes() == source.read_bytes()


def test_feed_is_atom_with_absolute_links(site: Path, archive: Archive) -> None:
    root = ET.parse(site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(archive.visible(False))
    newest = entries[0]
    assert newest.findtext(f"{ATOM}title") == "2022年第1期"
    link = newest.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None and link.get("href") == f"http://{SITE_HOST}/2022/01/"
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    assert newest.findtext(f"{ATOM}updated") == "2022-01-07T00:00:00+08:00"
    assert "★" in (newest.findtext(f"{ATOM}summary") or "")


def test_feed_dates_a_corrected_issue_by_its_correction(site: Path, archive: Archive) -> None:
    """2021年第7期 was corrected (jianbao publish --amend) on 15 June: its entry is updated then,
    so feed readers see the change; it was still published on its own date."""
    root = ET.parse(site / "feed.xml").getroot()
    entry = next(e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "2021年第7期")
    corrected = archive.find(2021, 7)
    assert corrected is not None and corrected.correction is not None
    assert corrected.correction.date == dt.date(2021, 6, 15)
    assert entry.findtext(f"{ATOM}published") == "2021-06-11T00:00:00+08:00"
    assert entry.findtext(f"{ATOM}updated") == "2021-06-15T00:00:00+08:00"

    later = dataclasses.replace(
        corrected, corrections=(*corrected.corrections, Correction(dt.date(2022, 3, 1), "再次更正"))
    )
    issues = [later if issue is corrected else issue for issue in archive.visible(include_drafts=False)]
    feed = ET.fromstring(atom_feed(archive.publication, issues))
    assert feed.findtext(f"{ATOM}updated") == "2022-03-01T00:00:00+08:00"  # the feed's newest change


# ------------------------------------------------------------------ every page


def test_every_page_is_well_formed(site: Path) -> None:
    for path in html_pages(site):
        page = parse_page(path)
        name = path.relative_to(site).as_posix()
        assert page.html_lang == "zh", name
        duplicates = {i for i in page.ids if page.ids.count(i) > 1}
        assert not duplicates, (name, duplicates)
        assert page.headings and page.headings[0] == 1, (name, page.headings)
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, (name, page.headings)
        for image in page.images:
            assert image.get("alt"), (name, image)
        assert not page.unbalanced, (name, page.unbalanced[:3])
        assert not page.stack, (name, page.stack)


def test_every_link_inside_the_site_resolves(site: Path) -> None:
    """Relative links lead to a file of the site and, with a #fragment, to an id on that page.
    PDFs are written by the PDF back end, so pdf/ links are only checked for their shape."""
    ids: dict[Path, set[str]] = {}
    for path in html_pages(site):
        if path.name == "404.html":
            continue  # its links are absolute on purpose: it is served for any missing path
        for href in parse_page(path).links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("/"):
                continue
            target_url = urljoin(page_url(site, path), href)
            target_path = unquote(urlsplit(target_url).path)
            if target_path.startswith("/pdf/"):
                assert re.fullmatch(r"/pdf/\d{4}-(supplement-)?\d{2}\.pdf", target_path), href
                continue
            target = site / target_path.lstrip("/")
            if target_path.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file(), (path.relative_to(site).as_posix(), href)
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(parse_page(target).ids)
                assert parts.fragment in ids[target], (path.relative_to(site).as_posix(), href)


def test_nothing_refers_to_another_host(site: Path) -> None:
    """Nothing in a page, style sheet or script names another host: no CDN, no web fonts, no
    analytics. Allowed: the site's own address (canonical links), and the SVG namespace, which
    is an identifier inside inline icons, never fetched. Comments (licences in CSS, and in the SVG
    icons Material inlines as data: URIs) are text, never fetched. Pagefind's bundle (pagefind/,
    written by the search phase, not by build_site) is checked in tests/test_search.py."""
    checked = 0
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js", ".svg"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix in (".css", ".js"):
            text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
        text = re.sub(r"(?:<|\\3c )!--.*?-->", "", text, flags=re.DOTALL)
        text = text.replace(SVG_NAMESPACE, "")
        for match in re.finditer(r"(?:https?:)?//([a-z0-9.-]+\.[a-z]{2,})", text, flags=re.IGNORECASE):
            assert match.group(1) == SITE_HOST, (path.relative_to(site).as_posix(), match.group(0))
        checked += 1
    assert checked > 10
    scripts = [path.relative_to(site).as_posix() for path in site.rglob("*.js")]
    assert scripts == ["assets/jianbao/search.js"], "the only script is the search box's"


def test_every_page_loads_only_the_search_script(site: Path) -> None:
    """Material's scripts stay out; each page has the search box, hidden until its script runs
    (which loads Pagefind from this site's pagefind/, never from another host)."""
    for path in html_pages(site):
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(site).as_posix()
        sources = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
        assert [source.rsplit("/", 1)[-1] for source in sources] == ["search.js"], (name, sources)
        assert len(re.findall(r"<script\b", html)) == 1, name
        assert "data-jb-search hidden" in html and 'id="jb-search-input"' in html, name
    script = (site / "assets" / "jianbao" / "search.js").read_text(encoding="utf-8")
    assert 'new URL("pagefind/shards.json", siteRoot)' in script
    assert "jianbao serve" in script  # the file:// message


def test_navigation_does_not_list_the_issues(site: Path) -> None:
    """Material's navigation holds years and indexes only: an issue page links to its
    neighbours, never to every issue (the size of the site must stay linear)."""
    links = parse_page(site / "2022" / "01" / "index.html").links
    issue_links = {href for href in links if re.search(r"\d{4}/\d{2}/$", href)}
    assert issue_links == {"../../2021/09/"}
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "archive/2021/" in home and "archive/2022/" in home


def test_navigation_lists_recent_years_only() -> None:
    """Every page carries the navigation: it lists the newest years, the archive page all."""
    from generator.site.content import SiteContent
    from generator.site.mkdocs_config import NAV_YEARS, navigation

    content = SiteContent(pages=(), feed=b"", media=(), years=tuple(range(2035, 2015, -1)), globals={})
    archive = navigation(content)[1]["往期简报"]
    assert archive[0] == "archive/index.md"
    assert [next(iter(year)) for year in archive[1:]] == [f"{y}年" for y in range(2035, 2035 - NAV_YEARS, -1)]


# ------------------------------------------------------------------ one issue


def test_issue_page_has_every_item_anchor(site: Path) -> None:
    page = parse_page(site / "2021" / "06" / "index.html")
    anchors = [i for i in page.ids if i.startswith("item-")]
    assert anchors == [f"item-{n}" for n in range(1, 15)]
    assert {f"#item-{n}" for n in range(1, 15)} <= set(page.links)


def test_issue_page_reads_like_the_bulletin(site: Path) -> None:
    html = (site / "2021" / "06" / "index.html").read_text(encoding="utf-8")
    for expected in (
        "四川交通运输执法领域突出问题专项整治行动工作简报",
        "2021年第6期（总第6期）",
        "四川交通运输执法领域突出问题专项整治行动领导小组办公室",
        "2021年6月4日",
        "内部资料 注意保存",
        "国家部署",
        "2021年6月2日",
        "印送：",
        "厅领导，省交通执法总队，各市（州）交通运输局。",
        "（共印120份）",
        'href="../../pdf/2021-06.pdf" download="整治简报2021年第6期.pdf"',
        'href="../05/" rel="prev"',
        'href="../07/" rel="next"',
        'href="../../archive/region/%E5%B9%BF%E5%AE%89%E5%B8%82/"',
        'href="../../archive/tag/%E5%A4%A7%E8%B0%83%E7%A0%94/"',
    ):
        assert expected in html, expected
    assert "<title>2021年第6期 - 整治简报</title>" in html


def test_special_and_supplement_marks(site: Path) -> None:
    special = (site / "2021" / "08" / "index.html").read_text(encoding="utf-8")
    assert 'class="jb-masthead__kind">专刊<' in special and "大调研专刊" in special
    supplement = (site / "2021" / "supplement-01" / "index.html").read_text(encoding="utf-8")
    assert 'class="jb-masthead__kind">增刊<' in supplement and "2021年增刊第1期" in supplement
    assert "报：" in supplement and "发：" in supplement


def test_note_and_table(site: Path) -> None:
    with_note = parse_page(site / "2021" / "07" / "index.html")
    assert "note-title" in with_note.ids
    table = (site / "2021" / "09" / "index.html").read_text(encoding="utf-8")
    assert "<table>" in table
    assert '<th style="text-align: right">线索数</th>' in table  # `---:` in the Markdown
    assert '<td style="text-align: right">96</td>' in table and "<td>成都市</td>" in table


def test_home_shows_the_latest_issue_first(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    latest = html.index("2022年第1期")
    assert latest < html.index("2021年第9期") < html.index("2021年第3期")
    assert 'href="2022/01/#item-1"' in html
    assert "2021年第2期" not in html  # only the recent issues, then the years


def test_region_page_lists_every_item_about_it(site: Path, archive: Archive) -> None:
    expected = {
        f"../../../{issue.slug}/#{item.anchor}"
        for issue in archive.visible(False)
        for item in issue.items
        if item.region == "广安市"
    }
    links = parse_page(site / "archive" / "region" / "广安市" / "index.html").links
    assert {href for href in links if "#item-" in href} == expected
    assert len(expected) > 3


def test_year_page_lists_each_issue_with_date_and_count(site: Path) -> None:
    html = (site / "archive" / "2021" / "index.html").read_text(encoding="utf-8")
    for label in ("第1期", "第9期", "增刊第1期"):
        assert f">{label}</a>" in html
    assert "2021年6月4日" in html and "14条信息" in html
    assert "第10期" not in html  # a draft


def test_chinese_404_page(site: Path) -> None:
    html = (site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in html and 'href="/assets/jianbao/jianbao.css"' in html  # from any path


# ------------------------------------------------------------------ drafts, output folder, repeatability


def test_drafts_only_with_include_drafts(site: Path, archive: Archive, tmp_path: Path) -> None:
    assert not (site / "2021" / "10").exists()
    assert "2021/10/" not in (site / "feed.xml").read_text(encoding="utf-8")
    with_drafts = tmp_path / "with-drafts"
    build_site(archive, with_drafts, include_drafts=True)
    html = (with_drafts / "2021" / "10" / "index.html").read_text(encoding="utf-8")
    assert "草稿" in html
    assert "2021/10/" in (with_drafts / "archive" / "2021" / "index.html").read_text(encoding="utf-8")


def test_build_leaves_the_pdf_folder_alone(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "pdf").mkdir(parents=True)
    (out / "pdf" / "2021-06.pdf").write_bytes(b"%PDF-1.7 dummy")
    (out / "index.html").write_text("old", encoding="utf-8")
    build_site(archive, out, include_drafts=False)
    assert (out / "pdf" / "2021-06.pdf").read_bytes() == b"%PDF-1.7 dummy"
    assert (out / "index.html").read_text(encoding="utf-8") != "old"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_two_builds_are_byte_identical(site: Path, archive: Archive, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_site(archive, again, include_drafts=False)
    first = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert first == second
    _, mismatch, errors = filecmp.cmpfiles(site, again, [str(p) for p in first], shallow=False)
    assert not mismatch and not errors


# ------------------------------------------------------------------ hostile bodies

HOSTILE_ISSUE = """\
number: 3
date: 2021-06-11
status: published
items:
  - section: national
    title: 标题里的<b>标签</b>
    region: </title><script>alert(2)</script>
    tags: [<i>标签</i>]
    body: |
      正文里的<script>alert(1)</script>不应执行。

      <img src=x onerror=alert(1)>

      [危险链接](javascript:alert(1))和[站外链接](http://example.org/)。

      ![本站图片](media/pic.png)
"""


@pytest.fixture
def hostile_site(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + 'site: {name: "A&B<简报>"}\n', encoding="utf-8")
    (project / "content" / "2021" / "03.yml").write_text(HOSTILE_ISSUE, encoding="utf-8")
    (project / "content" / "media").mkdir()
    (project / "content" / "media" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "site"
    build_site(load_archive(project / "site_config.yml"), out, include_drafts=False)
    return out


def test_raw_html_in_a_body_is_text(hostile_site: Path) -> None:
    html = (hostile_site / "2021" / "03" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>标签</b>" not in html and "标题里的&lt;b&gt;标签&lt;/b&gt;" in html
    assert "javascript:" not in html and "危险链接" in html
    assert 'href="http://example.org/"' in html
    page = parse_page(hostile_site / "2021" / "03" / "index.html")
    assert [image.get("src") for image in page.images] == ["../../media/pic.png"]
    assert page.images[0].get("alt") == "本站图片"


def test_names_from_the_content_and_config_are_escaped_everywhere(hostile_site: Path) -> None:
    """Region, tag and site names end up in <title>, links and headings of many pages."""
    for path in html_pages(hostile_site):
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(hostile_site).as_posix()
        assert "<script>" not in html and "<i>" not in html and "<简报>" not in html, name
        assert not parse_page(path).unbalanced, name
    region_pages = list((hostile_site / "archive" / "region").glob("*/index.html"))
    assert any(
        "&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in p.read_text(encoding="utf-8")
        for p in region_pages
    )
    home = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert "<title>A&amp;B&lt;简报&gt;</title>" in home


def test_feed_without_site_url_uses_relative_links(hostile_site: Path) -> None:
    root = ET.parse(hostile_site / "feed.xml").getroot()
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    assert (entry.findtext(f"{ATOM}id") or "").startswith("urn:uuid:")
    link = entry.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None and link.get("href") == "2021/03/"
    assert "标题里的<b>标签</b>" in (entry.findtext(f"{ATOM}summary") or "")


# ------------------------------------------------------------------ small pieces


def test_slugs_keep_chinese_names_and_drop_unsafe_characters() -> None:
    assert slugify("广安市") == "广安市"
    assert slugify("执法“寻租”") == "执法寻租"
    assert slugify("各市（州）交通运输局") == "各市州交通运输局"
    assert slugify("A/B ?#%") == "ab"
    assert slugify("？？") == "x"
    assert unique_slugs(["执法“寻租”", "执法寻租", "执法（寻租）"]) == {
        "执法“寻租”": "执法寻租",
        "执法寻租": "执法寻租-2",
        "执法（寻租）": "执法寻租-3",
    }


def test_bodies_load_images_only_from_the_sites_media_folder() -> None:
    body = make_body(
        "![a](http://evil.example/x.png)\n\n![b](media/../secret.png)\n\n![c](media/c.png)\n\n"
        "[d](javascript:alert(1)) [e](data:text/html,x) [f](//evil.example/) [g](mailto:a@b.cn) [h](#item-2)",
        frozenset({"media/c.png", "media/secret.png"}),
    )
    assert body.images == {"media/c.png": "media/c.png"}
    assert body.links == {"mailto:a@b.cn": "mailto:a@b.cn", "#item-2": "#item-2"}


def test_body_headings_never_skip_a_level() -> None:
    body = make_body("### 一、总体情况\n\n正文\n\n##### （一）具体做法\n\n正文", frozenset())
    assert body.levels == {3: 1, 4: 2}


def test_font_names_cannot_escape_the_style_sheet() -> None:
    stack = css_font_stack(("Noto Serif CJK SC", 'x";}</style><script>', "方正 3号", "serif"))
    assert stack.startswith("Noto Serif CJK SC, ")
    assert stack.endswith(", 方正 \\33 号, serif")
    assert not set("\"'<>&;{}") & set(stack)


def test_every_page_lights_the_tab_it_belongs_under(site: Path) -> None:
    """Issues and years are under 往期简报, one region's or tag's items under 分类索引, even when
    the navigation does not list the page itself."""

    def lit(page: str) -> list[str]:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        return re.findall(r'md-tabs__item--active">\s*<a [^>]*>\s*([^<\s]+)', html)

    assert lit("") == ["首页"]
    assert lit("2021/06") == ["往期简报"]
    assert lit("archive") == ["往期简报"]
    assert lit("archive/region/成都市") == ["分类索引"]
    assert lit("archive/tag") == ["分类索引"]
