"""Who owns an embedded warehouse directory.

chDB lets only one process open a data directory (and a process only one
directory). The owner holds an exclusive ``flock`` on ``<dir>/vigil-owner.lock``
for as long as it lives and writes who it is into that file, so that a second
opener gets a clear message naming the owner, and so that other processes can
find the owner's HTTP endpoint when it serves the warehouse
(``vigil warehouse serve``). The kernel drops the lock when the owner dies, so
a stale file never blocks anyone.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import socket
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from vigil.warehouse.base import WarehouseLockedError

LOCK_NAME = "vigil-owner.lock"


@dataclass
class OwnerInfo:
    pid: int
    host: str
    command: str
    since: str
    endpoint: str | None = None
    token: str = field(default_factory=lambda: secrets.token_hex(16))

    def describe(self) -> str:
        where = f", serving it at {self.endpoint}" if self.endpoint else ""
        return f"pid {self.pid} on {self.host} ({self.command}), since {self.since}{where}"


class OwnerLock:
    """An exclusive, process-lifetime claim on a warehouse directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / LOCK_NAME
        self.info: OwnerInfo | None = None
        self._fd: int | None = None

    def acquire(self) -> OwnerInfo:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            owner = read_owner(self.directory)
            who = owner.describe() if owner else "another process"
            hint = (
                " Connect through its endpoint (the default when it serves), or stop it first."
                if owner and owner.endpoint
                else " Stop it, or run `vigil warehouse serve` as the single owner and let others connect to it."
            )
            raise WarehouseLockedError(
                f"the embedded warehouse at {self.directory} is owned by {who}.{hint}"
            ) from None
        self._fd = fd
        self.info = OwnerInfo(
            pid=os.getpid(),
            host=socket.gethostname(),
            command=" ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[:300],
            since=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        self._write()
        return self.info

    def advertise(self, endpoint: str) -> None:
        """Record the endpoint the owner serves the warehouse at."""
        if self.info is None:
            raise RuntimeError("lock not held")
        self.info.endpoint = endpoint
        self._write()

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def _write(self) -> None:
        assert self._fd is not None and self.info is not None
        data = json.dumps(asdict(self.info)).encode()
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)
        os.fsync(self._fd)


def read_owner(directory: Path) -> OwnerInfo | None:
    """The live owner of a warehouse directory, or None when nobody holds it."""
    path = directory / LOCK_NAME
    if not path.exists():
        return None
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # held exclusively: an owner is alive; read who it is
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None  # nobody holds it: a stale file from a dead owner
        raw = os.read(fd, 65536)
    finally:
        os.close(fd)
    try:
        return OwnerInfo(**json.loads(raw))
    except (ValueError, TypeError):
        return OwnerInfo(pid=-1, host="?", command="unknown (lock file unreadable)", since="?")
