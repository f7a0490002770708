"""Published issues are locked: silent changes fail check and build; --amend records why."""

from __future__ import annotations

from pathlib import Path

from generator.project import load_project
from tests.conftest import run_cli


def publish_then_edit(project: Path, monkeypatch) -> None:
    """Publish 2021年第1期 on 2021-06-25, then change a date in its second item."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1624579200")  # 2021-06-25
    assert run_cli(project, "publish", "2021-1").exit_code == 0
    issue_file = project / "content/2021/01.yml"
    issue_file.write_text(
        issue_file.read_text(encoding="utf-8").replace("5月27日", "5月28日"), encoding="utf-8"
    )


def test_publish_sets_status_and_records_a_fingerprint(project: Path) -> None:
    issue_file = project / "content/2021/02.yml"
    result = run_cli(project, "publish", "2021-2")
    assert result.exit_code == 0, result.output
    assert "2021年第2期已发布" in result.output
    assert "status: published" in issue_file.read_text(encoding="utf-8")
    lock = (project / "content/published.lock").read_text(encoding="utf-8").splitlines()
    assert lock[0].startswith("#")
    assert lock[1].startswith("2021/02\tpublished=")
    again = run_cli(project, "publish", "2021-2")
    assert again.exit_code == 0 and "内容没有变化" in again.output


def test_a_changed_published_issue_fails_check_naming_the_item(project: Path) -> None:
    assert run_cli(project, "publish", "2021-1").exit_code == 0
    issue_file = project / "content/2021/01.yml"
    text = issue_file.read_text(encoding="utf-8")
    issue_file.write_text(
        text.replace("5月27日，广安市", "5月28日，广安市") + "# 注释不算改动\n", encoding="utf-8"
    )
    check = run_cli(project, "check")
    assert check.exit_code == 1
    assert "content/2021/01.yml:1: 错误：2021年第1期已于" in check.output
    assert "第2条信息“广安市交通运输局开展超限检测站调研”" in check.output
    assert "--amend" in check.output
    assert run_cli(project, "pdf", "2021-1").exit_code == 1


def test_formatting_changes_do_not_count(project: Path) -> None:
    assert run_cli(project, "publish", "2021-1").exit_code == 0
    issue_file = project / "content/2021/01.yml"
    issue_file.write_text("# 2021年第1期\n" + issue_file.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli(project, "check", "--strict").exit_code == 0


def test_amend_keeps_reason_and_date(project: Path, monkeypatch) -> None:
    publish_then_edit(project, monkeypatch)
    refused = run_cli(project, "publish", "2021-1")
    assert refused.exit_code == 1 and "--amend" in refused.output
    amended = run_cli(project, "publish", "2021-1", "--amend", "更正调研日期")
    assert amended.exit_code == 0, amended.output
    lock = (project / "content/published.lock").read_text(encoding="utf-8")
    assert "amended=2021-06-25\treason=更正调研日期" in lock
    assert run_cli(project, "check").exit_code == 0
    archive = load_project(project / "site_config.yml").archive
    assert archive is not None
    issue = archive.find(2021, 1)
    assert issue is not None and issue.correction is not None
    assert issue.correction.reason == "更正调研日期"


def test_amend_on_an_unpublished_issue_is_refused(project: Path) -> None:
    result = run_cli(project, "publish", "2021-2", "--amend", "无")
    assert result.exit_code == 1
    assert "尚未发布" in result.output


def test_the_issue_page_shows_the_correction(project: Path, monkeypatch) -> None:
    publish_then_edit(project, monkeypatch)
    assert run_cli(project, "publish", "2021-1", "--amend", "更正调研日期<script>").exit_code == 0
    assert run_cli(project, "build", "--no-pdf").exit_code == 0
    page = (project / "site/2021/01/index.html").read_text(encoding="utf-8")
    assert "更正说明" in page and "2021年6月25日" in page
    assert "更正调研日期&lt;script&gt;" in page
    other = (project / "site/2021/02/index.html").read_text(encoding="utf-8")
    assert "更正说明" not in other


def test_publish_keeps_the_comment_on_the_status_line(project: Path) -> None:
    issue_file = project / "content/2021/02.yml"
    text = issue_file.read_text(encoding="utf-8")
    issue_file.write_text(
        text.replace("date: 2021-06-04\n", "date: 2021-06-04\nstatus: draft   # 定稿后发布\n", 1)
    )
    assert run_cli(project, "publish", "2021-2").exit_code == 0
    assert "status: published   # 定稿后发布\n" in issue_file.read_text(encoding="utf-8")


def test_publish_edits_an_issue_written_in_flow_style(project: Path) -> None:
    """`{number: 2, date: …, status: draft, items: […]}`: the issue must really be published."""
    issue_file = project / "content/2021/02.yml"
    for status in (", status: draft", ""):
        issue_file.write_text(
            f"{{number: 2, date: 2021-06-04{status}, items: [{{section: provincial, title: 省厅印发方案,"
            " body: 省厅印发大调研工作方案。}]}\n",
            encoding="utf-8",
        )
        (project / "content/published.lock").unlink(missing_ok=True)
        result = run_cli(project, "publish", "2021-2")
        assert result.exit_code == 0, result.output
        archive = load_project(project / "site_config.yml").archive
        assert archive is not None
        issue = archive.find(2021, 2)
        assert issue is not None and issue.status.value == "published", issue_file.read_text(encoding="utf-8")


def test_deleting_an_earlier_issue_names_the_moved_total_and_the_fix(project: Path) -> None:
    """总第N期 is counted over the archive: deleting (or back-filling) an earlier issue moves the
    count of a published one that nobody touched. The message says so and how to keep it."""
    assert run_cli(project, "publish", "2021-2").exit_code == 0
    (project / "content/2021/01.yml").unlink()
    check = run_cli(project, "check")
    assert check.exit_code == 1
    assert "content/2021/02.yml:1: 错误：2021年第2期已于" in check.output
    assert "当时是总第2期，现在算出总第1期" in check.output and "total: 2" in check.output
    issue_file = project / "content/2021/02.yml"
    issue_file.write_text(
        issue_file.read_text(encoding="utf-8").replace("number: 2\n", "number: 2\ntotal: 2\n"),
        encoding="utf-8",
    )
    assert run_cli(project, "check").exit_code == 0


def test_an_issue_with_template_placeholders_is_not_published(project: Path) -> None:
    assert run_cli(project, "new", "--date", "2021-06-18").exit_code == 0
    issue_file = project / "content/2021/03.yml"
    result = run_cli(project, "publish", "2021-3")
    assert result.exit_code == 1
    assert "2021年第3期还有" in result.output and "处模板占位文字“【待填写】”（03.yml 第 " in result.output
    assert "status: draft" in issue_file.read_text(encoding="utf-8")
    assert not (project / "content/published.lock").exists()


def test_an_empty_amend_reason_is_named(project: Path, monkeypatch) -> None:
    publish_then_edit(project, monkeypatch)
    result = run_cli(project, "publish", "2021-1", "--amend", "  ")
    assert result.exit_code == 1
    assert "--amend 后面的更正原因是空的" in result.output


def test_a_published_issue_cannot_silently_go_back_to_draft_or_vanish(project: Path) -> None:
    assert run_cli(project, "publish", "2021-1").exit_code == 0
    issue_file = project / "content/2021/01.yml"
    text = issue_file.read_text(encoding="utf-8")
    issue_file.write_text(text.replace("status: published", "status: draft"), encoding="utf-8")
    result = run_cli(project, "check")
    assert result.exit_code == 1
    assert "content/2021/01.yml:3: 错误：2021年第1期已于" in result.output
    assert "不能改回草稿" in result.output
    issue_file.unlink()
    result = run_cli(project, "check")
    assert result.exit_code == 1
    assert "content/published.lock:2: 错误：已发布的 2021/01.yml 找不到了" in result.output


def test_an_issue_published_by_hand_is_told_to_run_publish(project: Path) -> None:
    assert run_cli(project, "publish", "2021-1").exit_code == 0
    result = run_cli(project, "check")
    assert result.exit_code == 0 and "警告" not in result.output.replace("0 个警告", "")
    issue_file = project / "content/2021/02.yml"
    issue_file.write_text(
        issue_file.read_text(encoding="utf-8").replace(
            "date: 2021-06-04\n", "date: 2021-06-04\nstatus: published\n"
        ),
        encoding="utf-8",
    )
    result = run_cli(project, "check")
    assert (
        "content/2021/02.yml:3: 警告：2021年第2期已标为发布，但 published.lock 中没有它的内容指纹"
        in result.output
    )
    assert "请运行 jianbao publish 2021-2" in result.output


def test_a_broken_later_draft_does_not_stop_printing_or_publishing(project: Path, tmp_path: Path) -> None:
    (project / "content/2021/03.yml").write_text(
        "number: 3\ndate: 2021-06-11\nstatus: draft\nitems:\n  - section： municipal\n", encoding="utf-8"
    )
    printed = run_cli(project, "pdf", "2021-2", "-o", str(tmp_path / "02.pdf"))
    assert printed.exit_code == 0, printed.output
    assert "其他期次有 1 个错误（运行 jianbao check 查看），不影响2021年第2期。" in printed.output
    assert (tmp_path / "02.pdf").read_bytes().startswith(b"%PDF")
    assert run_cli(project, "publish", "2021-2").exit_code == 0
    assert run_cli(project, "check").exit_code == 1  # the draft's error is still an error


def test_a_broken_earlier_issue_stops_it_and_is_the_only_error_named(project: Path, tmp_path: Path) -> None:
    assert run_cli(project, "publish", "2021-2").exit_code == 0
    (project / "content/2021/01.yml").write_text("number: 1\ndate: 2021-05-28\nitems: [\n", encoding="utf-8")
    result = run_cli(project, "pdf", "2021-2", "-o", str(tmp_path / "02.pdf"))
    assert result.exit_code == 1
    assert "content/2021/01.yml:3: 错误" in result.output
    assert "总第" not in result.output  # 2021年第2期's total is unknown, not moved
    assert "发现 1 个错误" in result.output
    assert not (tmp_path / "02.pdf").exists()


def test_every_correction_is_kept_and_shown(project: Path, monkeypatch) -> None:
    publish_then_edit(project, monkeypatch)
    assert run_cli(project, "publish", "2021-1", "--amend", "更正调研日期").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1625184000")  # 2021-07-02
    issue_file = project / "content/2021/01.yml"
    issue_file.write_text(
        issue_file.read_text(encoding="utf-8").replace("5月28日", "5月29日"), encoding="utf-8"
    )
    assert run_cli(project, "publish", "2021-1", "--amend", "再次更正日期").exit_code == 0
    lock = (project / "content/published.lock").read_text(encoding="utf-8")
    assert "amended=2021-06-25\treason=更正调研日期\tamended=2021-07-02\treason=再次更正日期" in lock
    assert run_cli(project, "check").exit_code == 0
    assert run_cli(project, "build", "--no-pdf").exit_code == 0
    page = (project / "site/2021/01/index.html").read_text(encoding="utf-8")
    first, second = page.index("更正原因：更正调研日期"), page.index("更正原因：再次更正日期")
    assert first < second and "更正说明（1）" in page and "更正说明（2）" in page
