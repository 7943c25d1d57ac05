"""What a lexicon change does to the rules' labels of real texts (classifiers/evaluation/rule_diff.py)."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from classifiers.evaluation.rule_diff import label_changes, main, real_rows, rule_labels
from classifiers.rules.matcher import LEXICON_FILE, Lexicon, load_lexicon
from classifiers.training.data import Example


def _without_frame(frame: str) -> Lexicon:
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    data["derogation"]["frames"] = [f for f in data["derogation"]["frames"] if f["id"] != frame]
    return Lexicon(data)


def _row(text: str, hostile: bool) -> Example:
    return Example(text, "ru", ("xenophobia",) if hostile else (), "test")


def test_changes_are_split_by_direction_and_gold_label():
    old, new = _without_frame("not-human"), load_lexicon()
    rows = [_row("Таджики — это не люди, это скот.", True),  # the frame's: labelled by new only
            _row("Укропы — не народ, а плесень.", False),  # the same, on a row labelled neutral
            _row("Мигранты — не люди второго сорта.", False),  # neither labels it
            _row("Мигранты — паразиты.", True)]  # both label it (is-attribute)
    changes = label_changes(old, new, rows)
    assert [r.text for r in changes["added_hostile"]] == [rows[0].text]
    assert [r.text for r in changes["added_neutral"]] == [rows[1].text]
    assert not changes["removed_hostile"] and not changes["removed_neutral"]
    assert [r.text for r in label_changes(new, old, rows)["removed_hostile"]] == [rows[0].text]
    assert rule_labels(new, rows[3].text) == {"xenophobia"}


def test_the_command_refuses_a_folder_without_data_sets(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--old", str(LEXICON_FILE), "--data", str(tmp_path)])
    assert "no data set found" in capsys.readouterr().err


def test_real_rows_leave_out_the_sets_named(tmp_path):
    (tmp_path / "latent-hatred").mkdir()
    pd.DataFrame([("en", "placeholder stereotype of migrants", "implicit_hate", "stereotypical", "", "other",
                   "stereotypical"),
                  ("en", "placeholder ordinary post", "not_hate", "", "", "none", "extremist_account_non_hate")],
                 columns=["lang", "post", "class", "implicit_class", "extra_implicit_class", "project_label",
                          "project_sublabel"]).to_csv(tmp_path / "latent-hatred" / "labels.csv", index=False)
    assert {(r.source, r.labels) for r in real_rows(tmp_path)} == {
        ("latent-hatred", ()), ("latent-hatred-groups", ("xenophobia",))}
    assert [r.source for r in real_rows(tmp_path, exclude=("latent-hatred-groups",))] == ["latent-hatred"]


def test_a_row_is_read_in_its_language():
    # lexicon v21: the Italian file's forms are read in Italian rows only
    italian = Example("Gli zingari sono tutti ladri.", "it", ("racism",), "test")
    assert rule_labels(load_lexicon(), italian.text, "it") == {"racism"}
    assert not rule_labels(load_lexicon(), italian.text, "en")
    assert label_changes(load_lexicon(LEXICON_FILE, languages=None), load_lexicon(), [italian])["added_hostile"]


def test_a_revision_s_lexicon_is_read_with_its_language_files():
    import subprocess

    from classifiers.evaluation.rule_diff import lexicon_at

    try:
        subprocess.run(["git", "cat-file", "-e", "HEAD:classifiers/rules/languages/it.yaml"], check=True,
                       capture_output=True, cwd=LEXICON_FILE.parent)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout with lexicon v21 committed")
    at_head = lexicon_at("HEAD")
    assert at_head.version >= 21
    assert {lang for e in at_head.entries for lang in e.languages or ()} >= {"it", "pt", "nl", "pl"}
