"""总第N期 across years, and the numbers `jianbao new` picks."""

from __future__ import annotations

from pathlib import Path

from generator.project import load_project
from tests.conftest import make_project, run_cli


def write_issue(project: Path, relative: str, number: int, date: str, extra: str = "") -> None:
    path = project / "content" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"number: {number}\ndate: {date}\n{extra}items:\n"
        "  - section: national\n    title: 标题\n    body: 正文。\n",
        encoding="utf-8",
    )


def test_totals_run_across_years_and_skip_supplements(project: Path) -> None:
    write_issue(project, "2021/supplement-01.yml", 1, "2021-06-08")
    write_issue(project, "2022/01.yml", 1, "2022-01-07", "kind: special\ntopic: 总结专刊\n")
    result = load_project(project / "site_config.yml")
    assert result.archive is not None, result.problems.items
    totals = {issue.label: issue.total for issue in result.archive.issues}
    assert totals == {"2021年第1期": 1, "2021年第2期": 2, "2021年增刊第1期": None, "2022年第1期": 3}


def test_explicit_total_sets_the_count_from_there(project: Path) -> None:
    (project / "content/2021/01.yml").write_text(
        (project / "content/2021/01.yml")
        .read_text(encoding="utf-8")
        .replace("number: 1\n", "number: 1\ntotal: 118\n"),
        encoding="utf-8",
    )
    result = load_project(project / "site_config.yml")
    assert result.archive is not None
    assert [issue.total for issue in result.archive.issues] == [118, 119]
    assert result.archive.issues[0].total_label == "（总第118期）"


def test_new_picks_the_next_number_and_restarts_each_january(project: Path) -> None:
    first = run_cli(project, "new", "--date", "2021-06-11")
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "content/2021/03.yml"
    january = run_cli(project, "new", "--date", "2022-01-07")
    assert january.output.strip() == "content/2022/01.yml"
    supplement = run_cli(project, "new", "--date", "2021-06-15", "--kind", "supplement")
    assert supplement.output.strip() == "content/2021/supplement-01.yml"
    special = run_cli(project, "new", "--date", "2021-06-18", "--kind", "special")
    assert special.output.strip() == "content/2021/04.yml"


def test_new_never_overwrites_and_scaffolds_every_section(project: Path) -> None:
    before = (project / "content/2021/02.yml").read_bytes()
    for _ in range(2):
        assert run_cli(project, "new", "--date", "2021-06-11").exit_code == 0
    assert (project / "content/2021/02.yml").read_bytes() == before
    assert sorted(p.name for p in (project / "content/2021").iterdir()) == [
        "01.yml",
        "02.yml",
        "03.yml",
        "04.yml",
    ]
    scaffold = (project / "content/2021/03.yml").read_text(encoding="utf-8")
    assert "status: draft" in scaffold
    for section in ("national", "provincial", "municipal"):
        assert f"section: {section}" in scaffold
    check = run_cli(project, "check")
    assert check.exit_code == 0, check.output
    assert "仍是模板占位文字" in check.output
    assert "检查通过" in check.output


def test_new_special_and_supplement_scaffolds_are_valid(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    run_cli(project, "new", "--date", "2021-06-18", "--kind", "special")
    run_cli(project, "new", "--date", "2021-06-15", "--kind", "supplement")
    result = load_project(project / "site_config.yml")
    assert result.archive is not None, [p.format() for p in result.problems.errors]
    kinds = {issue.label: issue.kind.value for issue in result.archive.issues}
    assert kinds["2021年第3期"] == "special"
    assert kinds["2021年增刊第1期"] == "supplement"
    supplement = (project / "content/2021/supplement-01.yml").read_text(encoding="utf-8")
    assert "total" not in supplement, "a 增刊 is outside the 总第N期 count"
    assert "# total:" in (project / "content/2021/03.yml").read_text(encoding="utf-8")
