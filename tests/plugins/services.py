"""Service guard: a test that touches a service without the service's marker fails.

Following snuba's blocked services: unless a test carries the marker, the
entry points that reach the service raise :class:`ServiceNotMarked`. The
markers are declared in pyproject.toml. Other plugins (e.g. the Kafka one)
add their own entry points to ``GUARDED``.
"""

from __future__ import annotations

import importlib

import pytest


class ServiceNotMarked(pytest.fail.Exception):  # a BaseException: `except Exception` cannot swallow it
    pass


# marker -> "module:attribute" callables that reach the service
GUARDED: dict[str, list[str]] = {
    "warehouse": [
        "chdb:connect",
        # Before chdb.connect: once the session warehouse is open, open() refuses a second
        # directory with WarehouseLockedError, which would hide the missing marker.
        "vigil.warehouse.embedded:EmbeddedWarehouse.open",
        "chdb.session:Session.__init__",
        "clickhouse_connect:get_client",
    ],
    "prefect": [
        "prefect.client.orchestration:PrefectClient.__init__",
        "prefect.client.orchestration:SyncPrefectClient.__init__",
    ],
    "browser": ["selenium.webdriver:Chrome.__init__"],
}


def _resolve(target: str):
    module_name, _, attr_path = target.partition(":")
    try:
        owner = importlib.import_module(module_name)
    except ImportError:  # the extra that provides the service is not installed: nothing to guard
        return None, None
    *parents, name = attr_path.split(".")
    for part in parents:
        owner = getattr(owner, part)
    if not hasattr(owner, name):  # a stale entry would silently guard nothing
        raise AttributeError(f"service guard target {target} does not exist; update GUARDED")
    return owner, name


@pytest.fixture(autouse=True)
def _block_unmarked_services(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    for marker, targets in GUARDED.items():
        if request.node.get_closest_marker(marker) is not None:
            continue
        for target in targets:
            owner, name = _resolve(target)
            if owner is None:
                continue

            def refuse(*_args, _marker=marker, _target=target, **_kwargs):
                raise ServiceNotMarked(
                    f"this test reached {_target} without @pytest.mark.{_marker}; "
                    f"mark it so that service-backed tests are explicit",
                    pytrace=False,
                )

            monkeypatch.setattr(owner, name, refuse)
