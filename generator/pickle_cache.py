"""A cache file of pickled Python objects, tagged with the version of what made them.

Used for what a run reads from content/ and a next run would read again the same way (parsed
bodies, loaded issues). A file from another version of the code, or one that does not read
back, is ignored: the caller then does the work again. A file that cannot be written is no
error either. The cache is jianbao's own, under the project's .jianbao-cache/.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.files import digest_tree, write_atomic

_CODE = Path(__file__).parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """A fingerprint of jianbao's Python code: any change to it invalidates every cache file."""
    digest = hashlib.sha256()
    digest_tree(digest, _CODE, "*.py")
    return digest.hexdigest()


class ValuePickler(pickle.Pickler):
    """A pickler for fingerprints: the bytes depend on the values alone.

    Pickle's memo writes an object met twice as a reference to the first, so the bytes would
    depend on which equal strings happen to be one object (an issue read afresh shares a
    section's name with site_config.yml's, one from `issues.pickle` has its own copy): every
    fingerprint would change on the build after. "Fast" mode has no memo (no cycles allowed).
    """

    def __init__(self, buffer: io.BytesIO) -> None:
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True


def pickled_by_value(value: Any) -> bytes:
    buffer = io.BytesIO()
    ValuePickler(buffer).dump(value)
    return buffer.getvalue()


def read_cache(path: Path, version: str) -> dict[Any, Any]:
    """The entries stored under `version`, or nothing."""
    try:
        stored = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return {}
    if (
        isinstance(stored, dict)
        and stored.get("version") == version
        and isinstance(stored.get("entries"), dict)
    ):
        return stored["entries"]
    return {}


def write_cache(path: Path, version: str, entries: dict[Any, Any]) -> None:
    data = pickle.dumps({"version": version, "entries": entries}, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except OSError:
        pass
