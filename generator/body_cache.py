"""Parsed bodies kept between runs, in `.jianbao-cache/bodies.pickle`.

Parsing Markdown is most of the time it takes to load a large archive (2.7 of 5 s for 520
issues); unpickling the same trees takes 0.05 s. The file holds the trees of the bodies the
archive had at the last run, by the SHA-1 of their text, and is used only when it was written
by the same body parser (the source of generator/body.py and the version of Python-Markdown):
any change there, or a file that does not read back, simply means parsing again. It is a
cache, so a file that cannot be written is no error either.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from generator import body
from generator.files import write_atomic

CACHE_FILE = ".jianbao-cache/bodies.pickle"


def recall_bodies(root: Path) -> set[bytes]:
    """Make the bodies parsed by the last run known to `body.parse_body`; returns their keys."""
    try:
        stored = pickle.loads((root / CACHE_FILE).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return set()
    if not (isinstance(stored, dict) and stored.get("parser") == _parser_version()):
        return set()
    trees = stored.get("trees")
    if not isinstance(trees, dict):
        return set()
    parsed = body.parsed_bodies()
    for key, blocks in trees.items():
        parsed.setdefault(key, blocks)
    return set(trees)


def keep_bodies(root: Path, texts: Iterable[str], recalled: set[bytes]) -> None:
    """Write the trees of `texts` for the next run, unless they are the ones recalled."""
    trees = {}
    for text in texts:
        body.parse_body(text)
        key = hashlib.sha1(text.encode("utf-8")).digest()
        trees[key] = body.parsed_bodies()[key]
    if set(trees) == recalled:
        return
    data = pickle.dumps({"parser": _parser_version(), "trees": trees}, protocol=pickle.HIGHEST_PROTOCOL)
    path = root / CACHE_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except OSError:
        pass


def _parser_version() -> str:
    source = Path(body.__file__).read_bytes()
    return f"{hashlib.sha256(source).hexdigest()} markdown {version('markdown')}"
