"""Reconciliation: per crawl run and hour, do the stages' counts add up?

Every stage records what it handled in ``pipeline_counts`` after its write
succeeded (see :mod:`vigil.warehouse.ledger`). A window is complete when what was
published was either stored or dead-lettered, and what was stored was
classified (or dead-lettered). Anything short of that is flagged, with the
reason, in ``reconciliation``; the dashboards shade those windows so that a
lost batch is not read as a quiet hour.
"""

from __future__ import annotations

from datetime import datetime, timezone

from vigil.logs import counted_step, get_logger
from vigil.warehouse import Warehouse

log = get_logger(__name__)


def stage_totals(warehouse: Warehouse, since: datetime) -> list[dict]:
    return warehouse.query(
        "SELECT run_id, hour, "
        " sumIf(count, stage = 'crawled') AS crawled, sumIf(count, stage = 'published') AS published, "
        " sumIf(count, stage = 'stored') AS stored, sumIf(count, stage = 'classified') AS classified, "
        " sumIf(count, stage = 'dead_lettered') AS dead_lettered "
        "FROM pipeline_counts WHERE hour >= {since:DateTime64(3, 'UTC')} GROUP BY run_id, hour "
        "ORDER BY hour, run_id",
        dict(since=since),
    )


def judge(window: dict) -> tuple[bool, str]:
    """(complete, reason) of one run-hour window from its stage totals (pure)."""
    problems = []
    handled = window["stored"] + window["dead_lettered"]
    if window["published"] and handled < window["published"]:
        problems.append(f"{window['published'] - handled} published but neither stored nor dead-lettered")
    if window["crawled"] and (short := window["crawled"] - window["published"] - window["dead_lettered"]) > 0:
        problems.append(f"{short} crawled but not published")
    if window["stored"] and (short := window["stored"] - window["classified"] - window["dead_lettered"]) > 0:
        problems.append(f"{short} stored but not classified")
    return not problems, "; ".join(problems)


def reconcile(warehouse: Warehouse, since: datetime) -> list[dict]:
    """Judge every run-hour window since ``since``, record the verdicts, return the incomplete ones."""
    with counted_step(log, "reconcile") as counts:
        rows = []
        for window in stage_totals(warehouse, since):
            complete, reason = judge(window)
            rows.append({
                "window_start": window["hour"], "run_id": window["run_id"],
                **{k: int(window[k]) for k in ("crawled", "published", "classified", "dead_lettered", "stored")},
                "complete": complete, "reason": reason, "checked_at": datetime.now(timezone.utc),
            })
            counts["complete" if complete else "incomplete"] += 1
        warehouse.insert("reconciliation", rows)
        return [row for row in rows if not row["complete"]]


def incomplete_windows(warehouse: Warehouse, since: datetime) -> list[dict]:
    """The latest verdict of each flagged window since ``since`` (what the dashboards shade)."""
    return warehouse.query(
        "SELECT window_start, run_id, reason FROM reconciliation FINAL "
        "WHERE window_start >= {since:DateTime64(3, 'UTC')} AND NOT complete ORDER BY window_start, run_id",
        dict(since=since),
    )
