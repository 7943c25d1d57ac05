"""A single-node Apache Kafka 4 broker (KRaft) on 127.0.0.1, run by the project itself.

:class:`Broker` writes the broker's configuration into a work directory, formats
the storage on first start (``kafka.tools.StorageTool format --standalone``),
starts ``kafka.Kafka`` with ``java -cp <libs>/*``, waits until a metadata request
succeeds, and stops it with SIGTERM (then SIGKILL after a timeout). The same
work directory and ports restart the same broker with its data.
``vigil kafka start|stop|status`` and the pytest fixture both use it.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from vigil.bus.kafka_jars import HOW_TO_GET_A_BROKER, BrokerError, kafka_libs, kafka_version
from vigil.logs import get_logger

log = get_logger(__name__)
JVM_OPTIONS = ["-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-Djava.awt.headless=true"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def preferred_port(bootstrap_servers: str) -> int:
    """The first bootstrap server's port if it is on this machine and free, else any free port."""
    host, _, port = bootstrap_servers.split(",")[0].strip().rpartition(":")
    if host in {"127.0.0.1", "localhost"} and port.isdigit():
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", int(port)))
                return int(port)
            except OSError:
                pass
    return free_port()


def cluster_id() -> str:
    """A Kafka cluster id: 16 random bytes, URL-safe base64 (not starting with '-')."""
    while True:
        value = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        if not value.startswith("-"):
            return value


def server_properties(data_dir: Path, port: int, controller_port: int) -> str:
    """A single-node KRaft broker+controller on 127.0.0.1, sized for development and tests."""
    return "\n".join([
        "process.roles=broker,controller",
        "node.id=1",
        f"controller.quorum.bootstrap.servers=127.0.0.1:{controller_port}",
        f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        f"log.dirs={data_dir}",
        "num.partitions=3",
        "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=3",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "",
    ])


LOG4J2 = """status = error
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
"""


@dataclass(frozen=True)
class BrokerInfo:
    """What a running broker leaves in ``<workdir>/broker.json`` for `vigil kafka status|stop`."""

    pid: int
    port: int
    controller_port: int
    version: str

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"


class Broker:
    """One KRaft broker+controller process whose state lives in ``workdir``."""

    def __init__(self, workdir: Path, port: int = 0, controller_port: int = 0) -> None:
        self.workdir = Path(workdir)
        # A formatted controller remembers its own address: a work directory keeps its ports.
        previous = configured_ports(self.workdir / "server.properties")
        self.port = port or previous.get("PLAINTEXT") or free_port()
        self.controller_port = controller_port or previous.get("CONTROLLER") or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def info_file(self) -> Path:
        return self.workdir / "broker.json"

    @property
    def log_file(self) -> Path:
        return self.workdir / "broker.log"

    def _java(self, libs: Path, main: str, *args: str) -> list[str]:
        java = shutil.which("java")
        if java is None:
            raise BrokerError("java is not on PATH; " + HOW_TO_GET_A_BROKER)
        return [java, *JVM_OPTIONS, f"-Dlog4j2.configurationFile={self.workdir / 'log4j2.properties'}",
                "-cp", f"{libs}/*", main, *args]

    def start(self, timeout_s: float = 90.0) -> BrokerInfo:
        """Configure, format on first start, run, and wait until the broker answers metadata."""
        libs = kafka_libs()
        data = self.workdir / "data"
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "server.properties"
        config.write_text(server_properties(data, self.port, self.controller_port), encoding="utf-8")
        (self.workdir / "log4j2.properties").write_text(LOG4J2, encoding="utf-8")
        if not (data / "meta.properties").exists():
            command = self._java(libs, "kafka.tools.StorageTool", "format", "--standalone",
                                 "-t", cluster_id(), "-c", str(config))
            done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
            if done.returncode != 0:
                raise BrokerError(f"formatting {data} failed: {(done.stdout + done.stderr).strip()[-2000:]}")
        with self.log_file.open("ab") as out:
            self.process = subprocess.Popen(
                self._java(libs, "kafka.Kafka", str(config)), stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        info = BrokerInfo(self.process.pid, self.port, self.controller_port, kafka_version())
        try:
            self.wait_ready(timeout_s)
        except BrokerError:
            self.stop()
            raise
        self.info_file.write_text(json.dumps(asdict(info)), encoding="utf-8")
        log.info("kafka broker ready", extra={"bootstrap": self.bootstrap, "pid": info.pid})
        return info

    def wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise BrokerError(f"the broker exited with {self.process.returncode}:\n{self.log_tail()}")
            ok, last_error = answers_metadata(self.bootstrap)
            if ok:
                return
            time.sleep(0.5)
        raise BrokerError(
            f"the broker did not answer within {timeout_s:.0f}s ({last_error}):\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_file.exists():
            return "(no broker log)"
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout_s: float = 60.0) -> None:
        """SIGTERM, wait for a clean shutdown, SIGKILL if it does not come."""
        if self.process is not None:
            stop_pid(self.process.pid, timeout_s, self.process)
            self.process = None
        self.info_file.unlink(missing_ok=True)


def configured_ports(config: Path) -> dict[str, int]:
    """Listener name -> port in an existing server.properties (empty if there is none)."""
    if not config.exists():
        return {}
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.startswith("listeners="):
            return {
                name: int(port)
                for name, _, port in (item.partition("://127.0.0.1:") for item in line[10:].split(","))
            }
    return {}


def answers_metadata(bootstrap: str, timeout_s: float = 3.0) -> tuple[bool, str]:
    """Does the broker at ``bootstrap`` accept a connection and answer a metadata request?"""
    host, _, port = bootstrap.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except OSError as exc:
        return False, f"{bootstrap}: {exc}"
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout_s * 1000),
                                 bootstrap_timeout_ms=int(timeout_s * 1000))
    except KafkaError as exc:
        return False, f"{bootstrap}: {exc!r}"
    try:
        brokers = admin.describe_cluster()["brokers"]
        return bool(brokers), f"{bootstrap}: {len(brokers)} broker(s)"
    except KafkaError as exc:
        return False, f"{bootstrap}: {exc!r}"
    finally:
        admin.close()


def stop_pid(pid: int, timeout_s: float, process: subprocess.Popen | None = None) -> bool:
    """Stop process ``pid`` (SIGTERM, then SIGKILL after ``timeout_s``); False if it was not running."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _alive(pid, process):
            return True
        time.sleep(0.2)
    log.warning("broker ignored SIGTERM; killing it", extra={"pid": pid})
    os.kill(pid, signal.SIGKILL)
    if process is not None:
        process.wait(10)
    return True


def _alive(pid: int, process: subprocess.Popen | None) -> bool:
    if process is not None:
        return process.poll() is None
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child, now reaped
            return False
    except ChildProcessError:
        pass  # not our child (started by an earlier `vigil kafka start`)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def read_info(workdir: Path) -> BrokerInfo | None:
    """The broker recorded in ``workdir``, if one is running there."""
    try:
        info = BrokerInfo(**json.loads((Path(workdir) / "broker.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    return info if _alive(info.pid, None) else None
