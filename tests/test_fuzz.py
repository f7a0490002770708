"""Property: whatever bytes or YAML an office puts in an issue file, loading never raises."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.project import load_project
from tests.conftest import make_project

KEYS = [
    "number",
    "date",
    "status",
    "kind",
    "total",
    "items",
    "section",
    "title",
    "body",
    "region",
    "tags",
    "note",
    "topic",
    "copies",
    "distribution",
    "label",
    "to",
    "titel",
    "&a",
    "*a",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 60),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["national", "draft", "special", "2021-02-30", "广按市"]),
    st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2023, 12, 31)),
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=6)
    ),
    max_leaves=20,
)
yaml_fragments = st.lists(
    st.sampled_from(
        [
            "number: 3",
            "date: 2021-06-11",
            "items:",
            "  - section: national",
            "    title: 标题",
            "    body: |",
            "      正文",
            "\t",
            "  ",
            ": ",
            "- ",
            "&a",
            "*a",
            "<<: *a",
            "'",
            '"',
            "{",
            "[",
            "#",
            "\ufeff",
            "?",
            "!!python/object:os.system",
            "%YAML 1.1",
            "---",
            "...",
        ]
    ),
    max_size=12,
).map("\n".join)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(document=values)
def test_structured_yaml_never_raises(tmp_path_factory, document: object) -> None:
    project = make_project(tmp_path_factory.mktemp("fuzz"))
    (project / "content/2021/03.yml").write_text(
        yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
    )
    result = load_project(project / "site_config.yml")
    assert result.archive is not None or result.problems.errors


@FUZZ
@given(text=yaml_fragments | st.text(max_size=200), raw=st.binary(max_size=64))
def test_arbitrary_text_and_bytes_never_raise(tmp_path_factory, text: str, raw: bytes) -> None:
    project = make_project(tmp_path_factory.mktemp("fuzz"))
    (project / "content/2021/03.yml").write_text(text, encoding="utf-8", errors="surrogatepass")
    (project / "content/2021/04.yml").write_bytes(raw)
    result = load_project(project / "site_config.yml")
    assert result.problems.errors or result.archive is not None
