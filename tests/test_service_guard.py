"""The guard itself: unmarked tests cannot reach a service."""

from pathlib import Path

import pytest

from tests.plugins.services import ServiceNotMarked
from vigil.warehouse import EmbeddedWarehouse


def test_unmarked_test_cannot_open_chdb(tmp_path: Path) -> None:
    with pytest.raises(ServiceNotMarked, match="without @pytest.mark.warehouse"):
        EmbeddedWarehouse.open(tmp_path)


def test_unmarked_test_cannot_reach_a_clickhouse_server() -> None:
    import clickhouse_connect

    with pytest.raises(ServiceNotMarked, match="pytest.mark.warehouse"):
        clickhouse_connect.get_client(host="127.0.0.1", port=1)


@pytest.mark.slow  # a pytest child process
def test_unmarked_test_cannot_use_the_warehouse_fixture(pytester: pytest.Pytester,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
    pytester.makeconftest("pytest_plugins = ['tests.plugins.services', 'tests.plugins.warehouse']")
    pytester.makepyfile("def test_x(warehouse):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*needs @pytest.mark.warehouse*"])
