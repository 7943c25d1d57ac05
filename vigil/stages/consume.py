"""Run the sink stages as bus consumers (distributed mode), one thread per input topic."""

from __future__ import annotations

import threading
from contextlib import closing

from vigil.bus import open_consumer, open_publisher, prepare_topics
from vigil.bus.consumer_loop import RunCounts, retry_options, run_stage
from vigil.settings import Settings
from vigil.stages.sink import sink_stages
from vigil.warehouse import connect, migrate


def run_sink(settings: Settings, stop: threading.Event, stop_when_idle_s: float | None = None) -> dict[str, RunCounts]:
    """Consume raw documents and classifications into the warehouse until ``stop`` is set
    (or, if given, both topics were idle for ``stop_when_idle_s``); return the counts per topic."""
    prepare_topics(settings)
    results: dict[str, RunCounts] = {}
    errors: list[BaseException] = []
    with connect(settings) as warehouse, closing(open_publisher(settings)) as dead_letters:
        migrate(warehouse)

        def consume(stage) -> None:
            consumer = open_consumer(settings, f"sink-{stage.input.value}", [stage.input])
            try:
                results[stage.input.value] = run_stage(
                    stage, consumer, dead_letters, max_records=settings.bus.max_poll_records, stop=stop,
                    stop_when_idle_s=stop_when_idle_s, handle_signals=False,
                    **retry_options(settings))
            except BaseException as exc:  # noqa: BLE001 - reported by the caller's thread
                errors.append(exc)
                stop.set()
            finally:
                consumer.close()

        threads = [threading.Thread(target=consume, args=(stage,), name=f"sink-{stage.input.value}")
                   for stage in sink_stages(warehouse)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    return results
