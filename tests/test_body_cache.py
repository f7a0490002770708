"""Parsed bodies kept between runs (.jianbao-cache/bodies.pickle): used when valid, else ignored."""

from __future__ import annotations

import pickle
from pathlib import Path

from generator import body
from generator.body_cache import CACHE_FILE, recall_bodies
from tests.conftest import load_archive, make_project


def bodies_of(project: Path) -> list[str]:
    archive = load_archive(project / "site_config.yml")
    return [item.body for issue in archive.issues for item in issue.items]


def test_a_second_run_parses_nothing_again(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    texts = bodies_of(project)
    cache = project / CACHE_FILE
    written = cache.read_bytes()
    expected = [body.parse_body(text) for text in texts]

    body.parsed_bodies().clear()
    recalled = recall_bodies(project)
    assert len(recalled) == len(set(texts)) > 0
    assert len(body.parsed_bodies()) == len(recalled)  # all there before any parse …
    assert [body.parse_body(text) for text in texts] == expected  # … and the same trees
    assert len(body.parsed_bodies()) == len(recalled)

    bodies_of(project)
    assert cache.read_bytes() == written  # nothing changed: not written again


def test_an_edited_body_is_parsed_and_kept(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    bodies_of(project)
    issue = project / "content" / "2021" / "02.yml"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("body: |\n", "body: |\n      **新增的一句。**\n\n", 1),
        encoding="utf-8",
    )
    texts = bodies_of(project)
    edited = next(text for text in texts if text.startswith("**新增的一句。**"))
    body.parsed_bodies().clear()
    recall_bodies(project)
    blocks = body.parse_body(edited)
    assert blocks[0]["inlines"][0] == {
        "type": "strong",
        "inlines": [{"type": "text", "text": "新增的一句。"}],
    }


def test_a_cache_from_another_parser_or_broken_is_ignored(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    texts = bodies_of(project)
    cache = project / CACHE_FILE
    stored = pickle.loads(cache.read_bytes())
    poisoned = {
        key: ({"type": "paragraph", "inlines": [{"type": "text", "text": "旧"}]},)
        for key in stored["entries"]
    }
    cache.write_bytes(pickle.dumps({"version": "an older jianbao", "entries": poisoned}))
    body.parsed_bodies().clear()
    assert recall_bodies(project) == set()
    assert body.parse_body(texts[0]) != list(poisoned[next(iter(poisoned))])

    cache.write_bytes(b"not a pickle")
    body.parsed_bodies().clear()
    assert recall_bodies(project) == set()
    assert bodies_of(project) == texts  # loading still works, and writes a good cache again
    assert pickle.loads(cache.read_bytes())["version"] != "an older jianbao"
