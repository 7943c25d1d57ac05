"""The fault harness's rig: the real services and stages as separate processes, and what it reads back.

- the broker: ``vigil kafka start`` / ``vigil kafka stop`` on ``<home>/kafka`` (a restart keeps its ports);
- the warehouse's owner: ``vigil warehouse serve --port P`` with a token, which every other process
  reaches as a ClickHouse server (``VIGIL_WAREHOUSE__BACKEND=server``), as ``vigil up`` arranges it;
- the stages of one run (:class:`Pipeline`): classify consumers and the sink, each its own process
  group, restarted by :meth:`Pipeline.supervise` when they exit unplanned (as ``vigil up`` would);
- :class:`Bus`: end offsets, committed group offsets and dead letters, read with plain kafka-python.

Every process is started here, in a session of its own, and stopped here by its process group.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vigil.supervisor.parts import free_port  # noqa: E402

CLIENT_TIMEOUT_MS = 5000  # the harness's own Kafka reads: short, so a stopped broker does not stall it


def base_env() -> dict[str, str]:
    """This environment without Vigil's and Prefect's settings (each child gets its own)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("VIGIL_", "PREFECT_"))}


def vigil(*args: str) -> list[str]:
    return [sys.executable, "-m", "vigil", *args]


class Proc:
    """One child process in a session (process group) of its own, its output in ``log``."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.argv, self.env, self.log = name, argv, env, log
        self.popen: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> "Proc":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            out.write(f"\n--- start {self.starts + 1} at {time.strftime('%H:%M:%S')}\n".encode())
            self.popen = subprocess.Popen(self.argv, env=self.env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True)
        self.starts += 1
        return self

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.popen is not None:
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """SIGKILL, to the whole group (what the process started dies with it)."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(30)

    def stop(self, timeout_s: float = 40) -> int | None:
        """SIGTERM to the group, SIGKILL after ``timeout_s``; return the exit code."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.kill()
        self.signal_group(signal.SIGKILL)  # anything the process left in its group
        return self.popen.returncode

    def tail(self, lines: int = 15) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class Rig:
    """The broker and the warehouse's owner for every run of the harness, under ``home``."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.logs = home / "logs"
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.bootstrap: str | None = None
        self.owner: Proc | None = None
        self._warehouse = None

    def env(self, **extra: str) -> dict[str, str]:
        return {**base_env(), "VIGIL_HOME": str(self.home), "VIGIL_LOG_FORMAT": "json", "HF_HUB_OFFLINE": "1",
                **extra}

    def warehouse_env(self) -> dict[str, str]:
        """How a client reaches the owner: as a ClickHouse server at its port, with its token."""
        return {"VIGIL_WAREHOUSE__BACKEND": "server", "VIGIL_WAREHOUSE__HOST": "127.0.0.1",
                "VIGIL_WAREHOUSE__PORT": str(self.port), "VIGIL_WAREHOUSE__USERNAME": "vigil",
                "VIGIL_WAREHOUSE__PASSWORD": self.token, "VIGIL_WAREHOUSE__SECURE": "false"}

    def bus_env(self, prefix: str, client_id: str, **bus: object) -> dict[str, str]:
        env = {"VIGIL_MODE": "distributed", "VIGIL_BUS__BOOTSTRAP_SERVERS": self.bootstrap or "",
               "VIGIL_BUS__TOPIC_PREFIX": prefix, "VIGIL_BUS__CLIENT_ID": client_id}
        env.update({f"VIGIL_BUS__{k.upper()}": str(v) for k, v in bus.items() if v is not None})
        return {**env, **self.warehouse_env()}

    # -- the broker --------------------------------------------------------------------------------

    def start_broker(self, timeout_s: float = 240) -> str:
        first = not (self.home / "kafka" / "server.properties").exists()
        args = ["kafka", "start"] + (["--port", str(free_port())] if first else [])
        done = subprocess.run(vigil(*args), env=self.env(), cwd=REPO, capture_output=True, text=True,
                              timeout=timeout_s)
        found = re.search(r"ready at (\S+)", done.stdout)
        if done.returncode != 0 or not found:
            raise RuntimeError(f"vigil kafka start failed ({done.returncode}): {done.stdout[-1500:]}"
                               f"{done.stderr[-1500:]}")
        self.bootstrap = found.group(1)
        return self.bootstrap

    def stop_broker(self) -> None:
        subprocess.run(vigil("kafka", "stop"), env=self.env(), cwd=REPO, capture_output=True, timeout=120)

    # -- the warehouse's owner ---------------------------------------------------------------------

    def start_owner(self, timeout_s: float = 180) -> None:
        self.owner = self.owner or Proc("warehouse", vigil("warehouse", "serve", "--port", str(self.port)),
                                        self.env(VIGIL_WAREHOUSE__PASSWORD=self.token), self.logs / "warehouse.log")
        self.owner.start()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self.owner.alive:
                raise RuntimeError(f"the warehouse's owner exited:\n{self.owner.tail()}")
            if self.ping():
                return
            time.sleep(0.5)
        raise RuntimeError(f"the warehouse's owner did not answer in {timeout_s:.0f}s:\n{self.owner.tail()}")

    def stop_owner(self) -> None:
        if self.owner is not None:
            self.owner.stop()

    def warehouse(self):
        """A client of the owner (clickhouse-connect over HTTP, no session: it outlives an owner restart)."""
        from vigil.warehouse.served import RemoteWarehouse

        if self._warehouse is None:
            self._warehouse = RemoteWarehouse(f"http://127.0.0.1:{self.port}", self.token, "vigil", timeout_s=120)
        return self._warehouse

    def ping(self) -> bool:
        from vigil.warehouse import WarehouseError

        try:
            return self.warehouse().scalar("SELECT 1") == 1
        except (WarehouseError, OSError):
            self._warehouse = None
            return False

    def close(self) -> None:
        if self._warehouse is not None:
            try:
                self._warehouse.close()
            except Exception:  # noqa: BLE001 - closing on the way out
                pass
        self.stop_owner()
        if self.bootstrap:
            self.stop_broker()


class Pipeline:
    """The stages of one run, on topics of their own (``prefix``) and groups of their own (``client_id``)."""

    def __init__(self, rig: Rig, name: str, *, classifiers: int = 2, classifier: str = "rules",
                 max_poll_records: int = 100, session_timeout_ms: int | None = None) -> None:
        self.rig, self.name = rig, name
        self.prefix = f"faults-{secrets.token_hex(3)}-{name}."
        self.client_id = f"faults-{name}"
        self.env = rig.env(**rig.bus_env(self.prefix, self.client_id, max_poll_records=max_poll_records,
                                         session_timeout_ms=session_timeout_ms))
        if classifier == "rules":  # the classify consumer with no model: the lexicon and known content alone
            self.env["VIGIL_CLASSIFIER__MODEL"] = "rules"
        self.procs = {f"classify-{i}": Proc(f"classify-{i}", vigil("consume", "classify"), self.env,
                                            rig.logs / f"{name}-classify-{i}.log")
                      for i in range(1, classifiers + 1)}
        self.procs["sink"] = Proc("sink", vigil("consume", "sink"), self.env, rig.logs / f"{name}-sink.log")
        self.down: set[str] = set()  # stopped on purpose: not restarted by supervise()
        self.unplanned: Counter[str] = Counter()
        self.events: list[str] = []
        self.started = time.monotonic()

    @property
    def groups(self) -> dict[str, str]:
        """Stage -> the full consumer-group name its processes join."""
        return {"classify": f"{self.client_id}.classify", "sink-documents": f"{self.client_id}.sink-raw-documents",
                "sink-classifications": f"{self.client_id}.sink-classifications"}

    def topic(self, bare: str) -> str:
        return f"{self.prefix}{bare}"

    def settings(self):
        from vigil.settings import load_settings

        return load_settings(mode="distributed", bus={"bootstrap_servers": self.rig.bootstrap,
                                                      "topic_prefix": self.prefix, "client_id": self.client_id,
                                                      "request_timeout_ms": 10_000})

    def start(self) -> "Pipeline":
        from vigil.bus.connect import prepare_topics

        prepare_topics(self.settings())
        for proc in self.procs.values():
            proc.start()
        return self

    def note(self, what: str) -> None:
        self.events.append(f"{time.monotonic() - self.started:7.1f}s {what}")

    def supervise(self) -> None:
        """Restart a stage that exited without being stopped on purpose (as `vigil up` would)."""
        for name, proc in self.procs.items():
            if name not in self.down and not proc.alive:
                code = proc.popen.returncode if proc.popen else None
                self.unplanned[name] += 1
                self.note(f"{name} exited with {code} unplanned; restarted")
                proc.start()

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.stop()


class Bus:
    """What the harness reads from the broker, with short timeouts (None while it does not answer).

    Close it (or use it as a context manager): kafka-python's clients keep a network thread that retries a broker
    that went away for as long as the client lives.
    """

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._consumer = self._admin = None

    def __enter__(self) -> Bus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.reset()

    def _clients(self):
        from kafka import KafkaAdminClient, KafkaConsumer

        if self._consumer is None:
            self._consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False,
                                           session_timeout_ms=CLIENT_TIMEOUT_MS, request_timeout_ms=CLIENT_TIMEOUT_MS + 2000,
                                           consumer_timeout_ms=CLIENT_TIMEOUT_MS)
            self._admin = KafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=CLIENT_TIMEOUT_MS)
        return self._consumer, self._admin

    def reset(self) -> None:
        for client in (self._consumer, self._admin):
            try:
                if client is not None:
                    client.close()
            except Exception:  # noqa: BLE001 - a client of a broker that went away
                pass
        self._consumer = self._admin = None

    def end_offsets(self, topic: str) -> dict[int, int] | None:
        from kafka import TopicPartition

        try:
            consumer, _ = self._clients()
            partitions = consumer.partitions_for_topic(topic) or set()
            ends = consumer.end_offsets([TopicPartition(topic, p) for p in partitions])
            return {tp.partition: offset for tp, offset in ends.items()}
        except Exception as exc:  # noqa: BLE001 - the broker is away: no answer
            self._failed(exc)
            return None

    def committed(self, group: str, topic: str) -> dict[int, int] | None:
        try:
            _, admin = self._clients()
            offsets = admin.list_group_offsets(group).get(group, {})
            return {tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == topic}
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)
            return None

    def stable_members(self, group: str) -> int:
        """Members of ``group`` once it has settled (0 while it rebalances or the broker is away)."""
        try:
            _, admin = self._clients()
            info = admin.describe_groups([group]).get(group) or {}
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)
            return 0
        state = str(info.get("group_state") or info.get("state") or "")
        return len(info.get("members") or []) if state.lower() == "stable" else 0

    def _failed(self, exc: Exception) -> None:
        from kafka.errors import KafkaConfigurationError

        self.reset()
        if isinstance(exc, (KafkaConfigurationError, TypeError, AttributeError)):  # a mistake of ours, not the broker away
            raise exc

    def records(self, topic: str) -> list:
        """Every record of ``topic`` (read with a group-less consumer, committing nothing)."""
        from kafka import KafkaConsumer, TopicPartition

        ends = self.end_offsets(topic) or {}
        reader = KafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False,
                               request_timeout_ms=30_000, consumer_timeout_ms=10_000)
        try:
            partitions = [TopicPartition(topic, p) for p in ends]
            reader.assign(partitions)
            reader.seek_to_beginning(*partitions)
            found: list = []
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and any(reader.position(tp) < ends[tp.partition] for tp in partitions):
                for batch in reader.poll(timeout_ms=1000).values():
                    found.extend(batch)
            return found
        finally:
            reader.close()


def lag(bus: Bus, group: str, topic: str) -> int | None:
    """Records of ``topic`` the group has not committed yet (None while the broker does not answer)."""
    ends, done = bus.end_offsets(topic), bus.committed(group, topic)
    if ends is None or done is None:
        return None
    return sum(max(0, end - done.get(p, 0)) for p, end in ends.items())


def moved_on(before: dict[int, int], ends: dict[int, int], now: dict[int, int]) -> bool:
    """Has every partition either committed past ``before`` or caught up with its end?"""
    return all(now.get(p, 0) > before.get(p, 0) or now.get(p, 0) >= end for p, end in ends.items())


def dead_letters(bus: Bus, topic: str) -> dict:
    """The dead letters in ``topic``: letters, distinct originals, and counts per stage, kind and reason."""
    from vigil.bus.codec import decode
    from vigil.bus.topics import Topic

    letters = [decode(Topic.dlq_sink, record.value) for record in bus.records(topic)]
    reasons = Counter(f"{d.stage}/{d.kind}: {d.reason[:70]}" for d in letters)
    return {"letters": len(letters), "originals": len({(d.topic, d.partition, d.offset) for d in letters}),
            "reasons": dict(reasons.most_common(5))}


def dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
