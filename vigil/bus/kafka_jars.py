"""The Apache Kafka 4 broker jars, fetched once from Maven Central and cached outside the clone.

The small pom in ``kafka_server/`` names the version; ``mvn
dependency:copy-dependencies`` copies the broker and its runtime dependencies
to ``~/.cache/vigil/kafka/<version>/libs`` (``VIGIL_KAFKA_CACHE`` moves the
cache). ``KAFKA_HOME`` pointing at an unpacked Kafka is used instead when set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import platformdirs

from vigil.bus.errors import BusError
from vigil.logs import get_logger

log = get_logger(__name__)

POM = Path(__file__).parent / "kafka_server" / "pom.xml"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies"
HOW_TO_GET_A_BROKER = (
    "the Kafka broker needs Java 17+ and either Maven (mvn, to fetch the Kafka jars from Maven "
    "Central once into ~/.cache/vigil/kafka) or KAFKA_HOME pointing at an unpacked Apache Kafka 4.x"
)


class BrokerError(BusError):
    """The broker could not be fetched, formatted, started or stopped; the message says why."""


def kafka_version() -> str:
    """The Kafka version the pom asks for (the pom is the one place it is written)."""
    found = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", POM.read_text(encoding="utf-8"))
    if not found:
        raise BrokerError(f"{POM} names no <kafka.version>")
    return found.group(1).strip()


def cache_dir() -> Path:
    return Path(os.environ.get("VIGIL_KAFKA_CACHE") or platformdirs.user_cache_dir("vigil")) / "kafka"


def kafka_libs(fetch: bool = True) -> Path:
    """The folder of broker jars: ``$KAFKA_HOME/libs``, or the Maven-fetched cache."""
    home = os.environ.get("KAFKA_HOME")
    if home:
        libs = Path(home) / "libs"
        if not any(libs.glob("kafka_2.13-*.jar")):
            raise BrokerError(f"KAFKA_HOME={home} has no libs/kafka_2.13-*.jar: not an unpacked Kafka")
        return libs
    libs = cache_dir() / kafka_version() / "libs"
    if (libs / ".complete").exists():
        return libs
    if not fetch:
        raise BrokerError(f"Kafka jars are not in {libs}; run `vigil kafka start` once to fetch them")
    return fetch_jars(libs)


def fetch_jars(libs: Path) -> Path:
    """Copy the broker's runtime jars from Maven Central into ``libs`` (atomically)."""
    if shutil.which("mvn") is None:
        raise BrokerError("Maven (mvn) is not on PATH; " + HOW_TO_GET_A_BROKER)
    partial = libs.with_name(f"libs.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    command = ["mvn", "-B", "-q", "-f", str(POM), DEPENDENCY_PLUGIN,
               f"-DoutputDirectory={partial}", "-DincludeScope=runtime"]
    log.info("fetching Kafka jars with Maven", extra={"version": kafka_version(), "into": str(libs)})
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        output = (done.stdout + done.stderr).strip().splitlines()
        raise BrokerError(
            f"`{' '.join(command)}` failed (exit {done.returncode}):\n" + "\n".join(output[-25:])
        )
    (partial / ".complete").write_text(kafka_version() + "\n")
    if (libs / ".complete").exists():  # another process won the race
        shutil.rmtree(partial, ignore_errors=True)
    else:
        shutil.rmtree(libs, ignore_errors=True)
        partial.rename(libs)
    return libs
