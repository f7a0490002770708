"""The search index: records from the model, the Pagefind bundle they become, and its bytes."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from generator import search
from generator.build import build
from generator.model import Archive
from generator.search import (
    SearchIndexError,
    SiteIndexer,
    index_site,
    search_facets,
    search_records,
    tokens,
    write_records,
)
from tests.conftest import REPO_ROOT, load_archive, make_project

ZWSP = "\u200b"
SEARCH_JS = REPO_ROOT / "themes" / "default" / "site" / "assets" / "jianbao" / "search.js"
DRAFT_ONLY = "满意度电话回访"  # in 2021年第10期, the sample's draft, and nowhere else


@pytest.fixture(scope="module")
def site(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build (pages, then the index, then the swap), with drafts: they must stay out."""
    out = tmp_path_factory.mktemp("search") / "site"
    build(archive, out, include_drafts=True, with_pdf=False)
    return out


def fragments(bundle: Path) -> list[dict]:
    """Pagefind's records as stored: gzip("pagefind_dcd" + JSON)."""
    found = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd") :]))
    return found


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# ------------------------------------------------------------------ words


def test_tokens_put_a_zero_width_space_between_characters() -> None:
    assert tokens("执法“寻租”") == ZWSP.join("执法“寻租”")
    assert tokens("国道G318线 2021年") == ZWSP.join(["国", "道", "G318", "线"]) + " " + ZWSP.join(
        ["2021", "年"]
    )
    assert tokens("  两个\n段落  ") == f"两{ZWSP}个 段{ZWSP}落"
    assert tokens("") == ""
    assert tokens("超限检测站").replace(ZWSP, "") == "超限检测站"


def test_the_search_box_cuts_queries_like_the_index() -> None:
    """search.js must cut a query into the words tokens() indexed: the same expression."""
    script = SEARCH_JS.read_text(encoding="utf-8")
    match = re.search(r"var TOKEN = /(.+)/gu;", script)
    assert match is not None
    js_pattern = match.group(1).replace("\\u00C0", "\u00c0").replace("\\u024F", "\u024f")
    assert js_pattern == search._TOKEN.pattern.replace("\\u00c0", "\u00c0").replace("\\u024f", "\u024f")
    assert "RECORD_URL = /^\\/?(.*\\/)(item-\\d+)\\.html$/" in script


# ------------------------------------------------------------------ records and filters


def test_one_record_per_published_item(archive: Archive) -> None:
    records = search_records(archive)
    published = [issue for issue in archive.issues if not issue.is_draft]
    assert len(records) == sum(len(issue.items) for issue in published) == 90
    assert len({record.file for record in records}) == len(records)
    assert [record.order for record in records] == list(range(1, len(records) + 1))
    assert not [record for record in records if record.file.startswith("2021/10/")]  # the draft
    assert not [record for record in records if DRAFT_ONLY in " ".join(record.paragraphs)]

    record = next(r for r in records if "超限检测站开展调研" in r.title)
    assert record.file == "2021/06/item-6.html"
    assert (record.issue, record.date, record.year) == ("2021年第6期", "2021年6月4日", 2021)
    assert (record.section, record.region) == ("市州动态", "广安市")
    assert any("前锋区" in paragraph for paragraph in record.paragraphs)


def test_records_are_in_archive_order(archive: Archive) -> None:
    """`order` is the date sort: issues by date (增刊第1期 of 22 June before 第9期 of 25 June),
    items in print order."""
    records = search_records(archive)
    published = sorted((i for i in archive.issues if not i.is_draft), key=lambda issue: issue.sort_key)
    assert [r.issue for r in records] == [issue.label for issue in published for _ in issue.items]
    labels = [r.issue for r in records]
    assert labels.index("2021年增刊第1期") < labels.index("2021年第9期")
    first_issue = [r.file for r in records if r.issue == "2021年第6期"]
    assert first_issue == [f"2021/06/item-{n}.html" for n in range(1, 15)]


def test_facets_come_from_the_published_items(archive: Archive) -> None:
    facets = {facet["name"]: facet for facet in search_facets(archive)}
    assert list(facets) == ["year", "section", "region", "tag"]
    assert [f["label"] for f in facets.values()] == ["年份", "栏目", "地区", "标签"]
    assert facets["year"]["values"] == [
        {"value": "2022", "text": "2022年"},
        {"value": "2021", "text": "2021年"},
    ]
    assert [v["value"] for v in facets["section"]["values"]] == ["国家部署", "省级动态", "市州动态"]
    records = search_records(archive)
    regions = [v["value"] for v in facets["region"]["values"]]
    assert set(regions) == {r.region for r in records if r.region}
    assert regions == [name for name in archive.publication.regions if name in regions]  # config order
    tags = [v["value"] for v in facets["tag"]["values"]]
    assert set(tags) == {tag for r in records for tag in r.tags}


def test_record_pages_escape_the_content(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    issue = project / "content" / "2021" / "02.yml"
    text = issue.read_text(encoding="utf-8")
    title = re.search(r"title: (.+)", text.split("items:", 1)[1])
    assert title is not None
    issue.write_text(
        text.replace(title.group(1), "标题</title><script>alert(1)</script>", 1), encoding="utf-8"
    )
    archive = load_archive(project / "site_config.yml")
    write_records(archive, tmp_path / "records")
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "records").rglob("*.html")]
    assert pages and not [page for page in pages if "<script>" in page]
    assert any('content="标题&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page for page in pages)


# ------------------------------------------------------------------ the bundle


def test_the_bundle_holds_the_published_items_only(site: Path, archive: Archive) -> None:
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == "1.5.2" and list(entry["languages"]) == ["zh"]
    assert entry["languages"]["zh"]["page_count"] == 90
    stored = fragments(bundle)
    expected = {f"/{record.file}" for record in search_records(archive)}
    assert {fragment["url"] for fragment in stored} == expected
    assert (site / "2021" / "10" / "index.html").is_file()  # the draft is on the site …
    drafts = [f for f in stored if f["url"].startswith("/2021/10/") or DRAFT_ONLY in f["content"]]
    assert not drafts  # … not in the index

    guangan = next(f for f in stored if f["url"] == "/2021/06/item-6.html")
    assert guangan["meta"]["title"] == "广安市交通运输局对广安市前锋区、广安区超限检测站开展调研活动"
    assert guangan["filters"] == {
        "date": ["2021年6月4日"],
        "issue": ["2021年第6期"],
        "region": ["广安市"],
        "section": ["市州动态"],
        "source": ["广安市交通运输局"],
        "tag": ["大调研"],
        "year": ["2021"],
    }
    text = guangan["content"].replace(ZWSP, "")
    assert text.startswith(
        f"{guangan['meta']['title']} 广安市 大调研 广安市交通运输局 6月1日，广安市交通运输局"
    )


def test_the_bundle_ships_only_what_the_search_box_loads(site: Path) -> None:
    bundle = site / "pagefind"
    top = sorted(path.name for path in bundle.iterdir())
    assert [name for name in top if not re.fullmatch(r"pagefind\.zh_[0-9a-f]+\.pf_meta", name)] == [
        "filter",
        "fragment",
        "index",
        "pagefind-entry.json",
        "pagefind-worker.js",
        "pagefind.js",
        "wasm.unknown.pagefind",
    ]
    assert not list(bundle.rglob("*ui*")) and not list(bundle.rglob("*highlight*"))


def test_the_bundle_names_no_other_host(site: Path) -> None:
    """Pagefind's scripts name one host: example.com, a base it parses relative URLs against
    when a highlight parameter is set (never fetched; the browser tests check every request)."""
    for path in sorted((site / "pagefind").glob("*.js")):
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        hosts = set(re.findall(r"(?:https?:)?//([a-z0-9.-]+\.[a-z]{2,})", text, flags=re.IGNORECASE))
        assert hosts <= {"example.com"}, (path.name, hosts)


def test_indexing_is_byte_identical(site: Path, archive: Archive, tmp_path: Path) -> None:
    """Pagefind 1.5.2 writes filter indexes in hash-map order; search.py sorts them."""
    again = tmp_path / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    index_site(archive, again)
    assert tree(again / "pagefind") == tree(site / "pagefind")
    index_site(archive, again)
    assert tree(again / "pagefind") == tree(site / "pagefind")


def test_pagefind_output_is_understood(archive: Archive, tmp_path: Path) -> None:
    """The stabilising step knows Pagefind's layout: it rewrites a fresh bundle (True), and a
    rewritten bundle decodes, re-encodes and stays as it is."""
    write_records(archive, tmp_path / "records")
    search.run_pagefind(tmp_path / "records", tmp_path / "bundle")
    assert search._stabilise(tmp_path / "bundle")
    once = tree(tmp_path / "bundle")
    assert search._stabilise(tmp_path / "bundle")
    assert tree(tmp_path / "bundle") == once
    for path in (tmp_path / "bundle" / "filter").glob("*.pf_filter"):
        name, values = search._read_cbor(path)
        assert [value[0] for value in values] == sorted(value[0] for value in values), name


def test_cbor_round_trip() -> None:
    values = (0, 23, 24, 255, 256, 65536, 2**32, -1, -500, "", "达州市", [], [1, ["a", [2, 3]]], {"k": [1]})
    for value in values:
        encoded = search._cbor_encode(value)
        assert search._cbor_decode(encoded, 0) == (value, len(encoded))


def test_an_unexpected_bundle_is_left_alone(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "pagefind-entry.json").write_text('{"languages": {"zh": {"hash": "zh_x"}}}', encoding="utf-8")
    (bundle / "pagefind.zh_x.pf_meta").write_bytes(gzip.compress(b"something else"))
    before = tree(bundle)
    assert not search._stabilise(bundle)
    assert tree(bundle) == before


def test_serve_indexes_again_only_when_an_item_changed(archive: Archive, tmp_path: Path) -> None:
    indexer = SiteIndexer()
    first = indexer(archive, tmp_path)
    assert not first.skipped and first.records == 90 and first.bytes > 0
    assert indexer(archive, tmp_path).skipped
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no scratch left
    changed = Archive(archive.publication, archive.issues[1:])
    report = indexer(changed, tmp_path)
    assert not report.skipped and report.records < 90


def test_an_archive_without_published_items_has_no_index(archive: Archive, tmp_path: Path) -> None:
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "stale.js").write_text("", encoding="utf-8")
    report = index_site(Archive(archive.publication, ()), tmp_path)
    assert report.records == 0 and not (tmp_path / "pagefind").exists()


def test_missing_pagefind_is_explained(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SearchIndexError, match="pagefind\\[extended\\]"):
        index_site(archive, tmp_path)
    assert not (tmp_path / "pagefind").exists()
