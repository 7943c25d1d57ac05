"""Test-wide fixtures: an isolated VIGIL_HOME, the service guard, and the shared warehouse."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from vigil.logs import PROJECT_LOGGERS
from vigil.settings import Settings, get_settings, load_settings

pytest_plugins = ["pytester", "tests.plugins.services", "tests.plugins.warehouse"]
for _optional in ("tests.plugins.kafka",):
    if (Path(__file__).parent / "plugins" / (_optional.rsplit(".", 1)[1] + ".py")).exists():
        pytest_plugins.append(_optional)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def vigil_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test session gets its own VIGIL_HOME; the user's data is never touched."""
    home = tmp_path_factory.mktemp("vigil-home")
    previous = os.environ.get("VIGIL_HOME")
    os.environ["VIGIL_HOME"] = str(home)
    get_settings.cache_clear()
    yield home
    if previous is None:
        os.environ.pop("VIGIL_HOME", None)
    else:
        os.environ["VIGIL_HOME"] = previous
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def project_log_levels() -> Iterator[None]:
    """A flow run in a test sets Vigil's loggers to INFO (flows.definitions.settings_from); put them back,
    or later tests log through a handler that Prefect bound to a test's captured, since closed, stderr."""
    loggers = [logging.getLogger(name) for name in PROJECT_LOGGERS]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels):
        if logger.level != level:
            logger.setLevel(level)


@pytest.fixture
def settings(vigil_home: Path) -> Settings:
    return load_settings()


def require_shared() -> Path:
    """../shared beside the checkout, whose data/ holds the training sets. Without it, a test that
    reads it skips on a developer's machine but fails under CI (``CI=true``, as ``.ci/run`` sets),
    where a silent skip would hide that the tests never ran."""
    if (SHARED / "data").is_dir():
        return SHARED
    message = f"{SHARED / 'data'} is not present (it exists only beside developers' and CI's checkouts)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI=true, so the tests that read it must run: put the data there", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (see :func:`require_shared`)."""
    return require_shared()
