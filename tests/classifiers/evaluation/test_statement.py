"""The CSTO statement's paragraphs ship with the package, so the check runs without ../shared."""

from importlib.resources import files

import pytest

from classifiers.evaluation.functional import statement_cases
from classifiers.evaluation.statement import (
    STATEMENT_FILE,
    statement,
    statement_paragraphs,
)
from tests.conftest import SHARED


def test_paragraphs_are_package_data_not_shared_data():
    assert STATEMENT_FILE.is_file() and SHARED not in STATEMENT_FILE.parents
    assert (files("classifiers.evaluation") / "statement_paragraphs.json").is_file()
    paragraphs = statement_paragraphs()
    assert len(paragraphs) == 14 and all(len(p) > 100 for p in paragraphs)
    assert "must not" in " ".join(paragraphs) and statement()["language"] == "en"
    assert [c.text for c in statement_cases()] == list(paragraphs)
    assert all(c.expected == () for c in statement_cases())


def test_paragraphs_match_the_shared_statement_when_it_is_there():
    source = SHARED / "statement.txt"
    if not source.is_file():
        pytest.skip(f"{source} is absent (the packaged copy is what users have)")
    lines = [line.strip() for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert statement()["title"] == lines[0]
    assert list(statement_paragraphs()) == lines[2:]
