"""Whole builds: nothing written on bad input, atomic swap, interrupted builds, reproducibility."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.problems import UserError
from tests.conftest import load_archive, make_project, run_cli


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_build_writes_the_contract_files(project: Path) -> None:
    result = run_cli(project, "build")
    assert result.exit_code == 0, result.output
    site = project / "site"
    for expected in (
        "index.html",
        "2021/01/index.html",
        "2021/02/index.html",
        "pdf/2021-01.pdf",
        "pdf/2021-02.pdf",
        "archive/index.html",
        "feed.xml",
        "404.html",
    ):
        assert (site / expected).is_file(), expected
    assert not list(project.glob(".site.*")), "no staging folder left behind"


def test_bad_input_writes_nothing(project: Path) -> None:
    (project / "content/2021/02.yml").write_text("number: 2\ndate: 2021-02-30\nitems: []\n", encoding="utf-8")
    result = run_cli(project, "build")
    assert result.exit_code == 1
    assert "content/2021/02.yml:2: 错误" in result.output
    assert not (project / "site").exists()
    assert not list(project.glob(".site.*"))


def test_a_folder_with_other_files_is_never_replaced(project: Path, tmp_path: Path) -> None:
    desktop = tmp_path / "桌面"
    (desktop / "材料").mkdir(parents=True)
    (desktop / "报告.docx").write_bytes(b"x")
    result = run_cli(project, "build", "--no-pdf", "--out", str(desktop))
    assert result.exit_code == 1
    assert "已有不是 jianbao 生成的文件（报告.docx、材料）" in result.output
    assert "请换一个新的或空的文件夹" in result.output
    assert sorted(path.name for path in desktop.iterdir()) == ["报告.docx", "材料"]


def test_a_folder_an_earlier_build_wrote_is_replaced(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "简报网站"
    out.mkdir()  # empty: fine
    assert run_cli(project, "build", "--no-pdf", "--out", str(out)).exit_code == 0
    (out / "2021" / "01" / "旧文件.html").write_text("old", encoding="utf-8")
    assert run_cli(project, "build", "--no-pdf", "--out", str(out)).exit_code == 0
    assert not (out / "2021" / "01" / "旧文件.html").exists()
    assert (out / "index.html").is_file()


def test_the_default_output_is_in_the_project_not_where_the_command_runs(project: Path) -> None:
    elsewhere = project / "content" / "2021"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--no-pdf", "--config", "../../site_config.yml"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "site" / "index.html").is_file()
    assert not (elsewhere / "site").exists()


def own_issue_template(project: Path) -> Path:
    """Where the project's own theme overrides the issue page's template (folders made)."""
    path = project / "themes" / "default" / "site" / "jianbao" / "issue.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_a_failing_build_leaves_the_previous_site_as_it_was(project: Path) -> None:
    assert run_cli(project, "build").exit_code == 0
    before = tree_digest(project / "site")
    config = project / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "fonts:\n  body: [不存在的仿宋]\n", encoding="utf-8"
    )
    (project / "content/2021/02.yml").write_text(
        (project / "content/2021/02.yml")
        .read_text(encoding="utf-8")
        .replace("明确调研重点", "明确调研的重点"),
        encoding="utf-8",
    )
    result = run_cli(project, "build")
    assert result.exit_code == 1
    assert (
        "正文（仿宋）" in result.output
        and "fonts.body 末尾加上已安装的免费字体 Noto Serif CJK SC" in result.output
    )
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site.*"))


def test_a_broken_theme_template_is_named_with_its_line(project: Path) -> None:
    """A template of the project's own theme that does not compile, or fails while a page is
    rendered: the file and the line in Chinese, no traceback, the previous site kept."""
    assert run_cli(project, "build", "--no-pdf").exit_code == 0
    before = tree_digest(project / "site")
    own = own_issue_template(project)
    for text, line, what in (
        ("正文\n{% if %}\n", 2, "有语法错误"),
        ("正文\n\n{{ nothing.at.all }}\n", 3, "出错"),
    ):
        own.write_text(text, encoding="utf-8")
        result = run_cli(project, "build", "--no-pdf")
        assert result.exit_code == 1
        assert f"themes/default/site/jianbao/issue.html:{line}: 错误：网页模板{what}" in result.output
        assert "Traceback" not in result.output and "Error building page" not in result.output
        assert tree_digest(project / "site") == before


def test_ctrl_c_during_a_build_leaves_the_previous_site(project: Path) -> None:
    assert run_cli(project, "build").exit_code == 0
    before = tree_digest(project / "site")
    for number in range(3, 30):  # enough issues that the build is still running when interrupted
        (project / f"content/2021/{number:02d}.yml").write_text(
            (project / "content/2021/02.yml")
            .read_text(encoding="utf-8")
            .replace("number: 2", f"number: {number}")
            .replace("date: 2021-06-04", f"date: 2021-{6 + number // 5:02d}-{1 + number % 5 * 5:02d}")
            .replace("6月2日", "6月1日")
            .replace("date: 2021-06-02", "date: 2021-06-01"),
            encoding="utf-8",
        )
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "CI": "1"},
    )
    # Interrupt once the workers have rendered a first new PDF: 26 more are still to come.
    cache = project / ".jianbao-cache" / "pdf"
    rendered = len(list(cache.glob("*.pdf")))
    deadline = time.monotonic() + 60
    while len(list(cache.glob("*.pdf"))) == rendered and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (project / ".site.building").exists()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode().strip().splitlines()[-1] == "jianbao：已中断。"  # not click's "Aborted!"
    assert "Traceback" not in stderr.decode()
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site.*"))


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = make_project(tmp_path / "a")
    second = make_project(tmp_path / "b")
    for project in (first, second):
        assert run_cli(project, "build").exit_code == 0
    assert tree_digest(first / "site") == tree_digest(second / "site")


def test_a_build_after_typst_ran_in_the_same_process_finishes(project: Path) -> None:
    """Typst's compiler starts native threads; a process forked after that would wait forever
    on them. The PDF workers are then spawned instead (jianbao serve renders, then builds)."""
    script = (
        "import sys; from pathlib import Path\n"
        "from generator.build import build\n"
        "from generator.pdf.render import PdfRenderer\n"
        "from generator.project import load_project\n"
        "archive = load_project(Path(sys.argv[1]) / 'site_config.yml').archive\n"
        "PdfRenderer(archive.publication).render(archive.issues[0])\n"
        "print(build(archive, Path(sys.argv[1]) / 'site').pdfs_rendered)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(project)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(list((project / "content").rglob("*.yml")))
    assert len(list((project / "site" / "pdf").glob("*.pdf"))) == int(result.stdout)


def test_a_rebuild_renders_only_what_changed_and_matches_a_full_build(tmp_path: Path) -> None:
    """Pages whose fingerprint is unchanged are carried over from the last build; the result is
    the same, byte for byte, as a full build of the same content into a new folder."""
    from generator.build import build

    project = make_project(tmp_path / "project")
    config = project / "site_config.yml"
    site = project / "site"
    first = build(load_archive(config), site, with_pdf=False)
    assert first.pages > 10 and first.pages_carried_over == 0

    unchanged = build(load_archive(config), site, with_pdf=False)
    assert unchanged.pages_carried_over == unchanged.pages

    issue = project / "content" / "2021" / "02.yml"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("明确调研重点", "明确调研重点、方法", 1), encoding="utf-8"
    )
    edited = build(load_archive(config), site, with_pdf=False)
    assert 0 < edited.pages - edited.pages_carried_over < edited.pages // 2
    full = build(load_archive(config), tmp_path / "full", with_pdf=False)
    assert full.pages_carried_over == 0
    assert tree_digest(site) == tree_digest(tmp_path / "full")
    assert "明确调研重点、方法" in (site / "2021" / "02" / "index.html").read_text(encoding="utf-8")

    build(load_archive(config), site, with_pdf=False)  # the memory was of tmp_path/full
    newer = project / "content" / "2021" / "03.yml"
    text = (
        issue.read_text(encoding="utf-8")
        .replace("2021-06-04", "2021-06-11")
        .replace("number: 2", "number: 3")
    )
    newer.write_text(text.replace("6月2日", "6月9日"), encoding="utf-8")
    grown = build(load_archive(config), site, with_pdf=False)
    assert 0 < grown.pages - grown.pages_carried_over < grown.pages
    assert (site / "2021" / "03" / "index.html").is_file()
    build(load_archive(config), tmp_path / "full", with_pdf=False)
    assert tree_digest(site) == tree_digest(tmp_path / "full")


def test_an_edited_theme_template_shows_on_the_next_build(tmp_path: Path) -> None:
    """Compiled templates are cached between builds (Jinja's bytecode cache) and pages are
    carried over by fingerprint: an edit of the project's own template must still show."""
    from generator.build import build
    from generator.site.mkdocs_config import DEFAULT_SITE_THEME

    project = make_project(tmp_path / "project")
    config = project / "site_config.yml"
    site = project / "site"
    own = own_issue_template(project)
    bundled = (DEFAULT_SITE_THEME / "jianbao" / "issue.html").read_text(encoding="utf-8")
    for marker in ("第一版模板标记", "第二版模板标记"):
        own.write_text(
            bundled.replace("{% block content %}", "{% block content %}" + marker, 1), encoding="utf-8"
        )
        build(load_archive(config), site, with_pdf=False)
        page = (site / "2021" / "02" / "index.html").read_text(encoding="utf-8")
        assert marker in page
    assert "第一版模板标记" not in page
    assert any((project / ".jianbao-cache" / "templates").iterdir())


def _png(red: int, green: int, blue: int) -> bytes:
    """A 2 × 2 PNG of one colour."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes([red, green, blue]) * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_only_the_pdfs_of_changed_issues_are_typeset_again(tmp_path: Path) -> None:
    """A PDF comes from the cache unless its issue, or an image it shows, changed."""
    import pypdf

    from generator.build import build

    project = make_project(tmp_path / "project")
    config = project / "site_config.yml"
    site = project / "site"
    (project / "content" / "media").mkdir()
    picture = project / "content" / "media" / "现场.png"
    picture.write_bytes(_png(200, 0, 0))
    first_issue = project / "content" / "2021" / "01.yml"
    first_issue.write_text(
        first_issue.read_text(encoding="utf-8").replace(
            "部署下一阶段工作。\n", "部署下一阶段工作。\n\n      ![检查现场](media/现场.png)\n", 1
        ),
        encoding="utf-8",
    )
    assert build(load_archive(config), site).pdfs_rendered == 2
    assert build(load_archive(config), site).pdfs_rendered == 0

    second_issue = project / "content" / "2021" / "02.yml"
    second_issue.write_text(
        second_issue.read_text(encoding="utf-8").replace("明确调研重点", "明确调研重点和方法", 1),
        encoding="utf-8",
    )
    assert build(load_archive(config), site).pdfs_rendered == 1
    text = "".join(page.extract_text() for page in pypdf.PdfReader(site / "pdf" / "2021-02.pdf").pages)
    assert "明确调研重点和方法" in "".join(text.split())

    picture.write_bytes(_png(0, 0, 200))  # the same name, another picture
    assert build(load_archive(config), site).pdfs_rendered == 1


def test_the_garbage_collector_runs_again_after_a_build(tmp_path: Path) -> None:
    """A build turns the collector off while it runs; `jianbao serve` builds again and again in
    one process, so it must be back on afterwards, also after a failed build."""
    import gc

    from generator.build import build

    project = make_project(tmp_path / "project")
    archive = load_archive(project / "site_config.yml")
    build(archive, project / "site", with_pdf=False)
    assert gc.isenabled()
    own_issue_template(project).write_text("{% if %}", encoding="utf-8")  # a template that cannot be compiled
    with pytest.raises(UserError):
        build(load_archive(project / "site_config.yml"), project / "site", with_pdf=False)
    assert gc.isenabled()


def test_a_site_without_pdfs_links_to_none_and_gets_the_links_with_them(project: Path) -> None:
    """`--no-pdf` writes no pdf/: no page and no feed entry may point there. The build with PDFs
    that follows renders the pages again, now with their links."""

    def pdf_links(site: Path) -> int:
        pages = [path.read_text(encoding="utf-8") for path in site.rglob("*.html")]
        return sum(page.count("pdf/2021-") for page in pages) + (site / "feed.xml").read_text(
            encoding="utf-8"
        ).count("application/pdf")

    assert run_cli(project, "build", "--no-pdf").exit_code == 0
    assert not (project / "site" / "pdf").exists()
    assert pdf_links(project / "site") == 0
    assert run_cli(project, "build").exit_code == 0
    assert len(list((project / "site" / "pdf").glob("*.pdf"))) == 2
    assert pdf_links(project / "site") >= 2 * 3  # per issue: its page, the home or year list, the feed
