"""What the supervisor runs: a process spec (name, argv, probes, restart policy) and its probes.

A probe is a URL: ``http://`` or ``https://`` (healthy when it answers 2xx; ``headers`` go with the
request and are never written to the state file) or ``tcp://host:port`` (healthy when it accepts a
connection), for a child that serves no HTTP.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Probe:
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout_s: float = 3.0  # no answer within this long is a failure

    def check(self) -> tuple[bool, str]:
        """Ask once: (healthy, what was seen)."""
        timeout_s = self.timeout_s
        parts = urlsplit(self.url)
        if parts.scheme == "tcp":
            try:
                socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=timeout_s).close()
            except OSError as exc:
                return False, str(exc)
            return True, "accepts connections"
        request = urllib.request.Request(self.url, headers=dict(self.headers))
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                return 200 <= response.status < 300, f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            return False, f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:
            return False, str(getattr(exc, "reason", exc))


@dataclass(frozen=True)
class RestartPolicy:
    """A child that dies is restarted after ``backoff_s``, doubling with each failure in a row up to
    ``max_backoff_s``; one that ran ``reset_after_s`` before dying starts afresh. A child whose
    liveness probe fails ``liveness_failures`` times in a row is taken as hung and restarted."""

    backoff_s: float = 1.0
    max_backoff_s: float = 60.0
    reset_after_s: float = 60.0
    liveness_failures: int = 3

    def delay(self, failures_in_a_row: int) -> float:
        return min(self.backoff_s * 2 ** max(failures_in_a_row - 1, 0), self.max_backoff_s)


@dataclass(frozen=True)
class ProcessSpec:
    """One supervised child.

    Children start tier by tier, each tier once the one before is ready (or has had
    ``ready_timeout_s``), and stop in reverse: a tier's children get SIGTERM together and
    ``stop_timeout_s`` to exit before their process group gets SIGKILL. ``readiness`` defaults to
    ``liveness``; a child with neither is ready once started."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    tier: int = 0
    liveness: Probe | None = None
    readiness: Probe | None = None
    restart: RestartPolicy = field(default_factory=RestartPolicy)
    stop_timeout_s: float = 30.0
    log_file: Path | None = None

    @property
    def ready_probe(self) -> Probe | None:
        return self.readiness or self.liveness
