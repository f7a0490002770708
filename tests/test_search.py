"""The search index: records from the model, the Pagefind bundles they become (a year each;
in the newest year, its latest quarter and the quarters before), the cache that keeps them,
and their bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from generator import files
from generator.build import build
from generator.model import Archive, Issue
from generator.search import index, records, stable
from generator.search.index import SearchIndexError, Shard, index_site, manifest, plan_shards, run_pagefind
from generator.search.records import RecordWriter, SearchRecord, search_facets, tokens
from tests.conftest import REPO_ROOT, load_archive, make_project

SEARCH_JS = REPO_ROOT / "themes" / "default" / "site" / "assets" / "jianbao" / "search.js"
DRAFT_ONLY = "满意度电话回访"  # in 2021年第10期, the sample's draft, and nowhere else
BUNDLE_FILES = [
    "filter",
    "fragment",
    "index",
    "pagefind-entry.json",
    "pagefind-worker.js",
    "pagefind.js",
    "wasm.unknown.pagefind",
]


@pytest.fixture(scope="module")
def site(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build (pages, then the index, then the swap), with drafts: they must stay out."""
    out = tmp_path_factory.mktemp("search") / "site"
    build(archive, out, include_drafts=True, with_pdf=False)
    return out


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache of yearly bundles, for the tests that count what Pagefind indexed."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(index, "CACHE_FOLDER", str(folder))  # an absolute path: root / it == it
    return folder


def shards_of(archive: Archive) -> list[Shard]:
    return plan_shards(archive, RecordWriter(archive.publication))


def all_records(archive: Archive) -> list[SearchRecord]:
    return [record for shard in shards_of(archive) for record in shard.records]


def fragments(bundle: Path) -> list[dict]:
    """Pagefind's records as stored: gzip("pagefind_dcd" + JSON)."""
    found = []
    for path in sorted(bundle.glob("*/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd") :]))
    return found


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# ------------------------------------------------------------------ words


def test_tokens_put_a_space_after_every_search_word() -> None:
    assert tokens("执法“寻租”") == "执 法 “ 寻 租 ”"
    assert tokens("国道G318线 2021年") == "国 道 G318 线 2021 年"
    assert tokens("  两个\n段落  ") == "两 个 段 落"
    assert tokens("Hello  World") == "Hello World"
    assert tokens("分辨率1920×1080，Café") == "分 辨 率 1920 × 1080 ， Café"
    assert tokens("") == ""


def test_the_search_box_cuts_queries_like_the_index() -> None:
    """search.js must cut a query into the words tokens() indexed: the same expression."""
    script = SEARCH_JS.read_text(encoding="utf-8")
    match = re.search(r"var TOKEN = /(.+)/gu;", script)
    assert match is not None
    assert match.group(1).lower() == records._TOKEN.pattern.lower()  # \u00C0 in one, \u00c0 in the other
    assert "RECORD_URL = /^\\/?(.*\\/)(item-\\d+)\\.html$/" in script


# ------------------------------------------------------------------ records and filters


def test_one_record_per_published_item(archive: Archive) -> None:
    found = all_records(archive)
    published = [issue for issue in archive.issues if not issue.is_draft]
    assert len(found) == sum(len(issue.items) for issue in published) == 90
    assert len({record.file for record in found}) == len(found)
    assert not [record for record in found if record.file.startswith("2021/10/")]  # the draft
    assert not [record for record in found if DRAFT_ONLY in " ".join(record.paragraphs)]

    record = next(r for r in found if "超限检测站开展调研" in r.title)
    assert record.file == "2021/06/item-6.html"
    assert (record.issue, record.date, record.year) == ("2021年第6期", "2021年6月4日", 2021)
    assert (record.section, record.region) == ("市州动态", "广安市")
    assert any("前锋区" in paragraph for paragraph in record.paragraphs)


def test_one_shard_per_year_counted_within_the_year(archive: Archive) -> None:
    """`order` is the date sort, counted within each bundle: issues by date (增刊第1期 of
    22 June before 第9期 of 25 June), items in print order. The newest year's latest quarter is a bundle of its own."""
    shards = shards_of(archive)
    assert [shard.name for shard in shards] == ["2021", "2022-q1"]
    for shard in shards:
        assert {str(record.year) for record in shard.records} == {shard.name[:4]}
        assert [record.order for record in shard.records] == list(range(1, len(shard.records) + 1))
    found = all_records(archive)
    published = sorted((i for i in archive.issues if not i.is_draft), key=lambda issue: issue.sort_key)
    assert [r.issue for r in found] == [issue.label for issue in published for _ in issue.items]
    labels = [r.issue for r in found]
    assert labels.index("2021年增刊第1期") < labels.index("2021年第9期")
    first_issue = [r.file for r in found if r.issue == "2021年第6期"]
    assert first_issue == [f"2021/06/item-{n}.html" for n in range(1, 15)]


def test_a_year_keeps_its_fingerprint_when_another_year_changes(archive: Archive) -> None:
    before = {shard.name: shard.key for shard in shards_of(archive)}
    assert len(set(before.values())) == 2
    newest = archive.issues[-1]
    assert newest.year == 2022
    edited = dataclasses.replace(newest.items[0], title=newest.items[0].title + "（更新）")
    changed = dataclasses.replace(newest, items=(edited, *newest.items[1:]))
    after = {
        shard.name: shard.key
        for shard in shards_of(Archive(archive.publication, (*archive.issues[:-1], changed)))
    }
    assert after["2021"] == before["2021"] and after["2022-q1"] != before["2022-q1"]


def test_the_latest_quarter_is_a_bundle_of_its_own(archive: Archive) -> None:
    """Edits and new issues go to the latest quarter: a bundle of its own keeps re-indexing
    small. The quarters before it in the same year are one bundle, and when a new year begins
    the whole of last year is one again."""
    january = archive.issues[-1]
    assert january.date == dt.date(2022, 1, 7)

    def issue(number: int, date: dt.date) -> Issue:
        return dataclasses.replace(january, year=date.year, number=number, date=date)

    def names(*issues: Issue) -> list[str]:
        return [shard.name for shard in shards_of(Archive(archive.publication, (*archive.issues, *issues)))]

    march, april, july, october = (
        issue(2, dt.date(2022, 3, 31)),
        issue(3, dt.date(2022, 4, 1)),
        issue(4, dt.date(2022, 7, 1)),
        issue(5, dt.date(2022, 10, 7)),
    )
    assert names() == ["2021", "2022-q1"]
    assert names(march) == ["2021", "2022-q1"]
    assert names(march, april) == ["2021", "2022-q1", "2022-q2"]
    assert names(march, july) == ["2021", "2022-q1-q2", "2022-q3"]
    assert names(march, april, july, october) == ["2021", "2022-q1-q3", "2022-q4"]
    assert names(october, issue(1, dt.date(2023, 1, 6))) == ["2021", "2022", "2023-q1"]

    grown = Archive(archive.publication, (*archive.issues, march, april))
    shards = shards_of(grown)
    assert [len(shard.issues) for shard in shards] == [10, 2, 1]
    assert [record.order for record in shards[-1].records] == list(range(1, len(april.items) + 1))
    edited = Archive(grown.publication, (*grown.issues[:-1], dataclasses.replace(april, topic="专题")))
    after = {shard.name: shard.key for shard in shards_of(edited)}
    assert [shard.name for shard in shards if shard.key != after[shard.name]] == ["2022-q2"]
    assert manifest(shards)["bundles"] == ["2022-q2", "2022-q1", "2021"]


def test_facets_come_from_the_published_items(archive: Archive) -> None:
    facets = {facet["name"]: facet for facet in search_facets(archive)}
    assert list(facets) == ["year", "section", "region", "tag"]
    assert [f["label"] for f in facets.values()] == ["年份", "栏目", "地区", "标签"]
    assert facets["year"]["values"] == [
        {"value": "2022", "text": "2022年"},
        {"value": "2021", "text": "2021年"},
    ]
    assert [v["value"] for v in facets["section"]["values"]] == ["国家部署", "省级动态", "市州动态"]
    found = all_records(archive)
    regions = [v["value"] for v in facets["region"]["values"]]
    assert set(regions) == {r.region for r in found if r.region}
    assert regions == [name for name in archive.publication.regions if name in regions]  # config order
    tags = [v["value"] for v in facets["tag"]["values"]]
    assert set(tags) == {tag for r in found for tag in r.tags}


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
    writer = RecordWriter(archive.publication)
    for shard in shards_of(archive):
        writer.write(shard.name, shard.records, tmp_path / "records")
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "records").rglob("*.html")]
    assert pages and not [page for page in pages if "<script>" in page]
    assert any('content="标题&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page for page in pages)


# ------------------------------------------------------------------ the bundles


def test_the_bundles_hold_the_published_items_only(site: Path, archive: Archive) -> None:
    bundle = site / "pagefind"
    manifest = json.loads((bundle / "shards.json").read_text(encoding="utf-8"))
    assert manifest == {"bundles": ["2022-q1", "2021"], "weight_base": 128}  # 89 items + the anchor < 128
    counts = {}
    for name in ("2021", "2022-q1"):
        entry = json.loads((bundle / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["version"] == "1.5.2" and list(entry["languages"]) == ["zh"]
        counts[name] = entry["languages"]["zh"]["page_count"]
    assert counts == {shard.name: len(shard.records) + 1 for shard in shards_of(archive)}  # + anchor
    stored = fragments(bundle)
    expected = {f"/{record.file}" for record in all_records(archive)}
    anchors = {"/2021/sort-anchor.html", "/2022-q1/sort-anchor.html"}
    assert {fragment["url"] for fragment in stored} == expected | anchors
    for anchor in (f for f in stored if f["url"] in anchors):
        assert anchor["content"] == "＿" and not anchor["filters"]
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
    # one word per character: what the search box shows without the spaces; the 期号 and the
    # section are words of the item too (2021, 第6期, 市州动态), before the body
    assert guangan["content"].startswith(tokens(guangan["meta"]["title"]) + " ")
    assert "".join(guangan["content"].split()).startswith(
        f"{guangan['meta']['title']}广安市大调研广安市交通运输局2021年第6期市州动态6月1日，广安市交通运输局"
    )
    special = next(f for f in stored if f["url"] == "/2021/08/item-1.html")
    assert special["filters"]["kind"] == ["专刊"] and " 第 8 期 专 刊 " in special["content"]
    supplement = next(f for f in stored if f["url"] == "/2021/supplement-01/item-1.html")
    assert (
        supplement["filters"]["kind"] == ["增刊"] and " 2021 年 增 刊 第 1 期 增 刊 " in supplement["content"]
    )


def test_the_bundles_ship_only_what_the_search_box_loads(site: Path) -> None:
    bundle = site / "pagefind"
    assert sorted(path.name for path in bundle.iterdir()) == ["2021", "2022-q1", "shards.json"]
    for name in ("2021", "2022-q1"):
        top = sorted(path.name for path in (bundle / name).iterdir())
        assert [
            name for name in top if not re.fullmatch(r"pagefind\.zh_[0-9a-f]+\.pf_meta", name)
        ] == BUNDLE_FILES
    assert not list(bundle.rglob("*ui*")) and not list(bundle.rglob("*highlight*"))


def test_the_bundles_name_no_other_host(site: Path) -> None:
    """Pagefind's scripts name one host: example.com, a base it parses relative URLs against
    when a highlight parameter is set (never fetched; the browser tests check every request)."""
    for path in sorted((site / "pagefind").glob("*/*.js")):
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        hosts = set(re.findall(r"(?:https?:)?//([a-z0-9.-]+\.[a-z]{2,})", text, flags=re.IGNORECASE))
        assert hosts <= {"example.com"}, (path.name, hosts)


def test_indexing_is_byte_identical(site: Path, archive: Archive, tmp_path: Path, cache: Path) -> None:
    """Pagefind 1.5.2 writes filter indexes in hash-map order; search/stable.py sorts them. From an
    empty cache (Pagefind runs again) and from a full one, the bundles are the same bytes."""
    again = tmp_path / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    assert index_site(archive, again).indexed == 2
    assert tree(again / "pagefind") == tree(site / "pagefind")
    assert index_site(archive, again).indexed == 0
    assert tree(again / "pagefind") == tree(site / "pagefind")


def test_bundles_are_made_in_memory_and_leave_nothing_there(
    site: Path, archive: Archive, tmp_path: Path, cache: Path
) -> None:
    """Records and Pagefind's output are scratch: made in memory where there is room, the
    finished bundles moved into the cache, nothing left behind."""
    before = set(files.MEMORY_FOLDER.iterdir()) if files.MEMORY_FOLDER.is_dir() else set()
    again = tmp_path / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    assert index_site(archive, again).indexed == 2
    assert tree(again / "pagefind") == tree(site / "pagefind")
    after = set(files.MEMORY_FOLDER.iterdir()) if files.MEMORY_FOLDER.is_dir() else set()
    assert {path.name for path in after - before if path.name.startswith(".jianbao")} == set()
    assert sorted(path.name.startswith(".") for path in cache.iterdir()) == [False, False]


def test_without_room_in_memory_bundles_are_made_in_the_cache(
    site: Path, archive: Archive, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same records (Pagefind numbers them in the order the file system lists them, so the
    bytes of its index may differ from those of a bundle made in memory)."""
    monkeypatch.setattr(files, "MEMORY_FOLDER", tmp_path / "no-such-folder")
    assert files.scratch_folder(cache, 1) == cache
    again = tmp_path / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    assert index_site(archive, again).indexed == 2
    assert fragments(again / "pagefind") == fragments(site / "pagefind")
    assert (again / "pagefind/shards.json").read_text() == (site / "pagefind/shards.json").read_text()
    assert sorted(path.name.startswith(".") for path in cache.iterdir()) == [False, False]


def test_scratch_goes_to_memory_only_with_room_to_spare(tmp_path: Path) -> None:
    if not files.MEMORY_FOLDER.is_dir():
        pytest.skip("no /dev/shm on this system")
    free = shutil.disk_usage(files.MEMORY_FOLDER).free
    assert files.scratch_folder(tmp_path, free // 8) == files.MEMORY_FOLDER
    assert files.scratch_folder(tmp_path, free // 2) == tmp_path


def test_pagefind_output_is_understood(archive: Archive, tmp_path: Path) -> None:
    """The stabilising step knows Pagefind's layout: it rewrites a fresh bundle (True), and a
    rewritten bundle decodes, re-encodes and stays as it is."""
    first = shards_of(archive)[0]
    RecordWriter(archive.publication).write(first.name, first.records, tmp_path / "records")
    run_pagefind(tmp_path / "records", tmp_path / "bundle")
    assert stable.stabilise(tmp_path / "bundle")
    once = tree(tmp_path / "bundle")
    assert stable.stabilise(tmp_path / "bundle")
    assert tree(tmp_path / "bundle") == once
    for path in (tmp_path / "bundle" / "filter").glob("*.pf_filter"):
        name, values = stable.read_cbor(path)
        assert [value[0] for value in values] == sorted(value[0] for value in values), name


def test_cbor_round_trip() -> None:
    values = (0, 23, 24, 255, 256, 65536, 2**32, -1, -500, "", "达州市", [], [1, ["a", [2, 3]]], {"k": [1]})
    for value in values:
        encoded = stable.cbor_encode(value)
        assert stable.cbor_decode(encoded, 0) == (value, len(encoded))


def test_an_unexpected_bundle_is_left_alone(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "pagefind-entry.json").write_text('{"languages": {"zh": {"hash": "zh_x"}}}', encoding="utf-8")
    (bundle / "pagefind.zh_x.pf_meta").write_bytes(gzip.compress(b"something else"))
    before = tree(bundle)
    assert not stable.stabilise(bundle)
    assert tree(bundle) == before


# ------------------------------------------------------------------ the cache


def test_an_edit_indexes_its_own_year_again(archive: Archive, tmp_path: Path, cache: Path) -> None:
    first = index_site(archive, tmp_path)
    assert (first.records, first.bundles, first.indexed) == (90, 2, 2)
    kept = tree(tmp_path / "pagefind" / "2021")
    assert index_site(archive, tmp_path).indexed == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no scratch left
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]

    newest = archive.issues[-1]
    edited = dataclasses.replace(newest.items[0], title="达州市召开专项整治推进会（修改后）")
    changed = Archive(
        archive.publication, (*archive.issues[:-1], dataclasses.replace(newest, items=(edited,)))
    )
    report = index_site(changed, tmp_path)
    assert (report.bundles, report.indexed) == (2, 1)
    assert tree(tmp_path / "pagefind" / "2021") == kept
    titles = [
        f["meta"]["title"] for f in fragments(tmp_path / "pagefind") if f["url"].startswith("/2022/01/")
    ]
    assert titles == ["达州市召开专项整治推进会（修改后）"]
    assert len([p for p in cache.iterdir()]) == 2  # the first 2022 bundle is forgotten


def test_an_archive_without_published_items_has_no_index(archive: Archive, tmp_path: Path) -> None:
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "stale.js").write_text("", encoding="utf-8")
    report = index_site(Archive(archive.publication, ()), tmp_path)
    assert report.records == 0 and not (tmp_path / "pagefind").exists()


def test_missing_pagefind_is_explained(
    archive: Archive, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SearchIndexError, match="pagefind_bin"):
        index_site(archive, tmp_path / "site")
    assert not (tmp_path / "site" / "pagefind").exists()
