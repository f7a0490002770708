"""The built site in a real browser (Debian's Chromium through Playwright), served over HTTP
from 127.0.0.1, with every request recorded: nothing may go to another host."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.model import Archive
from generator.site import build_site
from tests.browser import CHROMIUM, offline_context, served

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 Chromium（/usr/bin/chromium）")
sync_api = pytest.importorskip("playwright.sync_api", reason="需要 Playwright（pip install playwright）")


@pytest.fixture(scope="module")
def built(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-site")
    build_site(archive, out, include_drafts=False)
    return out


@pytest.fixture(scope="module")
def pdf_problem(archive: Archive, built: Path) -> str | None:
    """Writes the real PDF of 2021年第6期 into the site; returns why not when it cannot."""
    try:
        from generator.pdf import PdfRenderer
    except ImportError as error:
        return f"PDF 后端不可用（{error}）"
    issue = archive.find(2021, 6)
    assert issue is not None
    try:
        pdf = PdfRenderer(archive.publication).render(issue)
    except Exception as error:
        return f"PDF 后端无法排版（{type(error).__name__}: {error}）"
    (built / "pdf").mkdir(exist_ok=True)
    (built / "pdf" / issue.pdf_name).write_bytes(pdf)
    return None


@pytest.fixture(scope="module")
def base_url(built: Path) -> Iterator[str]:
    with served(built) as url:
        yield url


def test_home_to_year_to_issue_to_item(page: Any, base_url: str, pdf_problem: str | None) -> None:
    page.goto(base_url)
    assert page.locator(".jb-masthead__title").first.inner_text().startswith("四川交通运输执法领域")
    assert page.locator("html").get_attribute("lang") == "zh"

    page.locator("[aria-labelledby=years-title]").get_by_role("link", name="2021年").click()
    page.wait_for_url("**/archive/2021/")
    assert page.locator("h1").inner_text() == "2021年"

    page.get_by_role("link", name="第6期", exact=True).click()
    page.wait_for_url("**/2021/06/")
    assert "2021年第6期" in page.locator(".jb-masthead__number").inner_text()

    page.locator(".jb-toc a[href='#item-9']").click()
    page.wait_for_url("**/2021/06/#item-9")
    item = page.locator("#item-9")
    item.locator("h3").wait_for()
    assert item.locator("h3").is_visible()
    top = item.evaluate("element => element.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] / 2, top

    link = page.locator("a.jb-button--pdf")
    assert link.get_attribute("download") == "整治简报2021年第6期.pdf"
    pdf_url = link.evaluate("element => element.href")
    assert pdf_url == base_url + "pdf/2021-06.pdf"
    if pdf_problem is not None:
        pytest.skip(f"不检查 PDF 能否下载：{pdf_problem}")
    response = page.request.get(pdf_url)
    assert response.status == 200
    assert response.body().startswith(b"%PDF")


def test_chinese_region_url_is_served(page: Any, base_url: str) -> None:
    page.goto(base_url + "archive/region/")
    page.get_by_role("link", name="广安市").first.click()
    page.wait_for_url("**/archive/region/%E5%B9%BF%E5%AE%89%E5%B8%82/")
    assert "广安市" in page.locator("h1").inner_text()
    page.locator(".jb-entries a").first.click()
    page.wait_for_load_state()
    anchor = urlsplit(page.url).fragment
    assert anchor.startswith("item-")
    assert page.locator(f"#{anchor}").is_visible()


def test_phone_width_has_no_horizontal_scroll(browser: Any, base_url: str) -> None:
    with offline_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True) as context:
        page = context.new_page()
        for path in ("", "2021/06/", "2021/09/", "archive/", "archive/tag/"):
            page.goto(base_url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (path, overflow)


def test_print_hides_the_site_chrome(page: Any, base_url: str) -> None:
    page.goto(base_url + "2021/06/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-tabs", ".md-footer", ".jb-actions", ".jb-pager"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".jb-masthead__title").is_visible()
    assert page.locator("#item-14").is_visible()


def test_feed_is_served_and_parses(page: Any, base_url: str) -> None:
    response = page.goto(base_url + "feed.xml")
    assert response is not None and response.status == 200
    root = ET.fromstring(response.body())
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) >= 10


def contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two computed `rgb(…)` colours."""

    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("path", "label"), [("2021/06/", "下载本期 PDF"), ("", "下载 PDF")])
def test_the_pdf_button_stays_readable_in_every_state(
    page: Any, base_url: str, path: str, label: str
) -> None:
    """White on red whatever the state (Material colours a focused link with the accent red,
    which on the button's red was 1.3:1), and a focus ring that shows from the keyboard."""
    page.goto(base_url + path)
    page.add_style_tag(content="* { transition: none !important; }")  # the state's colours at once
    button = page.locator("a.jb-button--pdf").first
    assert button.inner_text().endswith(label)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "a.jb-button--pdf"})["nodeId"]
    style = "element => { const s = getComputedStyle(element); return [s.color, s.backgroundColor]; }"
    for state in (
        [],
        ["hover"],
        ["focus"],
        ["focus", "focus-visible"],
        ["active"],
        ["visited"],
        ["focus", "hover"],
    ):
        cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": state})
        color, background = button.evaluate(style)
        assert color == "rgb(255, 255, 255)" and contrast(color, background) >= 4.5, (
            state,
            color,
            background,
        )
    cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": []})

    button.click(modifiers=["Alt"])  # focus by a click (Alt: the browser downloads nothing)
    color, background = button.evaluate(style)
    assert color == "rgb(255, 255, 255)" and contrast(color, background) >= 4.5, (color, background)
    page.locator("body").click(position={"x": 1, "y": 1})
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus from the keyboard: the ring shows
    assert page.evaluate("document.activeElement.matches('a.jb-button--pdf:focus-visible')")
    ring = button.evaluate(
        "element => { const s = getComputedStyle(element); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert ring[0] not in ("none", "") and float(ring[1].removesuffix("px")) >= 2, ring


def test_the_index_tab_leads_on_to_regions_and_tags(page: Any, base_url: str) -> None:
    """The 分类索引 tab lands on 按栏目; the page itself leads on to 按地区 and 按标签 (the
    phone menu was the only way there), marking the one open."""
    page.goto(base_url)
    page.locator(".md-tabs").get_by_role("link", name="分类索引").click()
    page.wait_for_url("**/archive/section/")
    switch = page.locator(".md-content").get_by_role("navigation", name="分类索引")
    assert switch.get_by_role("link", name="按栏目").get_attribute("aria-current") == "page"
    for name, path in (("按地区", "region"), ("按标签", "tag"), ("按栏目", "section")):
        link = (
            page.locator(".md-content")
            .get_by_role("navigation", name="分类索引")
            .get_by_role("link", name=name)
        )
        assert link.is_visible()
        link.click()
        page.wait_for_url(f"**/archive/{path}/")
        assert page.locator("h1").inner_text() == f"{name}浏览"
        current = page.locator(".md-content [aria-current=page]")
        assert current.count() == 1 and current.inner_text() == name


def test_a_column_written_right_aligned_shows_right_aligned(page: Any, base_url: str) -> None:
    """2021年第9期's table has `---:` under 线索数: its cells are right-aligned on screen
    (Material's own table style outranked a class, so they showed flush left)."""
    page.goto(base_url + "2021/09/")
    aligns = page.eval_on_selector_all(
        ".jb-table tr", "rows => rows.map(r => [...r.cells].map(c => getComputedStyle(c).textAlign))"
    )
    assert aligns[1][1:] == ["right", "right"], aligns
    assert aligns[1][0] in ("left", "start"), aligns


def test_the_first_tab_stop_skips_to_the_content(page: Any, base_url: str) -> None:
    page.goto(base_url + "2021/06/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    assert page.locator(".md-skip").bounding_box()["y"] >= 0  # shown while focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.md-content')"), "the next stop is in the content"


def test_every_item_links_to_itself(page: Any, base_url: str) -> None:
    page.goto(base_url + "2021/06/")
    link = page.locator("#item-3 .headerlink")
    assert link.get_attribute("href") == "#item-3"
    assert link.get_attribute("aria-label") == "本条信息的链接"
    page.locator("#item-3 h3").hover()
    page.wait_for_function("getComputedStyle(document.querySelector('#item-3 .headerlink')).opacity === '1'")
    link.click()
    assert page.url.endswith("/2021/06/#item-3")
