"""`vigil kafka start|stop|status` (the project's own broker) and `vigil dlq inspect|replay`."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil.bus.broker import (
    Broker,
    answers_metadata,
    preferred_port,
    read_info,
    stop_pid,
)
from vigil.bus.kafka_jars import BrokerError
from vigil.cli.context import current_settings, fail
from vigil.settings import Mode, Settings

kafka_app = typer.Typer(no_args_is_help=True)
dlq_app = typer.Typer(no_args_is_help=True)


def _broker_dir(settings: Settings):
    return settings.home / "kafka"


@kafka_app.command("start")
def kafka_start(
    port: Annotated[
        int, typer.Option(help="Client port on 127.0.0.1 (default: the settings' port if free).")
    ] = 0,
    foreground: Annotated[bool, typer.Option(
        "--foreground", help="Stay until SIGTERM or Ctrl-C, then stop the broker; exit when it dies (vigil up).")
    ] = False,
) -> None:
    """Fetch the Kafka jars if needed, then start the broker in the background."""
    settings = current_settings()
    workdir = _broker_dir(settings)
    running = read_info(workdir)
    if running and foreground:
        typer.echo(f"watching the broker already running at {running.bootstrap} (pid {running.pid})", err=True)
        raise typer.Exit(_watch(workdir, running.pid))
    if running:
        typer.echo(f"already running: {running.bootstrap} (pid {running.pid})")
        return
    if not port and not (workdir / "server.properties").exists():
        port = preferred_port(settings.bus.bootstrap_servers)
    broker = Broker(workdir, port=port)
    try:
        info = broker.start()
    except BrokerError as exc:
        fail(str(exc))
    typer.echo(f"kafka {info.version} ready at {info.bootstrap} (pid {info.pid}; data in {workdir})")
    if foreground:
        raise typer.Exit(_watch(workdir, info.pid))
    if info.bootstrap not in settings.bus.bootstrap_servers.split(","):
        typer.echo(f"export VIGIL_BUS__BOOTSTRAP_SERVERS={info.bootstrap}")


def _watch(workdir, pid: int) -> int:
    """Wait while the broker ``pid`` runs: stop it on SIGTERM/SIGINT (exit 0), or exit 1 if it dies."""
    import signal
    import threading

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(1.0):
        if read_info(workdir) is None:
            typer.echo(f"the broker (pid {pid}) has died; see {workdir / 'broker.log'}", err=True)
            return 1
    stop_pid(pid, timeout_s=60)
    (workdir / "broker.json").unlink(missing_ok=True)
    typer.echo(f"stopped the broker (pid {pid})", err=True)
    return 0


@kafka_app.command("stop")
def kafka_stop() -> None:
    """Stop the broker started by `vigil kafka start` (SIGTERM, then wait)."""
    workdir = _broker_dir(current_settings())
    info = read_info(workdir)
    if info is None:
        typer.echo("no broker running")
        return
    stop_pid(info.pid, timeout_s=60)
    (workdir / "broker.json").unlink(missing_ok=True)
    typer.echo(f"stopped the broker at {info.bootstrap} (pid {info.pid})")


@kafka_app.command("status")
def kafka_status() -> None:
    """Say whether the local broker runs and answers metadata requests."""
    info = read_info(_broker_dir(current_settings()))
    if info is None:
        typer.echo("no broker running (start one with `vigil kafka start`)")
        raise typer.Exit(1)
    ok, detail = answers_metadata(info.bootstrap)
    state = "ready" if ok else "not answering"
    typer.echo(f"kafka {info.version} pid {info.pid} at {info.bootstrap}: {state} ({detail})")
    if not ok:
        raise typer.Exit(1)


def _distributed(settings: Settings) -> None:
    if settings.mode is not Mode.distributed:
        fail("dead letters of the embedded mode live in the process that ran the stage; "
             "the dlq commands read Kafka (set VIGIL_MODE=distributed)")


@dlq_app.command("inspect")
def dlq_inspect(
    topic: Annotated[str, typer.Argument(help="Dead-letter topic (e.g. dlq.classify) or the stage's name.")],
    limit: Annotated[int, typer.Option(help="Read at most this many letters.")] = 100,
) -> None:
    """List dead letters (reasons and origins, not payloads) without consuming them."""
    from vigil.bus.connect import open_consumer
    from vigil.bus.dlq import INSPECT_GROUP, read_dead_letters

    settings = current_settings()
    _distributed(settings)
    dlq = _topic(topic, settings)
    consumer = open_consumer(settings, INSPECT_GROUP, [dlq])
    kinds: dict[str, int] = {}
    try:
        for record, letter in read_dead_letters(consumer, limit):
            if letter is None:
                typer.echo(f"{record.partition}:{record.offset}  unreadable ({len(record.value)} bytes)")
                continue
            kinds[letter.kind] = kinds.get(letter.kind, 0) + 1
            typer.echo(
                f"{record.partition}:{record.offset}  {letter.failed_at:%Y-%m-%d %H:%M:%S}  {letter.stage}  "
                f"{letter.kind}  {letter.error}  from {letter.topic}[{letter.partition}]@{letter.offset}  "
                f"({len(letter.payload())} bytes): {letter.reason[:300]}"
            )
    finally:
        consumer.close()
    summary = ", ".join(f"{kind}={n}" for kind, n in sorted(kinds.items())) or "none"
    typer.echo(f"{dlq.full_name(settings.bus.topic_prefix)}: {sum(kinds.values())} dead letter(s): {summary}")


@dlq_app.command("replay")
def dlq_replay(
    topic: Annotated[str, typer.Argument(help="Dead-letter topic (e.g. dlq.classify) or the stage's name.")],
    policy: Annotated[str, typer.Option(help="stop-on-error | re-send | drop-invalid (required).")],
    limit: Annotated[int | None, typer.Option(help="Replay at most this many letters.")] = None,
) -> None:
    """Re-send dead letters' original bytes to their topics under an explicit policy."""
    from vigil.bus.connect import open_consumer, open_publisher
    from vigil.bus.dlq import REPLAY_GROUP, ReplayPolicy, replay

    settings = current_settings()
    _distributed(settings)
    try:
        chosen = ReplayPolicy(policy)
    except ValueError:
        fail(f"--policy must be one of {', '.join(p.value for p in ReplayPolicy)}")
    consumer = open_consumer(settings, REPLAY_GROUP, [_topic(topic, settings)])
    publisher = open_publisher(settings)
    try:
        report = replay(consumer, publisher, chosen, settings.bus.topic_prefix, limit)
    finally:
        consumer.close()
        publisher.close()
    targets = ", ".join(f"{name}={n}" for name, n in sorted(report.by_topic.items())) or "none"
    typer.echo(f"read {report.read}, re-sent {report.resent} ({targets}), dropped {report.dropped}, "
               f"unreadable {report.unreadable}")
    if report.stop_reason:
        typer.echo(f"stopped at {report.stop_reason}", err=True)
        raise typer.Exit(1)


def _topic(name: str, settings: Settings):
    from vigil.bus.dead_letter import DeadLetter
    from vigil.bus.topics import TOPICS, Topic

    try:
        topic = Topic.from_name(name, settings.bus.topic_prefix)
    except ValueError as exc:
        fail(str(exc))
    if TOPICS[topic].schema is not DeadLetter:
        fail(f"{name} is not a dead-letter topic")
    return topic
