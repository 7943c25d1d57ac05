"""The alerts page's queries: spike alerts (``alerts``, latest version of each) and the emerging terms
of the latest run (``emerging_terms``)."""

from __future__ import annotations

from datetime import datetime

from dashboards.filters import Filters
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row

_COLUMNS = ("alert_id, raised_at, window_start, window_end, category, source_id, language, model_version, "
            "observed, expected, score, method, summary, late")
_SCOPE = ("({category:String} IN ('', 'any') OR category = {category:String}) "
          "AND ({source:String} = '' OR source_id = {source:String}) "
          "AND ({language:String} = '' OR language = {language:String}) "
          "AND ({model:String} = '' OR model_version = {model:String})")


def alerts(warehouse: Warehouse, filters: Filters, limit: int = 500) -> list[Row]:
    """Alerts whose window starts in the range and matches the filters (every model version unless
    one is chosen), newest window first, then the highest score."""
    return warehouse.query(
        f"SELECT {_COLUMNS} FROM alerts FINAL WHERE window_start >= {{since:DateTime64(3, 'UTC')}} "
        f"AND window_start < {{until:DateTime64(3, 'UTC')}} AND {_SCOPE} "
        "ORDER BY window_start DESC, score DESC, alert_id LIMIT {limit:UInt32}",
        dict(since=filters.since, until=filters.until, category=filters.category, source=filters.source,
             language=filters.language, model=filters.model, limit=limit))


def alert(warehouse: Warehouse, alert_id: str) -> Row | None:
    """One alert with its ``drivers`` (JSON text), or None."""
    rows = warehouse.query(f"SELECT {_COLUMNS}, drivers FROM alerts FINAL WHERE alert_id = {{id:String}}",
                           dict(id=alert_id))
    return rows[0] if rows else None


def emerging_terms(warehouse: Warehouse, since: datetime, until: datetime, language: str = "",
                   per_language: int = 15) -> list[Row]:
    """The terms of the latest emerging-terms run whose window ends in [since, until): per language the
    ``per_language`` with the highest z-score."""
    return warehouse.query(
        "SELECT computed_at, window_start, window_end, language, term, kind, z_score, recent_count, baseline_count "
        "FROM emerging_terms WHERE computed_at = (SELECT max(computed_at) FROM emerging_terms "
        "WHERE window_end >= {since:DateTime64(3, 'UTC')} AND window_end < {until:DateTime64(3, 'UTC')}) "
        "AND ({language:String} = '' OR language = {language:String}) "
        "ORDER BY language, z_score DESC, term LIMIT {per_language:UInt32} BY language",
        dict(since=since, until=until, language=language, per_language=per_language))
