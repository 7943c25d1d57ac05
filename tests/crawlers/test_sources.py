from pathlib import Path

import pytest

from crawlers.demo_site.serve import write_sources
from crawlers.sources import SourcesError, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_registry_loads_every_kind(tmp_path):
    sources = load_sources(write_sources("http://127.0.0.1:1", tmp_path / "s.yaml"))
    assert {s.kind for s in sources} == {"rss", "sitemap", "site", "forum", "telegram"}
    forum = next(s for s in sources if s.id == "demo-discourse")
    assert forum.options().engine == "discourse"
    assert forum.domains == ["127.0.0.1"]


def test_minimal_source_gets_defaults(tmp_path):
    [source] = load_sources(write(tmp_path, "sources:\n  - {id: a-news, kind: site, url: 'https://example.org/'}\n"))
    assert source.options().max_pages == 500
    assert source.ignore_robots is None


def test_errors_name_file_source_and_field(tmp_path):
    path = write(tmp_path, """sources:
  - {id: Bad_Id, kind: rss, url: 'https://example.org/feed'}
  - {id: no-url, kind: rss}
  - {id: ftp-one, kind: site, url: 'ftp://example.org/'}
  - {id: wrong-block, kind: rss, url: 'https://example.org/', forum: {engine: phpbb}}
  - {id: custom-forum, kind: forum, url: 'https://example.org/t', forum: {engine: custom}}
  - {id: short-reason, kind: rss, url: 'https://example.org/', ignore_robots: 'no'}
""")
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    problems = "\n".join(caught.value.problems)
    assert f"{path}: source 'Bad_Id': id:" in problems
    assert "source 'no-url'" in problems and "give 'url' or 'urls'" in problems
    assert "source 'ftp-one': url:" in problems and "not an http(s) URL" in problems
    assert "options block 'forum' does not apply" in problems
    assert "engine 'custom' needs a 'selectors' block" in problems
    assert "source 'short-reason': ignore_robots:" in problems


def test_duplicate_ids_and_unknown_selection(tmp_path):
    path = write(tmp_path, "sources:\n  - {id: a, kind: rss, url: 'https://e.org/f'}\n"
                           "  - {id: a, kind: rss, url: 'https://e.org/g'}\n")
    with pytest.raises(SourcesError, match="duplicate id"):
        load_sources(path)
    path = write(tmp_path, "sources:\n  - {id: a, kind: rss, url: 'https://e.org/f'}\n")
    with pytest.raises(SourcesError, match="'zzz': not in the registry"):
        load_sources(path, only=["zzz"])


def test_folder_of_files_and_disabled_sources(tmp_path):
    (tmp_path / "one.yaml").write_text("sources:\n  - {id: a, kind: rss, url: 'https://e.org/f'}\n")
    (tmp_path / "two.yml").write_text("sources:\n  - {id: b, kind: rss, url: 'https://e.org/g', enabled: false}\n")
    assert [s.id for s in load_sources(tmp_path)] == ["a"]
    assert [s.id for s in load_sources(tmp_path, include_disabled=True)] == ["a", "b"]


def test_not_yaml_or_wrong_shape(tmp_path):
    with pytest.raises(SourcesError, match="not valid YAML"):
        load_sources(write(tmp_path, "sources: [\n"))
    with pytest.raises(SourcesError, match="top-level 'sources:' list"):
        load_sources(write(tmp_path, "- id: a\n"))


def test_discourse_sources_need_topic_urls(tmp_path):
    path = write(tmp_path, "sources:\n  - {id: d, kind: forum, url: 'https://f.org/latest', forum: {engine: discourse}}\n")
    with pytest.raises(SourcesError, match="not a Discourse topic URL"):
        load_sources(path)
