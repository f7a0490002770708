"""Pagefind bundles made byte-stable, and trimmed to what the search box loads.

Pagefind's files are gzip("pagefind_dcd" + CBOR). Each filter index is named after a hash of
its CBOR (`zh_` + 7 hex digits), the metadata file lists the filter indexes by name, and
pagefind-entry.json names the metadata file. Pagefind 1.5.2 writes a filter's values, and the
list of filters, in hash-map order, so two runs differ: both are sorted here (as Pagefind's own
newer code does), then renamed and relinked, in Pagefind's own naming. Anything unexpected
(another layout, a CBOR item not understood, a file that does not re-encode to its own bytes)
leaves the bundle exactly as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

UNUSED_FILES = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces: the search box uses the JS API (pagefind.js) only."""


def prune(bundle: Path) -> None:
    for pattern in UNUSED_FILES:
        for path in bundle.glob(pattern):
            path.unlink()


_SIGNATURE = b"pagefind_dcd"


class _Unexpected(Exception):
    pass


def stabilise(bundle: Path) -> bool:
    """Sort the filter indexes of a Pagefind 1.5 bundle; False if it was left as it was."""
    try:
        writes, removals = _stable_files(bundle)
    except (_Unexpected, OSError, ValueError, KeyError, IndexError, TypeError):
        return False
    for name in removals:
        (bundle / name).unlink()
    for name, data in writes.items():
        (bundle / name).write_bytes(data)
    return True


def _stable_files(bundle: Path) -> tuple[dict[str, bytes], list[str]]:
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    writes: dict[str, bytes] = {}
    removals: list[str] = []
    for language, about in entry["languages"].items():
        meta_name = f"pagefind.{about['hash']}.pf_meta"
        meta = read_cbor(bundle / meta_name)
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise _Unexpected("metadata layout")
        renamed: list[list[str]] = []
        taken: set[str] = set()
        for filter_name, old_hash in sorted(meta[3], key=lambda pair: pair[0]):
            index = read_cbor(bundle / "filter" / f"{old_hash}.pf_filter")
            if not (isinstance(index, list) and len(index) == 2 and index[0] == filter_name):
                raise _Unexpected("filter layout")
            index[1] = sorted(index[1], key=lambda value: value[0])
            encoded = cbor_encode(index)
            new_hash = _short_hash(language, encoded, 7, taken)
            taken.add(new_hash)
            renamed.append([filter_name, new_hash])
            removals.append(f"filter/{old_hash}.pf_filter")
            writes[f"filter/{new_hash}.pf_filter"] = _pack(encoded)
        meta[3] = renamed
        encoded_meta = cbor_encode(meta)
        new_meta_hash = _short_hash(language, encoded_meta, 10, set())
        removals.append(meta_name)
        writes[f"pagefind.{new_meta_hash}.pf_meta"] = _pack(encoded_meta)
        entry_text = entry_text.replace(f'"{about["hash"]}"', f'"{new_meta_hash}"')
    writes["pagefind-entry.json"] = entry_text.encode("utf-8")
    removals = [name for name in removals if name not in writes]
    return writes, removals


def read_cbor(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise _Unexpected(f"{path.name}: no signature")
    body = data[len(_SIGNATURE) :]
    value, end = cbor_decode(body, 0)
    if end != len(body) or cbor_encode(value) != body:
        raise _Unexpected(f"{path.name}: does not round-trip")
    return value


def _pack(cbor: bytes) -> bytes:
    return gzip.compress(_SIGNATURE + cbor, compresslevel=9, mtime=0)


def _short_hash(language: str, data: bytes, length: int, taken: set[str]) -> str:
    """Pagefind's names: the language, then the SHA-1 as unpadded hex bytes, cut short."""
    full = "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())
    for end in range(length, len(full) + 1):
        name = f"{language}_{full[:end]}"
        if name not in taken:
            return name
    raise _Unexpected("hash collision")


def cbor_decode(data: bytes, at: int) -> tuple[Any, int]:
    """The CBOR Pagefind writes: unsigned and negative integers, text, arrays, maps."""
    first = data[at]
    major, info = first >> 5, first & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise _Unexpected(f"CBOR item {first:#x}")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = cbor_decode(data, at)
            mapping[key], at = cbor_decode(data, at)
        return mapping, at
    raise _Unexpected(f"CBOR major type {major}")


def cbor_encode(value: Any) -> bytes:
    return b"".join(_cbor_parts(value))


def _cbor_parts(value: Any) -> Iterator[bytes]:
    if isinstance(value, bool) or value is None:
        raise _Unexpected("CBOR simple value")
    if isinstance(value, int):
        yield _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    elif isinstance(value, str):
        encoded = value.encode("utf-8")
        yield _cbor_head(3, len(encoded))
        yield encoded
    elif isinstance(value, list):
        yield _cbor_head(4, len(value))
        for item in value:
            yield from _cbor_parts(item)
    elif isinstance(value, dict):
        yield _cbor_head(5, len(value))
        for key, item in value.items():
            yield from _cbor_parts(key)
            yield from _cbor_parts(item)
    else:
        raise _Unexpected(f"CBOR {type(value).__name__}")


def _cbor_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise _Unexpected("CBOR integer too large")
