"""A consumer process for the kill-and-restart test: numbers documents into a file.

Run as ``python -m tests.vigil.bus.stage_worker OUTFILE`` with the bus settings in
VIGIL_* variables. Each processed document's number is appended to OUTFILE when
its batch is written (before the commit), so a SIGKILL between the write and
the commit shows up as duplicates, and a lost message as a missing number.
"""

from __future__ import annotations

import os
import sys
import time

from tests.vigil.bus.factories import number
from vigil.bus import Stage, Topic, run_stages, stop_on_signals
from vigil.settings import load_settings


class AppendNumbers:
    def __init__(self, path: str) -> None:
        self.path = path

    def write(self, results) -> None:
        with open(self.path, "a", encoding="utf-8") as out:
            out.write("".join(f"{result.value}\n" for result in results))
            out.flush()
            os.fsync(out.fileno())


def slow_number(document):
    time.sleep(0.005)
    return [number(document)]


if __name__ == "__main__":
    # The production wiring (run_stages: topics, group, dead letters, write retries) around a test stage.
    stage = Stage("classify", Topic.raw_documents, slow_number, AppendNumbers(sys.argv[1]))
    run_stages(load_settings(), lambda _publisher: [stage], stop=stop_on_signals(),
               stop_when_idle_s=float(sys.argv[2]) if len(sys.argv) > 2 else 5.0, poll_timeout_s=0.5)
