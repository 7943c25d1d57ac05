"""The written sets: rows written for training, read from classifiers/training/written/, train part only."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from classifiers.training.config import DEFAULT_CONFIG, load_config
from classifiers.training.data import MODEL_CATEGORIES, WRITTEN_DIR, Example, load_written
from classifiers.training.finetune_card import render_finetuned_card


def _write(folder, name, rows):
    (folder / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                          encoding="utf-8")


def test_written_rows_are_read_with_their_labels_language_and_group(tmp_path):
    _write(tmp_path, "a", [{"text": " They are vermin. ", "language": "en", "labels": ["xenophobia", "incitement"],
                            "group": "migrants", "form": "metaphor"},
                           {"text": "Мой сосед таджик помог с ремонтом.", "language": "ru", "labels": []}])
    rows = load_written(["a"], MODEL_CATEGORIES, tmp_path)
    assert [(r.text, r.language, r.labels, r.group, r.kind, r.source) for r in rows] == [
        ("They are vermin.", "en", ("incitement", "xenophobia"), "migrants", "written", "written"),
        ("Мой сосед таджик помог с ремонтом.", "ru", (), None, "written", "written")]
    assert rows[0].split_key != rows[1].split_key


@pytest.mark.parametrize(("row", "message"), [
    ({"text": "x", "language": "en", "labels": ["xenofobia"]}, r"a\.jsonl:2: labels \['xenofobia'\] are not"),
    ({"text": "  ", "language": "en", "labels": []}, r"a\.jsonl:2: no text"),
    ({"text": "x", "language": "de", "labels": []}, r"a\.jsonl:2: language must be"),
    ({"text": "x", "language": "en", "labels": "xenophobia"}, r"a\.jsonl:2: labels must be a list"),
])
def test_a_bad_row_is_refused_with_its_file_and_line(tmp_path, row, message):
    _write(tmp_path, "a", [{"text": "fine", "language": "en", "labels": []}, row])
    with pytest.raises(ValueError, match=message):
        load_written(["a"], MODEL_CATEGORIES, tmp_path)
    (tmp_path / "b.jsonl").write_text('{"text": "fine", "language": "en", "labels": []}\n{oops\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"b\.jsonl:2: not JSON"):
        load_written(["b"], MODEL_CATEGORIES, tmp_path)
    with pytest.raises(FileNotFoundError, match="written set 'missing'"):
        load_written(["missing"], MODEL_CATEGORIES, tmp_path)


def test_written_sets_join_the_training_rows_and_leave_every_other_made_row_as_it_was(tmp_path, monkeypatch):
    from classifiers.training import data
    from classifiers.training.finetune_run import augmented_rows

    _write(tmp_path, "w", [{"text": f"written sentence number {i} about the weather and the bus",
                            "language": "en", "labels": ["xenophobia"] if i % 2 else []} for i in range(40)])
    monkeypatch.setattr(data.load_written, "__defaults__", (tmp_path,))
    train = [Example(f"row {i} says the neighbours are vermin and must go.", "en",
                     ("xenophobia",) if i % 2 else (), "synthetic") for i in range(60)]
    config = load_config(DEFAULT_CONFIG, contrast_per_language=10, perturb_fraction=0.3)
    without = augmented_rows(config, train)
    with_written = augmented_rows(replace(config, written_sets=("w",)), train)
    assert with_written[:len(without)] == without
    added = with_written[len(without):]
    assert sum(r.kind == "written" for r in added) == 40
    perturbed = [r for r in added if r.kind == "perturbed"]
    assert perturbed and all(r.source == "written" for r in perturbed)


def test_the_committed_written_sets_parse_and_hold_both_sides_in_both_languages():
    names = sorted(p.stem for p in WRITTEN_DIR.glob("*.jsonl"))
    assert names, "no written set is committed"
    rows = load_written(names, MODEL_CATEGORIES)
    for language in ("en", "ru"):
        ours = [r for r in rows if r.language == language]
        assert sum(bool(r.labels) for r in ours) >= 50 and sum(not r.labels for r in ours) >= 50
    assert len({r.text for r in rows}) == len(rows), "a written row appears twice"


def test_the_card_names_the_written_sets_and_counts_their_rows():
    shipped = json.loads((DEFAULT_CONFIG.parents[1] / "models" / "default" / "metrics.json").read_text(encoding="utf-8"))
    metrics = {**shipped, "config": {**shipped["config"], "written_sets": ["ru_social", "calls"]},
               "examples_per_kind": {**shipped.get("examples_per_kind", {}), "written": 612}}
    card = render_finetuned_card(metrics)
    assert "written for this project's training" in card
    assert ": ru_social, calls (minilm); ru_social, calls (e5) |" in card
    assert "612 (train part only)" in card
    assert "written for this project's training" not in render_finetuned_card(shipped)


def test_the_card_names_a_routes_own_written_sets():
    shipped = json.loads((DEFAULT_CONFIG.parents[1] / "models" / "default" / "metrics.json").read_text(encoding="utf-8"))
    encoders = dict(shipped["config"]["encoders"])
    encoders["minilm"] = {**encoders["minilm"], "written_sets": ["calls"]}
    metrics = {**shipped, "config": {**shipped["config"], "encoders": encoders},
               "examples_per_kind": {**shipped.get("examples_per_kind", {}), "written": 170}}
    card = render_finetuned_card(metrics)
    assert ": calls (minilm) |" in card and "(e5)" not in card.split("170 (train part only)")[0].splitlines()[-1]
