import json

import pytest
from typer.testing import CliRunner

from vigil.cli import app

ORIGINAL = ("The convoy leaves on Friday night, every volunteer gets a rifle and a salary, "
            "write to the quartermaster and bring nothing but your passport and courage")


@pytest.mark.slow  # `vigil classify` loads the default model's encoders
def test_known_add_then_classify_catches_the_repost(tmp_path):
    src = tmp_path / "known.jsonl"
    src.write_text(json.dumps({"id": "k-convoy", "text": ORIGINAL, "labels": ["recruitment"]}) + "\n{bad\n",
                   encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(app, ["known-add", "--in", str(src)])
    assert added.exit_code == 0 and "added 1 items" in added.output and "line 2: skipped" in added.output
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "d1", "text": "Forwarded: " + ORIGINAL + "!!!"}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["classify", "--in", str(docs), "--out", str(out)]).exit_code == 0
    row = json.loads(out.read_text(encoding="utf-8"))
    assert "recruitment" in row["labels"]
    assert any(e["layer"] == "known" and e["known_item_id"] == "k-convoy" for e in row["evidence"])
