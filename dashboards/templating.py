"""Jinja2 environments, one per language, with autoescape on everywhere.

Each environment has the i18n extension with that language's catalogue installed, and filters that
format per locale with Babel: ``number`` (format_decimal), ``datetime`` and ``date``
(format_datetime / format_date, in UTC). Templates live in ``templates/pages/`` (whole pages, each
extending ``base.html``) and ``templates/components/`` (pieces included by pages and returned alone
to htmx requests). Templates only display: view models are computed in Python (``dashboards.views``).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

from babel.dates import UTC, format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from dashboards.i18n import translations

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment(locale: str) -> Environment:
    """The template environment of ``locale`` (built once per language)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters["number"] = partial(_number, locale=locale)
    env.filters["datetime"] = partial(_datetime, locale=locale)
    env.filters["date"] = partial(_date, locale=locale)
    return env


def render(name: str, locale: str, context: dict[str, Any]) -> str:
    return environment(locale).get_template(name).render(context)


def _number(value: float | int, locale: str) -> str:
    return format_decimal(value, locale=locale)


def _datetime(value: datetime | None, locale: str) -> str:
    return "" if value is None else format_datetime(value, "medium", tzinfo=UTC, locale=locale) + " UTC"


def _date(value: date | datetime | None, locale: str) -> str:
    return "" if value is None else format_date(value, "medium", locale=locale)
