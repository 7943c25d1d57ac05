import json

import pytest
from typer.testing import CliRunner

from vigil.cli import app


@pytest.mark.slow  # loads the default model's encoders and runs the whole functional suite
def test_evaluate_writes_a_card_and_metrics(tmp_path):
    data = tmp_path / "dev.jsonl"
    rows = [{"text": "Sieg heil, brothers! 14/88", "labels": ["neo_nazism"]},
            {"text": "The library opens a new reading room next month.", "labels": []},
            {"text": "Мы гордимся нашими соседями.", "labels": [], "language": "ru"}]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines.insert(1, '{"text": "no labels field"}')
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "--data", str(data), "--out", str(tmp_path / "eval")])
    assert result.exit_code == 0, result.output
    assert "line 2: skipped" in result.output
    metrics = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert metrics["figures"]["categories"]["neo_nazism"]["recall"] == 1.0
    assert metrics["figures"]["skipped_lines"] == [2] and metrics["figures"]["rows"] == 3
    assert metrics["figures"]["by_language"]["ru"]["rows"] == 1
    card = (tmp_path / "eval" / "MODEL_CARD.md").read_text()
    assert "Functional suite" in card and "Training data" in card
