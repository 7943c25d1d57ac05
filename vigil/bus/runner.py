"""Run a stage against the bus the settings name: the entry point consumers and CLIs call."""

from __future__ import annotations

import threading

from vigil.bus.connect import open_consumer, open_publisher, prepare_topics
from vigil.bus.consumer_loop import RunCounts, run_stage
from vigil.bus.stage import Stage
from vigil.logs import counted_step, get_logger
from vigil.settings import Settings

log = get_logger(__name__)


def run(
    settings: Settings,
    stage: Stage,
    *,
    stop: threading.Event | None = None,
    stop_when_idle_s: float | None = None,
    poll_timeout_s: float = 1.0,
    handle_signals: bool = True,
) -> RunCounts:
    """Create the topics if missing, join the stage's consumer group and run the loop.

    The consumer group is the stage's name, so every process running one stage
    shares its partitions. Returns the counts when stopped (signal, ``stop``, idle).
    """
    prepare_topics(settings)
    consumer = open_consumer(settings, stage.name, [stage.input])
    dead_letters = open_publisher(settings)
    with counted_step(log, f"stage {stage.name}") as step:
        try:
            counts = run_stage(
                stage, consumer, dead_letters,
                max_records=settings.bus.max_poll_records, poll_timeout_s=poll_timeout_s,
                stop=stop, stop_when_idle_s=stop_when_idle_s, handle_signals=handle_signals,
            )
        finally:
            consumer.close()
            dead_letters.close()
        step.update(vars(counts))
    return counts
