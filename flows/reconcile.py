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
    # What was stored was published, even when the process died before it counted the publish.
    reached = max(window["published"], window["stored"])
    if window["crawled"] and (short := window["crawled"] - reached - window["dead_lettered"]) > 0:
        problems.append(f"{short} crawled but not published")
    if window["stored"] and (short := window["stored"] - window["classified"] - window["dead_lettered"]) > 0:
        problems.append(f"{short} stored but not classified")
    return not problems, "; ".join(problems)


def unclassified_documents(warehouse: Warehouse, run_id: str) -> int:
    """How many documents stored by crawl run ``run_id`` have no classification at all (under any run).

    The ledger counts per run: a run killed after storing a batch but before classifying it leaves
    that batch "stored but not classified" in its own counts, even once the next run has fetched the
    same pages again and classified them. The documents table keeps the killed run's row versions
    until a merge, so this looks at the documents themselves."""
    return int(warehouse.scalar(
        "SELECT count() FROM (SELECT DISTINCT id FROM documents WHERE crawl_run_id = {run:String}) "
        "WHERE id NOT IN (SELECT document_id FROM classifications)", {"run": run_id}))


def reconcile(warehouse: Warehouse, since: datetime) -> list[dict]:
    """Judge every run-hour window since ``since``, record the verdicts, return the incomplete ones."""
    with counted_step(log, "reconcile") as counts:
        rows = []
        unclassified: dict[str, int] = {}
        for window in stage_totals(warehouse, since):
            complete, reason = judge(window)
            if "stored but not classified" in reason and window["run_id"]:
                if window["run_id"] not in unclassified:
                    unclassified[window["run_id"]] = unclassified_documents(warehouse, window["run_id"])
                if unclassified[window["run_id"]] == 0:  # the ledger fell short, not the warehouse
                    complete, reason = judge({**window, "classified": window["stored"] - window["dead_lettered"]})
                    counts["classified_later"] += 1
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
