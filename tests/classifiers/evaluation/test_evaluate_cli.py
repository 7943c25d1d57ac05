"""``vigil evaluate``: real held-back text per language, the functional suite and the statement.

The fast tests run the command with the rules-only labeller (no model); one slow test runs the
shipped default model without the shared data.
"""

import json

import pytest
from typer.testing import CliRunner

from classifiers.evaluation.evaluate import heldout_real_rows, is_real
from vigil.cli import app


@pytest.fixture
def rules_only(monkeypatch):
    from classifiers import labeller as labeller_module
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    def build(settings, model=None):
        return labeller_module.Labeller(None, load_lexicon(), None, load_taxonomy())

    monkeypatch.setattr(labeller_module, "build_labeller", build)


def _data(tmp_path):
    rows = [{"text": "Sieg heil, brothers! 14/88", "labels": ["neo_nazism"], "language": "en", "source": "forum"},
            {"text": "The library opens a new reading room next month.", "labels": [], "language": "en",
             "source": "forum"},
            {"text": "Мы гордимся нашими соседями.", "labels": [], "language": "ru"},
            {"text": "Зиг хайль, 1488!", "labels": ["neo_nazism"], "language": "ru"}]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines.insert(1, '{"text": "no labels field"}')
    path = tmp_path / "dev.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_evaluate_a_labelled_file_as_json_and_write_a_card(rules_only, tmp_path):
    result = CliRunner().invoke(app, ["evaluate", "--data", str(_data(tmp_path)), "--json",
                                      "--out", str(tmp_path / "eval")])
    assert result.exit_code == 0, result.output
    assert "line 2: skipped" in result.stderr
    metrics = json.loads(result.stdout)
    figures = metrics["figures"]
    assert figures["rows"] == 4 and figures["skipped_lines"] == [2]
    assert figures["categories"]["neo_nazism"]["recall"] == 1.0
    assert set(figures["by_language"]) == {"en", "ru"} and figures["by_language"]["ru"]["rows"] == 2
    binary = figures["by_language"]["ru"]["binary_at_fpr"]
    assert binary["max_fpr"] == 0.05 and binary["f1"] == 1.0 and binary["fpr"] == 0.0
    labels = figures["binary_labels"]  # any label against any gold label, as `vigil classify` flags
    assert labels == {"positives": 2, "negatives": 2, "precision": 1.0, "recall": 1.0, "f1": 1.0, "fpr": 0.0}
    assert figures["by_language"]["en"]["binary_labels"]["positives"] == 1
    assert set(figures["by_source"]) == {"forum"} and figures["by_source"]["forum"]["rows"] == 2
    spread = figures["intervals"]  # a bootstrap over four rows: wide, and no category has support 5
    assert spread["macro_f1"] is None and 0 <= spread["binary_f1"][0] <= spread["binary_f1"][1] == 1.0
    suite = metrics["suite"]
    assert set(suite["by_language"]) == {"en", "ru"} and suite["statement"]["paragraphs"] == 14
    assert "functional_accuracy/ru" in suite["summary"]
    assert json.loads((tmp_path / "eval" / "metrics.json").read_text())["figures"]["rows"] == 4
    card = (tmp_path / "eval" / "MODEL_CARD.md").read_text()
    assert "Functional suite" in card and "binary F1 @FPR<=5%" in card and "CSTO statement" in card
    assert "95% interval" in card and f"{spread['binary_f1'][0]:.3f} to 1.000" in card
    assert "| forum | 2 | 1 |" in card  # per data set


def test_against_compares_two_models_on_the_same_rows(monkeypatch, tmp_path):
    """``--against``: the rules (this) against no rules at all (that) on the same rows, with paired intervals."""
    from classifiers import labeller as labeller_module
    from classifiers.rules.matcher import Lexicon, load_lexicon
    from classifiers.taxonomy import load_taxonomy

    def build(settings, model=None):
        lexicon = Lexicon({"version": 0, "entries": []}) if model == "no-rules" else load_lexicon()
        return labeller_module.Labeller(None, lexicon, None, load_taxonomy())

    monkeypatch.setattr(labeller_module, "build_labeller", build)
    rows = [{"text": "Sieg heil, brothers! 14/88", "labels": ["neo_nazism"], "language": "en"},
            {"text": "Heil Hitler! 1488 forever.", "labels": ["neo_nazism"], "language": "en"},
            {"text": "The library opens a new reading room next month.", "labels": [], "language": "en"},
            {"text": "Our choir sings on Sunday.", "labels": [], "language": "en"}] * 3
    data = tmp_path / "dev.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "--data", str(data), "--against", "no-rules", "--json",
                                      "--out", str(tmp_path / "eval")])
    assert result.exit_code == 0, result.output
    compared = json.loads(result.stdout)["against"]
    en = compared["by_language"]["en"]
    assert compared["all"]["rows"] == en["rows"] == 12
    assert en["this"]["binary_f1"] == 1.0 and en["other"]["binary_f1"] == 0.0
    assert en["this"]["macro_f1"] == 1.0 and en["other"]["macro_f1"] == 0.0  # neo_nazism has support 6
    assert en["paired"]["binary_f1"]["difference"] == 1.0 and en["paired"]["macro_f1"]["difference"] == 1.0
    assert en["paired"]["binary_f1"]["share_ahead"] == 1.0 and en["paired"]["binary_f1"]["interval"] == [1.0, 1.0]
    card = (tmp_path / "eval" / "MODEL_CARD.md").read_text()
    assert "## Against another model" in card and "| en | binary F1 @FPR<=5% | 0.000 | 1.000 | 1.000 |" in card
    terminal = CliRunner().invoke(app, ["evaluate", "--data", str(data), "--against", "no-rules"])
    assert "on the same 12 rows" in terminal.stdout and "100%" in terminal.stdout


def test_without_the_shared_data_the_suite_and_statement_still_run(rules_only, tmp_path):
    missing = tmp_path / "no-shared" / "data"
    result = CliRunner().invoke(app, ["evaluate", "--shared-data", str(missing)])
    assert result.exit_code == 0, result.output
    assert "Real-text figures need the labelled data" in result.stdout
    assert "functional accuracy" in result.stdout and "statement paragraphs flagged" in result.stdout
    as_json = CliRunner().invoke(app, ["evaluate", "--shared-data", str(missing), "--json"])
    metrics = json.loads(as_json.stdout)
    assert metrics["figures"] is None and str(missing) in metrics["note"]
    assert metrics["suite"]["statement"]["paragraphs"] == 14


def test_only_real_rows_count_as_real_text(monkeypatch, tmp_path):
    rows = [{"text": "a", "labels": [], "language": "en", "source": "stormfront", "kind": "real"},
            {"text": "b", "labels": [], "language": "en", "source": "synthetic", "kind": "real"},
            {"text": "c", "labels": [], "language": "en", "source": "contrast", "kind": "contrast"},
            {"text": "d", "labels": [], "language": "en", "source": "mlma", "kind": "perturbed"},
            {"text": "e", "labels": [], "language": "ru", "source": "ru-ethnohate", "kind": "real"}]
    assert [r["text"] for r in rows if is_real(r)] == ["a", "e"]
    from classifiers.training import run

    monkeypatch.setattr(run, "heldout_rows", lambda config, extra=None: rows)
    real, folder = heldout_real_rows(data_dir=tmp_path)
    assert folder == tmp_path and [r["text"] for r in real] == ["a", "e"]
    assert heldout_real_rows(data_dir=tmp_path / "absent")[0] == []


@pytest.mark.slow  # loads the default model's encoders and runs the whole functional suite
def test_evaluate_json_on_the_default_model_without_shared_data(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", "--json", "--shared-data", str(tmp_path / "absent")])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["figures"] is None and metrics["model_version"].startswith("vigil-")
    assert metrics["suite"]["statement"]["paragraphs"] == 14
    for lang in ("en", "ru"):
        assert metrics["suite"]["summary"][f"functional_accuracy/{lang}"] is not None
