"""Wire stages to the bus the settings name and run them: the one way every consumer starts.

``vigil consume classify|sink|feedback``, ``vigil up`` and the tests all call
:func:`run_stages`, so the path a test exercises (topics, consumer groups, the
dead-letter publisher, write retries, shutdown) is the path production runs.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Sequence
from contextlib import closing

from vigil.bus.base import Publisher
from vigil.bus.connect import open_consumer, open_publisher, prepare_topics
from vigil.bus.consumer_loop import RunCounts, run_stage
from vigil.bus.stage import Stage
from vigil.logs import counted_step, get_logger
from vigil.settings import Settings

log = get_logger(__name__)

StageFactory = Callable[[Publisher], Sequence[Stage]]


def run_stages(
    settings: Settings,
    build: StageFactory,
    *,
    stop: threading.Event | None = None,
    stop_when_idle_s: float | None = None,
    poll_timeout_s: float = 1.0,
) -> dict[str, RunCounts]:
    """Run the stages ``build`` makes until ``stop`` is set (or, if given, every stage's input was
    idle for ``stop_when_idle_s``); return the counts per stage group.

    ``build`` receives the process's publisher (dead letters, and a stage's own output, go
    through it). Each stage joins its own consumer group (:attr:`Stage.group`), so every process
    running a stage shares its partitions; several stages run on one thread each. A batch whose
    write fails is retried with backoff (``bus.write_retries``); a stage that still fails stops
    the others and its error is raised here, its batch uncommitted.
    """
    stop = stop or threading.Event()
    prepare_topics(settings)
    results: dict[str, RunCounts] = {}
    errors: list[BaseException] = []
    with closing(open_publisher(settings)) as publisher:
        stages = list(build(publisher))
        groups = [stage.group for stage in stages]
        if len(set(groups)) != len(groups):
            raise ValueError(f"stages share a consumer group: {groups}")

        def consume(stage: Stage) -> None:
            consumer = open_consumer(settings, stage.group, [stage.input])
            try:
                with counted_step(log, f"stage {stage.group}") as step:
                    results[stage.group] = counts = run_stage(
                        stage, consumer, publisher, max_records=stage.max_records or settings.bus.max_poll_records,
                        poll_timeout_s=poll_timeout_s, stop=stop, stop_when_idle_s=stop_when_idle_s,
                        handle_signals=False, write_retries=settings.bus.write_retries,
                        retry_backoff_s=settings.bus.write_retry_backoff_ms / 1000)
                    step.update(vars(counts))
            except BaseException as exc:  # noqa: BLE001 - raised by the caller below
                errors.append(exc)
                stop.set()
            finally:
                consumer.close()

        threads = [threading.Thread(target=consume, args=(stage,), name=stage.group) for stage in stages]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    return results


def stop_on_signals() -> threading.Event:
    """An event the first SIGTERM or SIGINT sets: the batch in hand finishes and commits, then the
    stages return. Call it from the main thread of a consumer process."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.info("stopping after the current batch", extra={"signal": signal.Signals(signum).name})
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, request_stop)
    return stop
