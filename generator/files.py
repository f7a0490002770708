"""Writing outputs so that nobody ever sees half of one: temporary names, then renames."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write beside `path` under a temporary name, then rename over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    if isinstance(data, str):
        temporary.write_text(data, encoding="utf-8")
    else:
        temporary.write_bytes(data)
    temporary.replace(path)


OUTPUT_MARK = ".jianbao-site"
"""A file in every output folder a build writes. The folder is replaced whole on the next build,
so a folder that is not empty and lacks the mark holds someone else's files and is refused."""

OUTPUT_MARK_TEXT = "由 jianbao 生成。再次生成时整个文件夹会被替换：请不要在这里存放其他文件。\n"


def foreign_files(folder: Path) -> list[str]:
    """The names in `folder` if it holds files that no build wrote there (sorted), else []."""
    if not folder.is_dir() or (folder / OUTPUT_MARK).is_file():
        return []
    return sorted(entry.name for entry in folder.iterdir())


def swap_in(new: Path | None, target: Path) -> None:
    """Replace the folder `target` by `new` (or just remove it) with renames on one file system,
    so the old one is never half deleted while the new one is not yet there."""
    previous = target.with_name(f".{target.name}.previous")
    remove(previous)
    if target.exists():
        os.replace(target, previous)
    if new is not None:
        os.replace(new, target)
    remove(previous)


MEMORY_FOLDER = Path("/dev/shm")
"""Linux's file system in memory (tmpfs), on every distribution; absent elsewhere."""


def scratch_folder(fallback: Path, size: int) -> Path:
    """Where to make about `size` bytes of files that are thrown away within seconds: in memory
    when there is room to spare (four times `size`), else `fallback`.

    Why: a file made and deleted on disk costs the file system work twice, and on ext4 without
    a journal (cloud machines) every new file skips the inodes deleted in the last minutes one
    by one, so thousands of short-lived files slow down every file made after them.
    """
    try:
        stats = os.statvfs(MEMORY_FOLDER)
    except OSError:
        return fallback
    roomy = stats.f_bavail * stats.f_frsize >= 4 * size
    return MEMORY_FOLDER if roomy and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK) else fallback


def move_folder(source: Path, target: Path) -> None:
    """Put the folder `source` at `target`, never half there (`swap_in`); from another file
    system by way of a copy beside `target`."""
    if source.stat().st_dev != target.parent.stat().st_dev:
        copy = target.with_name(f".{target.name}.{os.getpid()}.part")
        remove(copy)
        shutil.copytree(source, copy)
        shutil.rmtree(source)
        source = copy
    swap_in(source, target)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, when set: the date a reproducible run must use."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch.isdigit() else None


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """A hard link to a cached file when the cache and the output share a file system (no
    bytes copied), a copy otherwise. Usable as `shutil.copytree`'s copy function."""
    Path(target).unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def digest_tree(digest: hashlib._Hash, folder: Path, pattern: str = "*") -> None:
    """Feed every file under `folder` matching `pattern` (name and bytes, in a stable order) to
    `digest`: the part of a cache fingerprint that says which code or templates made it."""
    for path in sorted(folder.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
