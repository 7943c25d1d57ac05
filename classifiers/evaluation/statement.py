"""The CSTO statement's own paragraphs, shipped with the package: none of them may be flagged.

The statement names terrorism, neo-Nazism, xenophobia and racism in every paragraph, in order to
condemn them; a classifier that flags it mistakes talking about extremism for extremism. The
paragraphs come from ``statement_paragraphs.json`` beside this module (a public diplomatic
statement), so the check needs no shared data.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

STATEMENT_FILE = Path(__file__).with_name("statement_paragraphs.json")


@cache
def statement() -> dict:
    """The statement: ``title``, ``date_place``, ``language`` and ``paragraphs``."""
    return json.loads(STATEMENT_FILE.read_text(encoding="utf-8"))


def statement_paragraphs() -> tuple[str, ...]:
    return tuple(statement()["paragraphs"])
