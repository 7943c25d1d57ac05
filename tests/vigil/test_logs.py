import json
import logging

from vigil.logs import JsonFormatter, counted_step


def test_counted_step_logs_counts_and_outcome(caplog) -> None:
    log = logging.getLogger("vigil.test")
    with caplog.at_level(logging.INFO, logger="vigil.test"):
        with counted_step(log, "ingest", source="demo") as counts:
            counts["documents"] += 3
            counts["errors"] += 1
    record = caplog.records[-1]
    assert record.getMessage() == "ingest ok: documents=3, errors=1"
    assert (record.documents, record.errors, record.source, record.outcome) == (3, 1, "demo", "ok")


def test_counted_step_reports_failure(caplog) -> None:
    log = logging.getLogger("vigil.test")
    with caplog.at_level(logging.INFO, logger="vigil.test"):
        try:
            with counted_step(log, "ingest") as counts:
                counts["documents"] += 1
                raise ValueError("boom")
        except ValueError:
            pass
    assert caplog.records[-1].outcome == "failed"
    assert caplog.records[-1].documents == 1


def test_json_formatter_emits_one_object_with_extras() -> None:
    record = logging.makeLogRecord({"name": "vigil.x", "levelname": "INFO", "msg": "stored %d", "args": (5,),
                                    "rows": 5})
    payload = json.loads(JsonFormatter().format(record))
    assert payload["msg"] == "stored 5"
    assert payload["rows"] == 5
    assert payload["level"] == "info"
