"""Is each service these settings name reachable? Used by `vigil status`."""

from __future__ import annotations

import os
import socket
import urllib.request
from dataclasses import dataclass

from vigil.settings import Mode, Settings
from vigil.warehouse import WarehouseError, connect, read_owner


@dataclass(frozen=True)
class Check:
    service: str
    ok: bool | None  # None: not used in this mode
    detail: str


def check_tcp(host_ports: str, timeout_s: float = 2.0) -> tuple[bool, str]:
    failures = []
    for item in host_ports.split(","):
        host, _, port = item.strip().rpartition(":")
        try:
            with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout_s):
                return True, f"{item.strip()} accepts connections"
        except (OSError, ValueError) as exc:
            failures.append(f"{item.strip()}: {exc}")
    return False, "; ".join(failures)


def check_warehouse(settings: Settings) -> tuple[Check, dict[str, int]]:
    if settings.warehouse.backend == "chdb":
        owner = read_owner(settings.warehouse_path)
        if owner is not None and not owner.endpoint:
            import os

            if owner.pid != os.getpid():
                return Check("warehouse", False, f"owned by {owner.describe()}; not served"), {}
    try:
        warehouse = connect(settings)
    except WarehouseError as exc:
        return Check("warehouse", False, str(exc)), {}
    try:
        counts = warehouse.table_counts()
        return Check("warehouse", True, warehouse.describe()), counts
    except WarehouseError as exc:
        return Check("warehouse", False, f"{warehouse.describe()}: {exc}"), {}
    finally:
        warehouse.close()


def ping_warehouse(settings: Settings, timeout_s: float = 5.0) -> tuple[bool, str]:
    """Does the warehouse answer ``SELECT 1``? Never opens the embedded warehouse: in embedded mode
    it asks the owner's endpoint (or answers yes when this process is the owner)."""
    try:
        if settings.warehouse.backend == "chdb":
            owner = read_owner(settings.warehouse_path)
            if owner is None:
                return False, f"nobody owns the embedded warehouse at {settings.warehouse_path}"
            if owner.pid == os.getpid():
                return True, "owned by this process"
            if not owner.endpoint:
                return False, f"owned by {owner.describe()}; not served"
            from vigil.warehouse.served import RemoteWarehouse

            warehouse = RemoteWarehouse(owner.endpoint, owner.token, settings.warehouse.database, timeout_s)
        else:
            warehouse = connect(settings)
    except WarehouseError as exc:
        return False, str(exc)
    try:
        warehouse.query("SELECT 1")
        return True, warehouse.describe()
    except WarehouseError as exc:
        return False, str(exc)
    finally:
        warehouse.close()


def check_prefect(api_url: str | None, timeout_s: float = 3.0) -> Check:
    if not api_url:
        return Check("prefect", None, "no PREFECT API URL set: flows run in a local ephemeral Prefect")
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=timeout_s) as response:
            return Check("prefect", response.status == 200, f"{api_url} answered {response.status}")
    except OSError as exc:
        return Check("prefect", False, f"{api_url}: {exc}")


def check_all(settings: Settings) -> tuple[list[Check], dict[str, int]]:
    warehouse_check, counts = check_warehouse(settings)
    if settings.mode is Mode.distributed:
        ok, detail = check_tcp(settings.bus.bootstrap_servers)
        kafka = Check("kafka", ok, detail)
    else:
        kafka = Check("kafka", None, "embedded mode: stages are wired in process")
    return [warehouse_check, kafka, check_prefect(settings.flows.prefect_api_url)], counts
