"""Build-time benchmark: jianbao (with and without PDFs) against a plain MkDocs Material site.

    .venv/bin/python benchmarks/run.py [--sizes 52,520,1040] [--work /tmp/jb-bench]

For each size: a synthetic archive (benchmarks/make_archive.py); `jianbao build --no-pdf` and
`jianbao build`, each from an empty cache; the same build again after one sentence is added to
the latest issue (everything else comes from the cache); and
`mkdocs build` of the same issues as plain Markdown pages with Material's search (lang: zh).
Prints a Markdown table; record it in docs/benchmarks.md. PDFs take ~0.2 s per issue on 2 cores,
so 1040 issues need several minutes: pick smaller --sizes when in a hurry.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml
from make_archive import make_archive

GNU_TIME = Path("/usr/bin/time")
HAS_JIEBA = importlib.util.find_spec("jieba") is not None


def jianbao_command() -> list[str]:
    script = Path(sys.executable).with_name("jianbao")
    if script.exists():
        return [str(script)]
    found = shutil.which("jianbao")
    return [found] if found else [sys.executable, "-m", "generator"]


def timed(command: list[str], cwd: Path) -> tuple[float, float | None, dict[str, float]]:
    """Run `command`; return (wall seconds, peak RSS in MB or None, phases from --timings)."""
    wrapped = [str(GNU_TIME), "-v", *command] if GNU_TIME.exists() else command
    start = time.perf_counter()
    result = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    phases = {
        name: float(value)
        for name, value in re.findall(r"^(\S+)\t([0-9.]+)$", result.stderr, flags=re.MULTILINE)
    }
    return seconds, int(match.group(1)) / 1024 if match else None, phases


def folder_mb(folder: Path) -> float | None:
    if not folder.is_dir():
        return None
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


class Trash:
    """Outputs of earlier builds, moved aside and deleted only when the run is over.

    Why: on ext4 without a journal (this project's cloud machines) each new file skips, one by
    one, the inodes deleted in the last minutes, so a build right after deleting the previous
    build's 20,000 files runs up to half again as long as the same build on a fresh checkout.
    A build's own deletions (the old site, its scratch files) still count.
    """

    def __init__(self, work: Path) -> None:
        self.folder = work / ".trash"
        self.count = 0

    def put(self, path: Path) -> None:
        if path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            self.count += 1
            path.rename(self.folder / f"{self.count}-{path.name}")

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def append_sentence(issue_file: Path) -> None:
    """Add a sentence to the end of the first paragraph of the issue's first body."""
    text = issue_file.read_text(encoding="utf-8")
    body = text.index("body: |")
    end = text.index("。\n", body) + 1
    issue_file.write_text(text[:end] + "会后，各单位认真抓好贯彻落实。" + text[end:], encoding="utf-8")


def write_material(project: Path, docs_root: Path) -> None:
    """One Markdown page per issue, one index page per year; nav lists the years only."""
    config = yaml.safe_load((project / "site_config.yml").read_text(encoding="utf-8"))
    sections = {s["id"]: s["title"] for s in config["sections"]}
    if docs_root.exists():
        shutil.rmtree(docs_root)
    docs = docs_root / "docs"
    years: dict[str, list[str]] = {}
    for path in sorted((project / "content").glob("*/[0-9]*.yml")):
        issue = yaml.safe_load(path.read_text(encoding="utf-8"))
        year = path.parent.name
        heading = f"{year}年第{issue['number']}期"
        lines = [f"# {heading}", "", f"印发日期：{issue['date']}", ""]
        for item in issue["items"]:
            lines += [f"## {item['title']}", "", f"*{sections[item['section']]}*", "", item["body"], ""]
        (docs / year).mkdir(parents=True, exist_ok=True)
        (docs / year / f"{path.stem}.md").write_text("\n".join(lines), encoding="utf-8")
        years.setdefault(year, []).append(f"- [{heading}]({path.stem}.md)")
    for year, links in years.items():
        page = [f"# {year}年", "", *links, ""]
        (docs / year / "index.md").write_text("\n".join(page), encoding="utf-8")
    (docs / "index.md").write_text(f"# {config['title']}\n", encoding="utf-8")
    mkdocs = {
        "site_name": config["site"]["name"],
        "theme": {"name": "material", "language": "zh"},
        "plugins": [{"search": {"lang": "zh"}}],
        "nav": [{"首页": "index.md"}] + [{f"{y}年": f"{y}/index.md"} for y in years],
    }
    (docs_root / "mkdocs.yml").write_text(yaml.safe_dump(mkdocs, allow_unicode=True), encoding="utf-8")


def measure(size: int, work: Path, trash: Trash) -> dict[str, float | None]:
    project = work / f"archive-{size}"
    trash.put(project)  # a fresh checkout
    issue_files = make_archive(project, issues=size, seed=1)
    config = str(project / "site_config.yml")
    jianbao = jianbao_command()
    out_plain, out_all = project / "site-nopdf", project / "site"
    cache = project / ".jianbao-cache"
    build = [*jianbao, "build", "--timings", "--config", config]
    no_pdf, peak_plain, _ = timed([*build, "--out", str(out_plain), "--no-pdf"], project)
    trash.put(cache)  # both first builds start cold: no PDF, no index cached
    full, peak_all, phases = timed([*build, "--out", str(out_all)], project)
    site_mb, index_mb = folder_mb(out_all), folder_mb(out_all / "pagefind")
    warm, peak_warm, _ = timed([*build, "--out", str(out_all)], project)
    append_sentence(issue_files[-1])
    rebuild, _, rebuild_phases = timed([*build, "--out", str(out_all)], project)
    material_root = project / "material"
    write_material(project, material_root)
    material, _, _ = timed([sys.executable, "-m", "mkdocs", "build", "-q"], material_root)
    peaks = [p for p in (peak_plain, peak_all, peak_warm) if p is not None]
    return {
        "no_pdf": no_pdf,
        "all": full,
        "load": phases.get("读取与校验", 0.0),
        "pages": phases.get("网页", 0.0),
        "search": phases.get("检索索引", 0.0),
        "pdf_wait": phases.get("PDF（等待）", 0.0) + phases.get("PDF（启动）", 0.0),
        "warm": warm,
        "warm_ratio": warm / material,
        "rebuild": rebuild,
        "rebuild_no_search": rebuild - rebuild_phases.get("检索索引", 0.0),
        "material": material,
        "ratio": full / material,
        "site_mb": site_mb,
        "index_mb": index_mb,
        "peak_mb": max(peaks) if peaks else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="52,520,1040", help="issue counts, comma-separated")
    parser.add_argument("--work", type=Path, default=Path("/tmp/jb-bench"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    trash = Trash(args.work)
    trash.empty()  # left by an interrupted run
    rows = []
    for size in sizes:
        print(f"measuring {size} issues …", file=sys.stderr, flush=True)
        r = measure(size, args.work, trash)
        peak = f"{r['peak_mb']:.0f}" if r["peak_mb"] is not None else "n/a"
        index = f"{r['index_mb']:.1f}" if r["index_mb"] is not None else "none"
        rows.append(
            f"| {size} | {r['no_pdf']:.1f} | {r['all']:.1f} | {r['load']:.1f} | {r['pages']:.1f} "
            f"| {r['search']:.1f} | {r['pdf_wait']:.1f} | {r['rebuild']:.1f} | {r['rebuild_no_search']:.1f} "
            f"| {r['material']:.1f} | {r['ratio']:.2f} | {r['warm']:.1f} | {r['warm_ratio']:.2f} "
            f"| {r['site_mb']:.1f} | {index} | {peak} |"
        )

    print(
        f"machine: {platform.platform()}, {platform.machine()}, nproc {os.cpu_count()}, "
        f"python {platform.python_version()}"
    )
    print(f"date: {dt.date.today().isoformat()}")
    jieba = "jieba installed" if HAS_JIEBA else "jieba not installed: no Chinese word segmentation"
    print(f"Material: search plugin with lang: zh ({jieba}); nav lists years only")
    print("builds start from an empty .jianbao-cache (cold; earlier outputs are deleted only after the")
    print("run, as on a fresh checkout); cache warm: the same build again, nothing")
    print("changed (what an office runs every week); rebuild: `jianbao build` again after one")
    print("sentence is added to the latest issue (its PDF and its bundle of the index are made again)")
    print("phases from `jianbao build --timings` of the full build; PDFs render in worker processes")
    print("while pages and search are built, so 'PDFs after pages' is only the time left waiting for them")
    peak_how = "/usr/bin/time -v" if GNU_TIME.exists() else "n/a (no /usr/bin/time)"
    print(
        f"peak: max RSS of the jianbao builds ({peak_how}); "
        "site/index: the full build's out dir and its pagefind/ (none: no such folder)"
    )
    print()
    print(
        "| size | build no PDF s | build all s | load+validate s | pages (MkDocs) s | search s "
        "| PDFs after pages s | one-issue rebuild s | rebuild w/o search s "
        "| Material plain s | ratio (all / Material) | build all, cache warm s | ratio warm "
        "| site MB | index MB | peak MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    trash.empty()


if __name__ == "__main__":
    main()
