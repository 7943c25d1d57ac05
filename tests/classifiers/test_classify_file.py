"""The ``vigil classify`` contract, through the real CLI and the shipped default model."""

import json

import pytest
from typer.testing import CliRunner

from vigil.cli import app
from vigil.schemas import CATEGORIES

LINES = [
    json.dumps({"id": "n1", "text": "Our new colleagues from Uzbekistan brought great food to the office.", "source": "x"}),
    "{not json",
    json.dumps({"id": "n2"}),
    json.dumps({"id": 3, "text": "Зиг хайль, братья! 14/88!", "meta": {"k": [1, 2]}}),
    "",
    json.dumps(["a", "list"]),
    json.dumps({"id": "n4", "text": "Pledge allegiance to the caliph and make hijrah, brothers, message me on telegram."}),
]


@pytest.mark.slow  # loads the default model's encoders
def test_classify_contract(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["classify", "--in", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "line 2: skipped" in result.output and "line 3: skipped" in result.output
    assert "line 6: skipped" in result.output and "docs/s" in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["n1", 3, "n4"]
    for row in rows:
        assert set(row["scores"]) == set(CATEGORIES) and all(0 <= v <= 1 for v in row["scores"].values())
        assert set(row["labels"]) <= set(CATEGORIES) and row["model_version"]
        for ev in row["evidence"]:
            assert {"category", "start", "end", "text", "layer"} <= set(ev) and ev["layer"] in {"model", "rules", "known"}
        assert "text" not in row
    assert rows[0]["source"] == "x" and rows[0]["labels"] == []
    assert rows[1]["meta"] == {"k": [1, 2]} and "neo_nazism" in rows[1]["labels"]
    assert "recruitment" in rows[2]["labels"]


def test_missing_input_fails_cleanly(tmp_path):
    result = CliRunner().invoke(app, ["classify", "--in", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "does not exist" in result.output
