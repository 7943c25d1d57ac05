"""The interface's languages: Babel catalogues under ``translations/``, chosen per request.

A signed-in user's own choice (stored with the account) wins; otherwise the browser's
``Accept-Language``; otherwise English. Strings in templates go through Jinja2's i18n extension
(``{{ _("...") }}``, ``{% trans %}``); strings in Python are marked with :func:`N_` and translated
where they are shown. README's "Dashboards" section has the pybabel commands that update the
catalogues.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский"}  # code: the language's own name
DEFAULT = "en"


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the catalogues; it is translated later, where shown."""
    return message


def negotiate(accept_language: str | None) -> str:
    """The first of :data:`LANGUAGES` the ``Accept-Language`` header asks for, by quality; else English."""
    wanted: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        wanted.append((-quality, position, tag.split("-")[0].strip().lower()))
    return next((lang for q, _, lang in sorted(wanted) if q < 0 and lang in LANGUAGES), DEFAULT)


def choose(user_locale: str | None, accept_language: str | None) -> str:
    """The language of one response: the user's stored choice if it is one we have, else negotiated."""
    return user_locale if user_locale in LANGUAGES else negotiate(accept_language)


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue of ``locale`` (English, the source language, needs none)."""
    return Translations.load(TRANSLATIONS, [locale], domain="messages")
