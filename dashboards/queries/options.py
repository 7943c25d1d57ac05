"""What the filter forms offer, in one small read of ``counts_daily``'s ``any`` rows: per model
version the days it covers, its documents, and the sources and languages it has counts for."""

from __future__ import annotations

from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row


def model_spans(warehouse: Warehouse) -> list[Row]:
    """(model_version, first_day, last_day, documents, sources, languages) per model version, oldest
    first; ``sources`` and ``languages`` are sorted lists."""
    return warehouse.query(
        "SELECT model_version, min(day) AS first_day, max(day) AS last_day, sum(documents) AS documents, "
        "arraySort(groupUniqArray(source_id)) AS sources, arraySort(groupUniqArray(language)) AS languages "
        "FROM counts_daily WHERE category = 'any' GROUP BY model_version HAVING documents > 0 "
        "ORDER BY first_day, model_version")
