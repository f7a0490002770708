"""The search box end to end: a real build of the sample archive, served from 127.0.0.1, searched
in Debian's Chromium. Every request is recorded: none may leave 127.0.0.1.

Set JIANBAO_SEARCH_SHOTS=/some/folder to keep screenshots of a search (desktop and phone)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from generator.body import parse_body, plain_text
from generator.build import build
from generator.model import Archive
from generator.search.index import plan_shards
from generator.search.records import RecordWriter
from tests.browser import CHROMIUM, offline_context, served

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 Chromium（/usr/bin/chromium）")
sync_api = pytest.importorskip("playwright.sync_api", reason="需要 Playwright（pip install playwright）")

FILE_MESSAGE = "网页档案要通过网页服务器访问：直接打开文件时检索不可用，页面之间的链接也打不开。请运行 jianbao serve，或把 site/ 放到内网服务器上。"
STATUS = ".jb-search__status"


@pytest.fixture(scope="module")
def site(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search-browser") / "site"
    build(archive, out, with_pdf=False)  # the PDFs play no part in the search
    return out


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with served(site) as url:
        yield url


def after(page: Any, change: Any) -> str:
    """Do `change` (typing, a filter, the order); returns the status line once the search it
    starts is shown."""
    before = page.locator("[data-jb-search]").get_attribute("data-jb-searched") or ""
    change()
    page.wait_for_function(
        "before => { const box = document.querySelector('[data-jb-search]');"
        " const done = box.getAttribute('data-jb-searched') || '';"
        " return done !== before && !/正在检索/.test(box.querySelector('.jb-search__status').textContent); }",
        arg=before,
    )
    return page.locator(STATUS).inner_text()


def search(page: Any, query: str) -> str:
    """Type a query into the header's box; returns the status line once the search is done."""
    box = page.locator("#jb-search-input")
    box.click()
    return after(page, lambda: box.fill(query))  # one input event: no search for a half-typed query


def hits(page: Any) -> list[dict[str, str]]:
    return page.locator(".jb-hit__link").evaluate_all(
        """links => links.map(link => ({
            href: link.href,
            title: link.querySelector('.jb-hit__title').textContent,
            meta: link.querySelector('.jb-hit__meta').innerText,
            excerpt: link.querySelector('.jb-hit__excerpt').textContent,
            marked: Array.from(link.querySelectorAll('mark'), mark => mark.textContent),
        }))"""
    )


def item_path(href: str) -> str:
    parts = urlsplit(href)
    return f"{unquote(parts.path).lstrip('/')}#{parts.fragment}"


def items_where(archive: Archive, test: Any) -> set[str]:
    return {
        f"{issue.slug}/#{item.anchor}"
        for issue in archive.issues
        if not issue.is_draft
        for item in issue.items
        if test(issue, item)
    }


def count_of(status: str) -> int:
    match = re.search(r"(\d+) 条信息", status)
    assert match, status
    return int(match.group(1))


# ------------------------------------------------------------------ finding things


def test_a_place_and_a_word_find_the_item(page: Any, base_url: str) -> None:
    page.goto(base_url)
    status = search(page, "超限检测站")
    assert status.startswith("找到 ") and count_of(status) == 6
    found = hits(page)
    first = found[0]  # the only one with the phrase in its headline
    assert item_path(first["href"]) == "2021/06/#item-6"
    assert first["title"] == "广安市交通运输局对广安市前锋区、广安区超限检测站开展调研活动"
    assert "2021年第6期" in first["meta"] and "2021年6月4日" in first["meta"] and "广安市" in first["meta"]
    assert "超限检测站" in first["marked"]
    assert all("超限检测站" in hit["marked"] for hit in found)

    # the excerpt reads as the text does: the spaces between the indexed characters are gone
    assert all(not re.search(r"[\u4e00-\u9fff，。] [\u4e00-\u9fff，。]", hit["excerpt"]) for hit in found)
    excerpt = "".join(first["excerpt"].strip("…").split())

    page.locator(".jb-hit__link").first.click()
    page.wait_for_url("**/2021/06/#item-6")
    assert page.locator("#item-6 h3 span").inner_text() == first["title"]
    assert page.locator("#item-6").is_visible()
    assert len(excerpt) > 40 and excerpt in "".join(page.locator("#item-6").inner_text().split())


def test_a_region_lists_its_items(page: Any, base_url: str, archive: Archive) -> None:
    page.goto(base_url + "archive/")
    status = search(page, "达州市")
    found = {item_path(hit["href"]) for hit in hits(page)}
    assert found == items_where(
        archive, lambda issue, item: item.region == "达州市" or "达州市" in item.title + item.body
    )
    assert count_of(status) == len(found) == 7


def test_one_hit_per_item_never_a_page_twice(page: Any, base_url: str) -> None:
    page.goto(base_url)
    status = search(page, "执法")
    while page.locator(".jb-search__more").is_visible():
        shown = len(hits(page))
        page.locator(".jb-search__more").click()
        page.wait_for_function("n => document.querySelectorAll('.jb-hit').length > n", arg=shown)
    found = [item_path(hit["href"]) for hit in hits(page)]
    assert len(found) == count_of(status) > 40
    assert len(set(found)) == len(found)
    assert all(re.fullmatch(r"\d{4}/(\d{2}|supplement-\d{2})/#item-\d+", path) for path in found)


def test_a_phrase_in_one_item_finds_only_its_issue(page: Any, base_url: str) -> None:
    """渠县 is in one item; its two characters are in four (an exact phrase, not any order)."""
    page.goto(base_url)
    status = search(page, "渠县")
    found = hits(page)
    assert count_of(status) == 1 and len(found) == 1
    assert item_path(found[0]["href"]) == "2021/06/#item-8" and "2021年第6期" in found[0]["meta"]


def test_several_words_must_all_be_there(page: Any, base_url: str, archive: Archive) -> None:
    page.goto(base_url)
    search(page, "达州市 案卷")
    found = {item_path(hit["href"]) for hit in hits(page)}
    text = lambda item: " ".join((item.title, item.body, item.region or "", *item.tags))  # noqa: E731
    assert found == items_where(archive, lambda issue, item: "达州市" in text(item) and "案卷" in text(item))
    assert len(found) == 4


def all_hits(page: Any) -> list[dict[str, str]]:
    """Every hit of the current search: "更多" clicked until none are left."""
    while page.locator(".jb-search__more").is_visible():
        shown = len(hits(page))
        page.locator(".jb-search__more").click()
        page.wait_for_function("n => document.querySelectorAll('.jb-hit').length > n", arg=shown)
    return hits(page)


def test_an_issue_a_year_or_a_section_finds_its_items(page: Any, base_url: str, archive: Archive) -> None:
    """Staff look an item up by when and where it was printed: a year, an issue, a section, a
    kind of issue, alone or with other words. Those are searchable, the excerpts stay body text."""
    sections = {section.id: section.title for section in archive.publication.sections}

    def words(issue: Any, item: Any) -> str:
        return " ".join((item.title, item.body, item.region or "", *item.tags, item.source or ""))

    def printed(issue: Any, item: Any) -> str:
        return " ".join((issue.label, issue.kind.label or "", sections[item.section_id], words(issue, item)))

    page.goto(base_url)
    for query in ("2021年第6期", "第6期", "2021", "2022年", "增刊", "专刊", "国家部署", "省级动态"):
        status = search(page, query)
        found = {item_path(hit["href"]) for hit in all_hits(page)}
        expected = items_where(archive, lambda issue, item, query=query: query in printed(issue, item))
        assert found == expected and count_of(status) == len(found), query
    assert len(items_where(archive, lambda issue, item: issue.label == "2021年第6期")) == 14

    for words_typed, test in (
        ("成都 2022", lambda issue, item: issue.year == 2022 and "成都" in words(issue, item)),
        (
            "国家部署 交通运输部",
            lambda issue, item: item.section_id == "national" and "交通运输部" in words(issue, item),
        ),
    ):
        status = search(page, words_typed)
        found = {item_path(hit["href"]) for hit in all_hits(page)}
        assert found == items_where(archive, test) and found, words_typed

    search(page, "省级动态")
    bodies = {
        f"{issue.slug}/#{item.anchor}": "".join(plain_text(parse_body(item.body)).split())
        for issue in archive.issues
        for item in issue.items
    }
    for hit in hits(page):
        excerpt = "".join(hit["excerpt"].strip("…").split())
        assert len(excerpt) > 20 and bodies[item_path(hit["href"])].startswith(excerpt), hit


def test_no_match_says_so(page: Any, base_url: str) -> None:
    page.goto(base_url)
    status = search(page, "量子纠缠")
    assert status == "没有找到包含“量子纠缠”的信息。可以换个说法再试。"
    assert not hits(page)


def test_a_long_pasted_query_is_cut_short(page: Any, base_url: str) -> None:
    """The box takes 100 characters, and the status line quotes the first 30 of a query."""
    page.goto(base_url)
    box = page.locator("#jb-search-input")
    box.click()
    status = after(page, lambda: page.keyboard.insert_text("量子纠缠" * 250))  # as a paste does
    assert len(box.input_value()) == 100
    assert status == "没有找到包含“" + ("量子纠缠" * 8)[:30] + "…”的信息。可以换个说法再试。"

    status = search(page, "执法" * 40 + "寻租")  # no exact match: the approximate message, cut too
    assert status.startswith("没有找到与“" + ("执法" * 15) + "…”完全一致的信息；以下 ")


def test_punctuation_in_the_text_still_finds_the_words(page: Any, base_url: str) -> None:
    """The tag is 执法“寻租”: typed without the quotes, the items that have all the characters."""
    page.goto(base_url)
    status = search(page, "执法寻租")
    assert status.startswith("没有找到与“执法寻租”完全一致的信息；以下 ")
    assert any("执法“寻租”" in hit["meta"] for hit in hits(page))
    status = search(page, "执法“寻租”")  # as written: both pieces, each in a row
    assert status.startswith("找到 ") and count_of(status) >= 9


def test_table_excerpts_keep_cells_and_rows_apart(page: Any, base_url: str) -> None:
    """A table's cells and rows read apart in the excerpt, as in a sentence: "，" between cells,
    "；" between rows, "。" at the end (they ran together: 已办结成都市96 61广安市)."""
    page.goto(base_url)
    search(page, "线索数")
    found = {item_path(hit["href"]): hit for hit in hits(page)}
    excerpt = found["2021/09/#item-3"]["excerpt"]
    assert "市州，线索数，已办结；成都市，96，61；广安市，38，31；" in excerpt, excerpt
    search(page, "厅属执法单位")
    excerpt = next(hit for hit in hits(page) if item_path(hit["href"]) == "2021/09/#item-3")["excerpt"]
    assert "厅属执法单位，25，14；合计，458，317。厅专项整治办要求" in excerpt, excerpt


# ------------------------------------------------------------------ filters and order


def test_filters_narrow_the_results(page: Any, base_url: str) -> None:
    page.goto(base_url)
    status = search(page, "执法")
    everything = count_of(status)
    status = after(page, lambda: page.locator("select[data-jb-filter=region]").select_option("达州市"))
    by_region = count_of(status)
    assert "已筛选" in status and 0 < by_region < everything
    assert all("达州市" in hit["meta"] for hit in hits(page))

    status = after(page, lambda: page.locator("select[data-jb-filter=year]").select_option("2022"))
    assert count_of(status) == 1
    assert all("2022年" in hit["meta"] and "达州市" in hit["meta"] for hit in hits(page))


def test_a_filter_alone_lists_items_newest_first(page: Any, base_url: str, archive: Archive) -> None:
    page.goto(base_url)
    page.locator("#jb-search-input").click()  # the filters show as soon as the box has focus
    status = after(page, lambda: page.locator("select[data-jb-filter=tag]").select_option("大调研"))
    expected = items_where(archive, lambda issue, item: "大调研" in item.tags)
    assert count_of(status) == len(expected) == 15
    assert len(hits(page)) == 10 and page.locator(".jb-search__more").is_visible()
    dates = [re.search(r"(\d{4})年(\d+)月(\d+)日", hit["meta"]) for hit in hits(page)]
    as_numbers = [tuple(int(part) for part in match.groups()) for match in dates if match]
    assert len(as_numbers) == 10 and as_numbers == sorted(as_numbers, reverse=True)


def test_results_sort_by_date(page: Any, base_url: str) -> None:
    page.goto(base_url)
    search(page, "调研")

    def dates() -> list[tuple[int, ...]]:
        found = [re.search(r"(\d{4})年(\d+)月(\d+)日", hit["meta"]) for hit in hits(page)]
        return [tuple(int(part) for part in match.groups()) for match in found if match]

    after(page, lambda: page.locator("select[data-jb-sort]").select_option("asc"))
    assert dates() == sorted(dates()) and len(dates()) == 10
    after(page, lambda: page.locator("select[data-jb-sort]").select_option("desc"))
    assert dates() == sorted(dates(), reverse=True) and len(dates()) == 10


def test_the_years_keep_their_date_order(page: Any, base_url: str, archive: Archive) -> None:
    """The index is one bundle per year (per quarter in the newest year), merged in the browser:
    newest first runs from 2022 into 2021 without the bundles interleaving, and oldest first is
    the exact reverse."""
    place = {
        record.file.replace("item-", "#item-").removesuffix(".html"): (shard.name, record.order)
        for shard in plan_shards(archive, RecordWriter(archive.publication))
        for record in shard.records
    }
    page.goto(base_url)
    total = count_of(search(page, "整治"))
    orders = {}
    for direction in ("desc", "asc"):
        after(page, lambda chosen=direction: page.locator("select[data-jb-sort]").select_option(chosen))
        while page.locator(".jb-search__more").is_visible():
            shown = len(hits(page))
            page.locator(".jb-search__more").click()
            page.wait_for_function(f"document.querySelectorAll('.jb-hit').length > {shown}")
        orders[direction] = [place[item_path(hit["href"])] for hit in hits(page)]
    assert len(orders["desc"]) == total > 20
    assert {bundle for bundle, _ in orders["desc"]} == {"2021", "2022-q1"}
    assert orders["desc"] == sorted(orders["desc"], reverse=True)
    assert orders["asc"] == orders["desc"][::-1]


# ------------------------------------------------------------------ keyboard, offline, file://


def test_the_keyboard_is_enough(page: Any, base_url: str) -> None:
    page.goto(base_url + "2021/06/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "jb-search-input"
    page.keyboard.type("邻水县")
    page.wait_for_selector(".jb-hit")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.className") == "jb-hit__link"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "jb-search-input"
    page.keyboard.press("Escape")
    assert page.locator("#jb-search-panel").is_hidden()
    assert page.locator("#jb-search-input").get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")  # opens the first result
    page.wait_for_url("**/2021/07/#item-8")


def test_enter_opens_the_first_hit_of_the_query_typed(page: Any, base_url: str) -> None:
    """Enter straight after a change waits for that query's results: never the previous one's."""
    page.goto(base_url)
    box = page.locator("#jb-search-input")
    search(page, "超限检测站")
    assert item_path(hits(page)[0]["href"]) == "2021/06/#item-6"
    box.fill("渠县")
    box.press("Enter")
    page.wait_for_url("**/2021/06/#item-8", timeout=10_000)

    page.goto(base_url)
    search(page, "超限检测站")
    box.fill("量子纠缠")  # no hit: Enter does nothing
    box.press("Enter")
    page.wait_for_function("document.querySelector('.jb-search__status').textContent.includes('量子纠缠')")
    page.wait_for_timeout(300)
    assert page.url == base_url and not hits(page)


def test_no_search_while_an_input_method_composes(page: Any, base_url: str) -> None:
    """Pinyin being typed (chengdu) is not a query: the search waits for the characters chosen."""
    page.goto(base_url)
    box = page.locator("#jb-search-input")
    box.click()
    searched = lambda: page.locator("[data-jb-search]").get_attribute("data-jb-searched")  # noqa: E731
    before = searched()
    ime = page.context.new_cdp_session(page)  # Chromium's own input-method events
    for typed in ("cheng", "cheng'du", "chengdu"):
        ime.send(
            "Input.imeSetComposition",
            {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)},
        )
    assert box.input_value() == "chengdu"
    page.wait_for_timeout(600)  # more than the pause after typing that starts a search
    assert searched() == before and "chengdu" not in page.locator(STATUS).inner_text()

    status = after(page, lambda: ime.send("Input.insertText", {"text": "成都"}))  # the choice ends it
    assert box.input_value() == "成都" and status.startswith("找到 ")
    assert all("成都" in hit["marked"] for hit in hits(page))


def test_no_search_while_composition_events_say_so(page: Any, base_url: str) -> None:
    """The same with the events as other browsers order them: an input event after compositionend."""
    page.goto(base_url)
    page.locator("#jb-search-input").click()
    before = page.locator("[data-jb-search]").get_attribute("data-jb-searched")
    page.evaluate(
        """() => {
            const input = document.querySelector('#jb-search-input');
            input.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
            input.value = 'chengdu';
            input.dispatchEvent(new InputEvent('input', { data: 'chengdu', isComposing: true }));
        }"""
    )
    page.wait_for_timeout(600)
    assert page.locator("[data-jb-search]").get_attribute("data-jb-searched") == before

    def choose() -> None:
        page.evaluate(
            """() => {
                const input = document.querySelector('#jb-search-input');
                input.value = '成都';
                input.dispatchEvent(new CompositionEvent('compositionend', { data: '成都' }));
                input.dispatchEvent(new InputEvent('input', { data: '成都', isComposing: false }));
            }"""
        )

    assert after(page, choose).startswith("找到 ")


def test_the_panel_gets_out_of_the_way(page: Any, base_url: str) -> None:
    """A hit on the page already open scrolls there with the panel closed; Esc, then a click
    in the box, brings the results back; tabbing out of the box closes the panel."""
    page.goto(base_url + "2021/06/")
    panel = page.locator("#jb-search-panel")
    search(page, "超限检测站")
    here = page.locator('.jb-hit__link[href*="2021/06/#item-"]').first
    target = here.get_attribute("href").rsplit("#", 1)[1]
    here.click()
    page.wait_for_function("id => location.hash === '#' + id", arg=target)
    assert panel.is_hidden()
    page.locator("#jb-search-input").click()
    assert panel.is_visible()
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    page.locator("#jb-search-input").click()
    assert panel.is_visible() and page.locator(".jb-hit").count() > 0
    for _ in range(40):  # through the filters, the order and the hits, then out of the box
        page.keyboard.press("Tab")
        if not page.evaluate("document.querySelector('[data-jb-search]').contains(document.activeElement)"):
            break
    assert panel.is_hidden()


def test_search_loads_only_this_site_and_little_of_it(browser: Any, base_url: str, site: Path) -> None:
    """Every request stays on 127.0.0.1 (offline_context); a first query loads Pagefind (its
    script, worker and WebAssembly: 155 kB that never change), the metadata, and the index
    chunks and records it needs: file sizes, as served."""
    requests: list[str] = []
    with offline_context(browser, viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        page.goto(base_url)
        context.on("requestfinished", lambda request: requests.append(request.url))
        search(page, "超限检测站")
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in requests)
    files = {unquote(urlsplit(url).path).lstrip("/") for url in requests if "/pagefind/" in url}
    sizes = {name: (site / name).stat().st_size for name in files}
    newest = "pagefind/2022-q1/"
    assert {f"{newest}pagefind.js", f"{newest}pagefind-worker.js", f"{newest}wasm.unknown.pagefind"} <= files
    assert not [name for name in files if name.endswith((".js", ".pagefind")) and not name.startswith(newest)]
    assert len([name for name in files if "/fragment/" in name]) == 6  # the 6 hits
    total = sum(sizes.values())
    print(f"\nfirst query: {len(files)} files, {total} bytes from pagefind/")
    assert total < 250_000, sizes


def test_file_url_says_a_web_server_is_needed(browser: Any, site: Path) -> None:
    context = browser.new_context()
    remote: list[str] = []
    context.on("request", lambda request: remote.append(request.url))
    try:
        page = context.new_page()
        page.goto((site / "2021" / "06" / "index.html").as_uri())
        # the message says that links break too: they name folders (2021/), which a web server
        # answers with their index.html, and a file:// URL with a listing of the folder
        assert not page.locator(".jb-breadcrumb a").first.evaluate("link => link.href").endswith(".html")
        box = page.locator("#jb-search-input")
        assert box.is_visible()
        box.click()
        assert page.locator(STATUS).inner_text() == FILE_MESSAGE  # as soon as it has focus
        assert after(page, lambda: box.press_sequentially("超限检测站")) == FILE_MESSAGE
        assert not page.locator(".jb-hit").count()
    finally:
        context.close()
    assert not [url for url in remote if not url.startswith("file:")]


def test_phone_width_search_fits_the_screen(browser: Any, base_url: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("JIANBAO_SEARCH_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with offline_context(browser, viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        page.goto(base_url + "2021/06/")
        search(page, "超限检测站")
        page.screenshot(path=str(shots / "search-desktop.png"))
    with offline_context(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ) as context:
        page = context.new_page()
        page.goto(base_url + "2021/06/")
        search(page, "达州市")
        page.screenshot(path=str(shots / "search-phone.png"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        panel = page.locator("#jb-search-panel").bounding_box()
        assert panel is not None and panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
        first = page.locator(".jb-hit").first.bounding_box()
        assert first is not None and first["y"] < 844


def test_the_query_is_marked_in_headlines_too(page: Any, base_url: str) -> None:
    page.goto(base_url)
    search(page, "交通运输部")
    titles = page.locator(".jb-hit__title").evaluate_all(
        "titles => titles.map(t => [t.textContent, Array.from(t.querySelectorAll('mark'), m => m.textContent)])"
    )
    with_it = [(text, marks) for text, marks in titles if "交通运输部" in text]
    assert with_it, titles
    assert all(marks.count("交通运输部") == text.count("交通运输部") for text, marks in with_it)
    assert all(not marks for text, marks in titles if "交通运输部" not in text)
