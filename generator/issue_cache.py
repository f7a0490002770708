"""Issues read by the last run, kept in `.jianbao-cache/issues.pickle`.

Reading an issue (YAML with line numbers, then the typed model) and checking its text depend
only on the file's bytes, its path, site_config.yml and jianbao's code, so a file that did not
change is not read again: its issue and the problems found in it come from the cache (at 520
issues, 0.9 s of YAML becomes a few milliseconds). Checks that look beyond the file (images on
disk, numbering across issues, the lock of published issues) always run.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.load import IssueFile, load_issue
from generator.model import Issue, Publication
from generator.pickle_cache import code_version, read_cache, write_cache
from generator.problems import Problem, Problems
from generator.validate import check_issue_text

CACHE_FILE = ".jianbao-cache/issues.pickle"

Entry = tuple[Issue | None, list[Problem]]


class IssueReader:
    """`read` is `load_issue` + `check_issue_text`, from the cache when the file is unchanged;
    `keep` writes what this run read for the next one."""

    def __init__(self, publication: Publication, config_path: Path) -> None:
        self.publication = publication
        self.path = publication.root / CACHE_FILE
        try:
            config = config_path.read_bytes()
        except OSError:
            config = b""
        self.version = hashlib.sha256(code_version().encode() + b"\0" + config).hexdigest()
        self.recalled: dict[bytes, Entry] = read_cache(self.path, self.version)
        self.read_now: dict[bytes, Entry] = {}

    def read(self, source: IssueFile, problems: Problems) -> Issue | None:
        try:
            key = hashlib.sha256(f"{source}".encode() + b"\0" + source.path.read_bytes()).digest()
        except OSError:
            key = None
        entry = self.recalled.get(key) if key is not None else None
        if entry is None:
            found = Problems()
            issue = load_issue(source, self.publication, found)
            if issue is not None:
                check_issue_text(issue, self.publication, found)
            entry = (issue, found.items)
        if key is not None:
            self.read_now[key] = entry
        problems.items.extend(entry[1])
        return entry[0]

    def keep(self) -> None:
        if set(self.read_now) != set(self.recalled):
            write_cache(self.path, self.version, self.read_now)
