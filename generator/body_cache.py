"""Parsed bodies kept between runs, in `.jianbao-cache/bodies.pickle`.

Parsing Markdown is most of the time it takes to load a large archive (2.7 of 5 s for 520
issues); unpickling the same trees takes 0.05 s. The file holds the trees of the bodies the
archive had at the last run, by the SHA-1 of their text, for the same version of jianbao's code
and of Python-Markdown (`pickle_cache`).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from generator import body
from generator.pickle_cache import code_version, read_cache, write_cache

CACHE_FILE = ".jianbao-cache/bodies.pickle"


def recall_bodies(root: Path) -> set[bytes]:
    """Make the bodies parsed by the last run known to `body.parse_body`; returns their keys."""
    trees = read_cache(root / CACHE_FILE, _parser_version())
    parsed = body.parsed_bodies()
    for key, blocks in trees.items():
        parsed.setdefault(key, blocks)
    return set(trees)


def keep_bodies(root: Path, texts: Iterable[str], recalled: set[bytes]) -> None:
    """Write the trees of `texts` for the next run, unless they are the ones recalled."""
    trees = {}
    for text in texts:
        body.parse_body(text)  # parsed by validation already; this only makes sure
        key = body.body_key(text)
        trees[key] = body.parsed_bodies()[key]
    if set(trees) != recalled:
        write_cache(root / CACHE_FILE, _parser_version(), trees)


def _parser_version() -> str:
    return f"{code_version()} markdown {version('markdown')}"
