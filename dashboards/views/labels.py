"""Names the analysts' pages show, in the page's language: categories, languages, granularities.

The analysts' view models carry translated text (their charts are drawn in the browser from JSON, where
no template can translate), so each view function takes a :class:`Labels` for the request's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from babel import Locale

from dashboards.filters import ANY
from dashboards.i18n import N_, translations
from dashboards.views.review_labels import category_label

ALL_CATEGORIES = N_("All categories")
ANY_CATEGORY = N_("Flagged in any category")
UNKNOWN_LANGUAGE = N_("Unknown language")
OTHER_SOURCES = N_("Other sources")
GRANULARITY_LABELS = {"hour": N_("Hour"), "day": N_("Day"), "week": N_("Week")}
MEASURE_LABELS = {"count": N_("Documents"), "share": N_("Share of all documents")}


@dataclass(frozen=True)
class Labels:
    locale: str

    def gettext(self, message: str) -> str:
        return translations(self.locale).gettext(message)

    @cached_property
    def _languages(self) -> dict[str, str]:
        return dict(Locale.parse(self.locale).languages)

    def category(self, name: str) -> str:
        """A category's name; ``any`` and '' name the sets of categories."""
        if name == ANY:
            return self.gettext(ANY_CATEGORY)
        return self.gettext(category_label(name) if name else ALL_CATEGORIES)

    def language(self, code: str) -> str:
        """An ISO 639-1 code's name in this language, else the code ('' is the unknown language)."""
        return self._languages.get(code, code) if code else self.gettext(UNKNOWN_LANGUAGE)
