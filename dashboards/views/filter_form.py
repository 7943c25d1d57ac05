"""The filter form every analysts' page shows (a GET form: the filters live in the URL), and the model
a page reads: the one chosen, else the current one (the model version with the most recent counts)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from dashboards.filters import ANY, GRANULARITIES, MEASURES, Filters
from dashboards.i18n import N_
from dashboards.queries import options
from dashboards.views.labels import GRANULARITY_LABELS, MEASURE_LABELS, Labels
from vigil.schemas import CATEGORIES
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row

ALL_SOURCES = N_("All sources")
ALL_LANGUAGES = N_("All languages")
CURRENT_MODEL = N_("Current model (%(model)s)")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # translated
    selected: bool


@dataclass(frozen=True)
class FilterForm:
    prefix: str  # of the field names: '' or, on the compare page, 'a_' / 'b_'
    start: date
    end: date
    categories: list[Choice]  # empty where the page has no category filter
    sources: list[Choice]  # empty where the page is one source's
    languages: list[Choice]
    models: list[Choice]
    granularities: list[Choice]  # empty where the page draws no time series
    measures: list[Choice]


@dataclass(frozen=True)
class Scope:
    """What a page reads: ``model`` (resolved), every model's span of days, the sources and languages."""

    model: str
    spans: list[Row]
    sources: list[str]
    languages: list[str]


def current_model(spans: Sequence[Row]) -> str:
    """The model version with the most recent counts (the most documents on a tie); '' when none."""
    return max(spans, key=lambda s: (s["last_day"], s["documents"]))["model_version"] if spans else ""


def read_scope(warehouse: Warehouse, filters: Filters) -> Scope:
    spans = options.model_spans(warehouse)
    model = filters.model or current_model(spans)
    chosen = next((span for span in spans if span["model_version"] == model), {"sources": [], "languages": []})
    return Scope(model, spans, list(chosen["sources"]), list(chosen["languages"]))


def filter_form(filters: Filters, scope: Scope, labels: Labels, *, prefix: str = "", categories: bool = True,
                sources: bool = True, series: bool = True) -> FilterForm:
    """The form showing ``filters``; ``categories``, ``sources`` and ``series`` (granularity and measure)
    say whether the page has those fields."""
    models = [span["model_version"] for span in scope.spans]
    return FilterForm(
        prefix=prefix, start=filters.start_date, end=filters.end_date,
        categories=_choices(["", ANY, *CATEGORIES], filters.category, labels.category) if categories else [],
        sources=[Choice("", labels.gettext(ALL_SOURCES), not filters.source)]
        + _choices(_with(scope.sources, filters.source), filters.source) if sources else [],
        languages=[Choice("", labels.gettext(ALL_LANGUAGES), not filters.language)]
        + _choices(_with(scope.languages, filters.language), filters.language, labels.language),
        models=[Choice("", labels.gettext(CURRENT_MODEL) % {"model": current_model(scope.spans) or "-"},
                       not filters.model)]
        + _choices(_with(models, filters.model), filters.model),
        granularities=_choices(GRANULARITIES, filters.granularity,
                               lambda g: labels.gettext(GRANULARITY_LABELS[g])) if series else [],
        measures=_choices(MEASURES, filters.measure, lambda m: labels.gettext(MEASURE_LABELS[m])) if series else [],
    )


def _with(values: Sequence[str], chosen: str) -> list[str]:
    """The non-empty ``values``, and ``chosen`` too when it is not among them (a link's value with no data)."""
    found = [value for value in values if value]
    return found + [chosen] if chosen and chosen not in found else found


def _choices(values: Sequence[str], chosen: str, name: Callable[[str], str] = str) -> list[Choice]:
    return [Choice(value, name(value), value == chosen) for value in values]
