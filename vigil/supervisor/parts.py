"""What ``vigil up`` runs: Vigil's parts as process specs, in the tiers they start in.

This is the one module of :mod:`vigil.supervisor` that knows Vigil, and it knows the stages only as
commands (argv), so the core imports no stage.

| tier | embedded (``vigil up``) | distributed (``vigil up --distributed``) |
|---|---|---|
| 0 | – | ``kafka``: ``vigil kafka start --foreground``, unless a broker answers |
| 1 | ``warehouse`` (``vigil warehouse serve``), ``prefect`` (``vigil flows server``) | the same |
| 2 | ``scheduler`` (``vigil flows serve``), ``dashboard`` (``vigil serve``) | the same, and ``classify-1..N``, ``sink``, ``feedback`` (``vigil consume ...``) |

With ``--classifiers N`` above 1 and ``classifier.threads`` 0, each classify consumer gets the usable cores divided
by N (``VIGIL_CLASSIFIER__THREADS``).

**The warehouse.** With the embedded backend, the owner is a child of its own, serving chDB on a port
chosen here with a token made here (its ``warehouse.password``); every other child is told the
warehouse is a ClickHouse server at that port with that password (``VIGIL_WAREHOUSE__BACKEND=server``).
So no child can ever become the owner itself, and a restarted owner is the same server to them. This
is also how distributed mode gets a warehouse on a machine without a ClickHouse server: the sink and
feedback consumers write through the owner's endpoint. With ``backend: server`` the children use the
configured server as it is.

**The bus** (distributed): a broker that answers at ``bus.bootstrap_servers`` is used as it is;
otherwise one started earlier by ``vigil kafka start`` for this home; otherwise, when the address is
on this machine, ``vigil up`` runs one (data under ``<home>/kafka``). A remote broker that does not
answer is an error.

**Prefect**: ``flows.prefect_api_url`` when set; otherwise a local server (port 4200 if free).
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from dataclasses import dataclass, field
from typing import Any

from vigil.settings import Settings
from vigil.supervisor.spec import Probe, ProcessSpec, RestartPolicy

PREFECT_PORT = 4200
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class PlanError(Exception):
    """``vigil up`` cannot run with these settings; the message says why."""


@dataclass
class Plan:
    specs: list[ProcessSpec] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was found running and is used as it is


def vigil_argv(settings: Settings, *args: str) -> tuple[str, ...]:
    """``python -m vigil [--config FILE] ARGS``: a child reads the settings file this process read."""
    config = ("--config", str(settings.config_file)) if settings.config_file else ()
    return (sys.executable, "-m", "vigil", *config, *args)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Could a server listen on ``port`` (with SO_REUSEADDR, as servers do, so that connections of a
    server just stopped, in TIME_WAIT, do not count)?"""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def plan(settings: Settings, *, distributed: bool, classifiers: int = 1, flows: list[str] | None = None) -> Plan:
    """The parts to run for ``settings``; raise :class:`PlanError` when they cannot run."""
    if classifiers < 1:
        raise PlanError("--classifiers must be at least 1")
    result = Plan()
    sup = settings.supervisor
    policy = RestartPolicy(sup.restart_backoff_s, sup.restart_backoff_max_s, sup.restart_reset_s,
                           sup.liveness_failures)
    logs = settings.run_dir / "logs"
    env = {"VIGIL_MODE": "distributed" if distributed else "embedded", "VIGIL_HOME": str(settings.home)}
    result.meta["mode"] = env["VIGIL_MODE"]

    def add(name: str, args: tuple[str, ...], tier: int, *, liveness: Probe | None = None,
            readiness: Probe | None = None, extra_env: dict[str, str] | None = None, stop_timeout_s: float = 0) -> None:
        result.specs.append(ProcessSpec(
            name=name, argv=vigil_argv(settings, *args), env={**env, **(extra_env or {})}, tier=tier,
            liveness=liveness, readiness=readiness, restart=policy,
            stop_timeout_s=stop_timeout_s or sup.stop_grace_s + 5, log_file=logs / f"{name}.log"))

    if distributed:
        env["VIGIL_BUS__BOOTSTRAP_SERVERS"] = _bus(settings, result, add)
    clients = _warehouse(settings, result, add)
    env["VIGIL_FLOWS__PREFECT_API_URL"] = _prefect(settings, result, add)
    env.update(clients)  # after the owner and Prefect were added: they keep their own warehouse settings

    if distributed:
        # Each classify consumer gets its share of the cores unless the settings name a number: N processes
        # with a thread per core each run slower together than one (measured: 2 on 2 cores label 1.6 times as
        # many documents a second with 1 thread each as with 2).
        threads = {} if settings.classifier.threads or classifiers == 1 else {
            "VIGIL_CLASSIFIER__THREADS": str(max(1, usable_cores() // classifiers))}
        for index in range(1, classifiers + 1):
            _consumer(add, f"classify-{index}", "classify", threads)
        _consumer(add, "sink", "sink")
        _consumer(add, "feedback", "feedback")
    runner_port = free_port()
    # With a Prefect server of its own, this scheduler is the only one of its deployments: runs it finds
    # running at start were left by the one before it (flows.orphans). Another server may have others.
    orphans = () if settings.flows.prefect_api_url else ("--crash-orphans",)
    add("scheduler", ("flows", "serve", *(flows or []), "--grace", f"{sup.stop_grace_s:g}", *orphans), 2,
        liveness=Probe(f"http://127.0.0.1:{runner_port}/health"),
        extra_env={"PREFECT_RUNNER_SERVER_ENABLE": "true", "PREFECT_RUNNER_SERVER_HOST": "127.0.0.1",
                   "PREFECT_RUNNER_SERVER_PORT": str(runner_port)},
        stop_timeout_s=sup.stop_grace_s + 15)
    host, port = settings.dashboards.host, settings.dashboards.port
    if not port_free(port, host if host not in {"0.0.0.0", "::"} else "127.0.0.1"):
        raise PlanError(f"dashboards.port {port} is in use on {host}: stop what serves it or set another port "
                        f"(VIGIL_DASHBOARDS__PORT)")
    base = f"http://{_probe_host(host)}:{port}"
    add("dashboard", ("serve", "--host", host, "--port", str(port)), 2,
        liveness=Probe(f"{base}/healthz"), readiness=Probe(f"{base}/readyz"))
    result.meta["dashboards"] = f"{base}/"
    return result


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity, as a container's limit sets it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _consumer(add: Any, name: str, stage: str, extra_env: dict[str, str] | None = None) -> None:
    port = free_port()
    add(name, ("consume", stage, "--metrics-port", str(port)), 2, extra_env=extra_env,
        liveness=Probe(f"http://127.0.0.1:{port}/healthz"), readiness=Probe(f"http://127.0.0.1:{port}/readyz"))


def _bus(settings: Settings, result: Plan, add: Any) -> str:
    """The bootstrap servers the children use, adding a broker of our own when none answers."""
    from vigil.bus.broker import (
        answers_metadata,
        configured_ports,
        preferred_port,
        read_info,
    )

    configured = settings.bus.bootstrap_servers
    if any(answers_metadata(server.strip())[0] for server in configured.split(",")):
        result.notes.append(f"Kafka: the broker at {configured}")
        result.meta["bootstrap_servers"] = configured
        return configured
    workdir = settings.home / "kafka"
    running = read_info(workdir)
    if running is not None and answers_metadata(running.bootstrap)[0]:
        result.notes.append(f"Kafka: the broker `vigil kafka start` runs at {running.bootstrap} (pid {running.pid})")
        result.meta["bootstrap_servers"] = running.bootstrap
        return running.bootstrap
    hosts = {server.strip().rpartition(":")[0].strip("[]") for server in configured.split(",")}
    if not hosts <= LOCAL_HOSTS:
        raise PlanError(f"no Kafka broker answers at {configured}, and vigil up starts one only on this machine "
                        "(bus.bootstrap_servers on 127.0.0.1 or localhost)")
    port = configured_ports(workdir / "server.properties").get("PLAINTEXT") or preferred_port(configured)
    add("kafka", ("kafka", "start", "--foreground", "--port", str(port)), 0,
        liveness=Probe(f"tcp://127.0.0.1:{port}"), stop_timeout_s=max(settings.supervisor.stop_grace_s, 60) + 15)
    result.meta["bootstrap_servers"] = f"127.0.0.1:{port}"
    return f"127.0.0.1:{port}"


def _warehouse(settings: Settings, result: Plan, add: Any) -> dict[str, str]:
    """The environment that points the other children at the warehouse (an owner of ours, if embedded)."""
    if settings.warehouse.backend == "server":
        wh = settings.warehouse
        result.meta["warehouse"] = f"ClickHouse server {wh.host}:{wh.port}"
        return {}
    from vigil.warehouse import read_owner
    from vigil.warehouse.served import TOKEN_USER

    owner = read_owner(settings.warehouse_path)
    if owner is not None:
        raise PlanError(f"the embedded warehouse at {settings.warehouse_path} is owned by {owner.describe()}; "
                        "stop it first: vigil up runs the warehouse's owner itself")
    port, token = free_port(), secrets.token_hex(16)
    add("warehouse", ("warehouse", "serve", "--port", str(port)), 1,
        liveness=Probe(f"http://127.0.0.1:{port}/?query=SELECT%201", {"X-ClickHouse-Key": token}),
        extra_env={"VIGIL_WAREHOUSE__PASSWORD": token})
    result.meta["warehouse"] = f"embedded at {settings.warehouse_path}, served at http://127.0.0.1:{port}"
    return {"VIGIL_WAREHOUSE__BACKEND": "server", "VIGIL_WAREHOUSE__HOST": "127.0.0.1",
            "VIGIL_WAREHOUSE__PORT": str(port), "VIGIL_WAREHOUSE__USERNAME": TOKEN_USER,
            "VIGIL_WAREHOUSE__PASSWORD": token, "VIGIL_WAREHOUSE__SECURE": "false"}


def _prefect(settings: Settings, result: Plan, add: Any) -> str:
    if settings.flows.prefect_api_url:
        result.notes.append(f"Prefect: the server at {settings.flows.prefect_api_url}")
        result.meta["prefect_api_url"] = settings.flows.prefect_api_url
        return settings.flows.prefect_api_url
    port = PREFECT_PORT if port_free(PREFECT_PORT) else free_port()
    add("prefect", ("flows", "server", "--port", str(port)), 1, liveness=Probe(f"http://127.0.0.1:{port}/api/health"))
    result.meta["prefect_api_url"] = f"http://127.0.0.1:{port}/api"
    return result.meta["prefect_api_url"]


def _probe_host(host: str) -> str:
    if host in {"0.0.0.0", ""}:
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host
