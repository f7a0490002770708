"""A synthetic, deterministic archive of weekly issues, for benchmarks.

    .venv/bin/python benchmarks/make_archive.py OUT_DIR [--issues 520] [--seed 1]

Writes OUT_DIR/site_config.yml (a copy of the repository's) and OUT_DIR/content/<YYYY>/<NN>.yml:
one issue every Friday from the first Friday of 2016, numbered from 1 each January, 15 items each
over the three sections. Bodies recombine sentences of benchmarks/reference/*.txt. Same arguments,
byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "reference"
"""Texts of a real bulletin and campaign documents (copied from the project brief's references)."""
FIRST_FRIDAY = dt.date(2016, 1, 1)  # 2016-01-01 is a Friday
ITEMS_PER_ISSUE = 15
TITLE_MAX = 50

_HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "*": "某"})
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.．]|[（(]\d+[）)])"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOISE = ("docx", "文库", "http", "页珍藏", "会员分享", "★", "印送", "抄送", "……")
_CLAUSE_SPLIT = re.compile(r"[，；：、]")


def _balanced(text: str) -> bool:
    return text.count("（") == text.count("）") and text.count("“") == text.count("”")


def load_sentences(folder: Path = REFERENCE) -> list[str]:
    """Every reference sentence (split on 。) that reads as plain Chinese prose."""
    sentences: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().translate(_HALF_TO_FULL).replace(" ", "")
            if any(noise in line for noise in _NOISE):
                continue
            for piece in line.split("。")[:-1]:  # only text that ends with 。 (no headings)
                piece = _ENUMERATOR.sub("", piece.strip())
                prose = "，" in piece and not piece.endswith(("、", "，", "："))
                if prose and 12 <= len(piece) <= 240 and len(_CJK.findall(piece)) * 2 > len(piece):
                    sentences.append(piece + "。")
    return sorted(set(sentences))  # deterministic order, no repeats


def issue_dates(count: int) -> list[tuple[int, int, dt.date]]:
    """(year, number within the year, date) for `count` weekly issues."""
    result: list[tuple[int, int, dt.date]] = []
    number, year = 0, FIRST_FRIDAY.year
    for week in range(count):
        date = FIRST_FRIDAY + dt.timedelta(weeks=week)
        number = number + 1 if date.year == year else 1
        year = date.year
        result.append((year, number, date))
    return result


class Writer:
    def __init__(self, config: dict, sentences: list[str], rng: random.Random) -> None:
        self.rng = rng
        self.sentences = sentences
        self.clauses = sorted(
            {
                c
                for s in sentences
                for c in _CLAUSE_SPLIT.split(s.rstrip("。"))
                if 8 <= len(c) <= 30 and _balanced(c)
            }
        )
        regions: list[str] = config["regions"]
        self.regions = {
            "national": [r for r in regions if r.endswith("部")] or regions,
            "provincial": [r for r in regions if r.startswith(("四川省", "省", "厅"))] or regions,
            "municipal": [r for r in regions if r.endswith(("市", "州"))] or regions,
        }
        self.tags: list[str] = config["tags"]
        self.sources = ["厅专项整治办", "省交通执法总队", "市（州）交通运输局", "督查组"]

    def body(self) -> str:
        paragraphs = [
            "".join(self.rng.sample(self.sentences, self.rng.randint(2, 4)))
            for _ in range(self.rng.randint(1, 3))
        ]
        return "\n\n".join(paragraphs)

    def title(self, region: str) -> str:
        words = self.rng.sample(self.clauses, 2)
        return f"{region}{words[0]}，{words[1]}"[:TITLE_MAX].rstrip("，")

    def item_lines(self, section: str, date: dt.date) -> list[str]:
        region = self.rng.choice(self.regions[section])
        tags = self.rng.sample(self.tags, self.rng.randint(1, 3))
        item_date = date - dt.timedelta(days=self.rng.randint(0, 6))
        lines = [
            f"  - section: {section}",
            f"    title: {json.dumps(self.title(region), ensure_ascii=False)}",
            f"    date: {item_date.isoformat()}",
            f"    region: {region}",
            f"    tags: [{', '.join(tags)}]",
        ]
        if self.rng.random() < 0.3:
            lines.append(f"    source: {self.rng.choice(self.sources)}")
        lines.append("    body: |")
        lines += [f"      {text}" if text else "" for text in self.body().split("\n")]
        lines.append("")
        return lines

    def issue(self, year: int, number: int, date: dt.date) -> str:
        national = self.rng.randint(2, 4)
        provincial = self.rng.randint(4, 6)
        sections = (
            ["national"] * national
            + ["provincial"] * provincial
            + ["municipal"] * (ITEMS_PER_ISSUE - national - provincial)
        )
        lines = [
            f"# {year}年第{number}期（基准测试合成内容）",
            f"number: {number}",
            f"date: {date.isoformat()}",
            "status: published",
            "kind: regular",
            "items:",
        ]
        for section in sections:
            lines += self.item_lines(section, date)
        return "\n".join(lines).rstrip("\n") + "\n"


def make_archive(out_dir: Path, issues: int = 520, seed: int = 1) -> list[Path]:
    """Write the project; return the issue files in date order."""
    config_source = REPO / "site_config.yml"
    config = yaml.safe_load(config_source.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(config_source, out_dir / "site_config.yml")
    content = out_dir / "content"
    if content.exists():
        shutil.rmtree(content)
    writer = Writer(config, load_sentences(), random.Random(seed))
    paths: list[Path] = []
    for year, number, date in issue_dates(issues):
        path = content / str(year) / f"{number:02d}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(writer.issue(year, number, date), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--issues", type=int, default=520)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = make_archive(args.out_dir, args.issues, args.seed)
    print(f"{len(paths)} issues in {args.out_dir}/content")


if __name__ == "__main__":
    main()
