"""The owner's endpoint: ClickHouse's HTTP interface (the part clickhouse-connect uses) over the owner's chDB,
never without the owner's token. Also the server backend of `connect`, pointed at it."""

from __future__ import annotations

import base64
import gzip
import http.client
import threading
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import lz4.frame
import pytest
from backports import zstd

from tests.vigil.warehouse.conftest import run_child
from vigil.warehouse import EmbeddedWarehouse, Warehouse, WarehouseError, connect
from vigil.warehouse.served import RemoteWarehouse
from vigil.warehouse.server import ServerWarehouse

pytestmark = pytest.mark.warehouse


@pytest.fixture
def owner(warehouse: EmbeddedWarehouse, _served_warehouse: Warehouse) -> tuple[str, str]:
    """(endpoint, token) of the session warehouse, served."""
    info = warehouse.owner_lock.info
    assert info is not None and info.endpoint
    return info.endpoint, info.token


def _request(endpoint: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
             token: str | None = None, method: str = "POST") -> tuple[int, str | None, bytes]:
    url = urlsplit(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(f"vigil:{token}".encode()).decode()
    try:
        conn.request(method, path, body=body, headers=headers, encode_chunked=not isinstance(body, (bytes, type(None))))
        response = conn.getresponse()
        return response.status, response.getheader("X-ClickHouse-Exception-Code"), response.read()
    finally:
        conn.close()


def _query(**args: str) -> str:
    return "/?" + urlencode(args)


def test_every_request_needs_the_token(owner: tuple[str, str]) -> None:
    endpoint, token = owner
    for path in ("/ping", _query(query="SELECT 1")):
        assert _request(endpoint, path, method="GET")[:2] == (401, "516")
        assert _request(endpoint, path, method="GET", token="not-the-token")[:2] == (403, "516")
        assert _request(endpoint, path, method="GET", headers={"X-ClickHouse-Key": token[:-1]})[:2] == (403, "516")
        assert _request(endpoint, path, method="GET", headers={"Authorization": "Basic !!"})[:2] == (401, "516")
        assert _request(endpoint, path, method="GET", token=token)[0] == 200
    assert _request(endpoint, "/ping", method="GET", headers={"X-ClickHouse-Key": token}) == (200, None, b"Ok.\n")
    with pytest.raises(WarehouseError, match="AUTHENTICATION_FAILED"):
        RemoteWarehouse(endpoint, "not-the-token", "vigil_test")
    with pytest.raises(WarehouseError, match="AUTHENTICATION_FAILED"):
        RemoteWarehouse(endpoint, "", "vigil_test")


def test_the_http_interface_clickhouse_clients_use(owner: tuple[str, str], warehouse: Warehouse) -> None:
    endpoint, token = owner
    warehouse.command("CREATE TABLE IF NOT EXISTS http_rows (n UInt32, s String) ENGINE = MergeTree ORDER BY n")
    warehouse.command("TRUNCATE TABLE http_rows")

    # Query in the body, bound parameters as text, default format TabSeparated.
    status, _, body = _request(endpoint, _query(param_x="41", param_s="a\\tb"), b"SELECT {x:UInt8} + 1, {s:String}",
                               token=token)
    assert (status, body) == (200, b"42\ta\\tb\n")
    # INSERT in the query parameter, data in a chunked body; database and default_format parameters.
    insert = _query(query="INSERT INTO http_rows (n, s) FORMAT TabSeparated", database="vigil_test")
    chunks = iter([b"1\tone\n2\t", b"two\n", b"3\tthree\n"])
    assert _request(endpoint, insert, chunks, token=token)[0] == 200
    status, _, body = _request(endpoint, _query(database="vigil_test", default_format="JSONEachRow"),
                               b"SELECT n, s FROM http_rows ORDER BY n", token=token)
    assert body.splitlines() == [b'{"n":1,"s":"one"}', b'{"n":2,"s":"two"}', b'{"n":3,"s":"three"}']
    # Statement and data in the body.
    assert _request(endpoint, _query(database="vigil_test"), b"INSERT INTO http_rows FORMAT CSV\n4,four\n",
                    token=token)[0] == 200
    assert warehouse.scalar("SELECT groupArray(s) FROM (SELECT s FROM http_rows ORDER BY n)") == \
        ["one", "two", "three", "four"]
    # Settings apply to their request only.
    too_many = _query(database="vigil_test", max_result_rows="1", result_overflow_mode="throw")
    assert _request(endpoint, too_many, b"SELECT n FROM http_rows", token=token)[:2] == (500, "396")
    assert _request(endpoint, _query(database="vigil_test"), b"SELECT count() FROM http_rows",
                    token=token)[2] == b"4\n"
    # Errors as ClickHouse reports them.
    status, code, body = _request(endpoint, _query(no_such_setting="1"), b"SELECT 1", token=token)
    assert (status, code) == (500, "115") and body.startswith(b"Code: 115. DB::Exception:")
    status, code, body = _request(endpoint, "/", b"SELECT * FROM nowhere", token=token)
    assert (status, code) == (500, "60") and b"(UNKNOWN_TABLE)" in body
    for encoding, compress in (("gzip", gzip.compress), ("lz4", lz4.frame.compress), ("zstd", zstd.compress)):
        two_frames = compress(b"SELECT 6 ") + compress(b"+ 1")  # clickhouse-connect sends a frame per block
        assert _request(endpoint, "/", two_frames, {"Content-Encoding": encoding}, token=token)[2] == b"7\n"
    assert _request(endpoint, "/", b"SELECT 1", {"Content-Encoding": "br"}, token=token)[:2] == (400, "48")
    assert _request(endpoint, "/elsewhere", b"SELECT 1", token=token)[0] == 404


def test_each_client_works_from_several_threads_at_once(each_warehouse: Warehouse) -> None:
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(15):
                assert each_warehouse.scalar("SELECT {a:UInt32} * 2", {"a": n * 100 + i}) == 2 * (n * 100 + i)
                each_warehouse.insert("pipeline_counts", [{"run_id": f"r{n}", "hour": "2026-06-30 09:00:00",
                                                           "stage": "crawled", "count": 1}])
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert each_warehouse.scalar("SELECT sum(count) FROM pipeline_counts") == 60


def test_the_server_backend_of_connect(owner: tuple[str, str], warehouse: Warehouse) -> None:
    """`connect` with backend "server" is a clickhouse-connect HTTP client; here its server is the endpoint."""
    from vigil.settings import load_settings

    endpoint, token = owner
    port = urlsplit(endpoint).port
    settings = load_settings(warehouse={"backend": "server", "host": "127.0.0.1", "port": port,
                                        "username": "vigil", "password": token, "database": "vigil_test"})
    with connect(settings) as server:
        assert isinstance(server, ServerWarehouse)
        assert server.describe() == f"ClickHouse server http://127.0.0.1:{port} (database vigil_test)"
        server.insert("pipeline_counts", [{"run_id": "srv", "hour": "2026-06-30 09:00:00", "stage": "crawled",
                                           "count": 5}])
        assert server.table_counts()["pipeline_counts"] == 1
    assert warehouse.scalar("SELECT count FROM pipeline_counts WHERE run_id = 'srv'") == 5
    wrong = load_settings(warehouse={"backend": "server", "host": "127.0.0.1", "port": port, "password": "nope"})
    with pytest.raises(WarehouseError, match="cannot reach ClickHouse server"):
        connect(wrong)


def test_the_owner_stops_serving_when_it_closes(tmp_path: Path) -> None:
    script = run_child(f"""
        from vigil.warehouse import EmbeddedWarehouse, WarehouseError
        from vigil.warehouse.served import RemoteWarehouse, serve
        wh = EmbeddedWarehouse.open({str(tmp_path)!r})
        server = serve(wh)
        token = wh.owner_lock.info.token
        with RemoteWarehouse(server.endpoint, token, "vigil") as client:
            print(client.scalar("SELECT 1"))
        wh.close()
        try:
            RemoteWarehouse(server.endpoint, token, "vigil")
        except WarehouseError as exc:
            print("refused")
    """)
    assert script.returncode == 0, script.stderr
    assert script.stdout.split() == ["1", "refused"]
