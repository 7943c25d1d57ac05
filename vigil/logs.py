"""Logging, configured once: JSON lines when stderr is not a terminal, readable text when it is."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

# The loggers of Vigil's packages (each module logs under its own dotted name).
PROJECT_LOGGERS = ("vigil", "flows", "crawlers", "classifiers", "dashboards")
_RESERVED = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
_configured = False


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        payload.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED})
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


class ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(f"{k}={v}" for k, v in record.__dict__.items() if k not in _RESERVED)
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if extras:
            line += f"  [{extras}]"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def set_project_level(level: str | int) -> None:
    """Log Vigil's own loggers at ``level``, whatever the root's level (a flow run's, set by Prefect)."""
    for name in PROJECT_LOGGERS:
        logging.getLogger(name).setLevel(level)


def configure_logging(level: str = "INFO", fmt: str = "auto", *, force: bool = False) -> None:
    """Install one handler on the root logger. Later calls are no-ops unless ``force``."""
    global _configured
    if _configured and not force:
        return
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if use_json else ConsoleFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_vigil", False):
            root.removeHandler(existing)
    handler._vigil = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("kafka", "urllib3", "httpx", "filelock"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    _configured = True


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)


@contextmanager
def counted_step(logger: logging.Logger, step: str, **fields: Any) -> Iterator[dict[str, int]]:
    """Run a long step; log its counts and duration at the end, also when it fails.

    >>> with counted_step(log, "migrate") as counts:
    ...     counts["applied"] += 1
    """
    counts: dict[str, int] = _Counts()
    started = time.perf_counter()
    outcome = "ok"
    try:
        yield counts
    except BaseException:
        outcome = "failed"
        raise
    finally:
        extra: Mapping[str, Any] = {
            "step": step, "outcome": outcome, "seconds": round(time.perf_counter() - started, 3),
            **fields, **counts,
        }
        summary = ", ".join(f"{k}={v}" for k, v in counts.items()) or "no counts"
        logger.info("%s %s: %s", step, outcome, summary, extra=dict(extra))


class _Counts(dict):
    def __missing__(self, key: str) -> int:
        return 0
