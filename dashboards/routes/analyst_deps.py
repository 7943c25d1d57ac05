"""Dependencies the analysts' routes share: the filters from the query string (declared one by one,
so the API's OpenAPI description lists them) and the labels in the user's language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from dashboards.deps import RendererDep
from dashboards.filters import Filters
from dashboards.views.labels import Labels


def get_filters(
    start: Annotated[str, Query(description="first day (YYYY-MM-DD) or instant (YYYY-MM-DDTHH:MM), UTC")] = "",
    end: Annotated[str, Query(description="last day, inclusive, or instant, exclusive; default today")] = "",
    category: Annotated[str, Query(description="a category, 'any' (flagged in any) or empty (all)")] = "",
    source: Annotated[str, Query(description="a source id, empty for all")] = "",
    language: Annotated[str, Query(description="an ISO 639-1 code, empty for all")] = "",
    model: Annotated[str, Query(description="a model version, empty for the current one")] = "",
    granularity: Annotated[str, Query(description="hour, day or week")] = "day",
    measure: Annotated[str, Query(description="count, or share of all documents")] = "count",
) -> Filters:
    """The filters; a value that does not parse falls back to its default (see ``dashboards.filters``)."""
    return Filters.parse(dict(start=start, end=end, category=category, source=source, language=language,
                              model=model, granularity=granularity, measure=measure))


FiltersDep = Annotated[Filters, Depends(get_filters)]


def get_labels(render: RendererDep) -> Labels:
    return Labels(render.locale)


LabelsDep = Annotated[Labels, Depends(get_labels)]


def query_of(request: Request) -> dict[str, str]:
    """The request's query string as a dict (the last value of a repeated name)."""
    return dict(request.query_params)
