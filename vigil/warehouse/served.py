"""One process owns the embedded warehouse and serves it to the others.

Prefect runs each flow run in a child process, the dashboards run in their own,
and chDB lets only one process open the data directory. So the owner
(``vigil warehouse serve``, or any process that calls :func:`serve`) listens on
127.0.0.1 and advertises its endpoint and a random token in the directory's
owner file (mode 0600); :func:`vigil.warehouse.connect` in any other process of
the same user finds it there and returns a :class:`RemoteWarehouse`. Query
results travel as Arrow IPC streams, inserts as JSONEachRow, so types survive.
"""

from __future__ import annotations

import hmac
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pandas as pd

from vigil.logs import get_logger
from vigil.warehouse.arrow_rows import arrow_to_rows, ipc_to_table, table_to_ipc
from vigil.warehouse.base import Params, Row, Warehouse, WarehouseError, json_each_row, to_json_value
from vigil.warehouse.embedded import EmbeddedWarehouse

log = get_logger(__name__)
TOKEN_HEADER = "X-Vigil-Token"
MAX_BODY = 512 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    server: "WarehouseServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt: str, *args: Any) -> None:  # route through our logging
        log.debug("warehouse http: " + fmt, *args)

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._reply(status, json.dumps({"error": message}).encode())

    def do_GET(self) -> None:
        if self.path == "/health":
            self._reply(200, json.dumps({"ok": True, "warehouse": self.server.warehouse.describe()}).encode())
        else:
            self._error(404, "not found")

    def do_POST(self) -> None:
        if not hmac.compare_digest(self.headers.get(TOKEN_HEADER, ""), self.server.token):
            return self._error(403, "missing or wrong token")
        length = int(self.headers.get("Content-Length", "0"))
        if length > MAX_BODY:
            return self._error(413, "request body too large")
        body = self.rfile.read(length)
        url = urlsplit(self.path)
        warehouse = self.server.warehouse
        try:
            if url.path == "/v1/insert":
                args = parse_qs(url.query)
                warehouse.insert_encoded(args["table"][0], args["columns"][0].split(","), body.decode("utf-8"))
                return self._reply(200, b"{}")
            request = json.loads(body)
            if url.path == "/v1/command":
                warehouse.command(request["sql"], request.get("params"))
                return self._reply(200, b"{}")
            if url.path == "/v1/query":
                table = warehouse.query_arrow(request["sql"], request.get("params"))
                return self._reply(200, table_to_ipc(table), "application/vnd.apache.arrow.stream")
            return self._error(404, "not found")
        except WarehouseError as exc:
            return self._error(400, str(exc))
        except (KeyError, ValueError) as exc:
            return self._error(400, f"bad request: {exc}")


class WarehouseServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, warehouse: EmbeddedWarehouse, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.warehouse = warehouse
        self.token = warehouse.owner_lock.info.token if warehouse.owner_lock.info else ""
        self.endpoint = f"http://{host}:{self.server_address[1]}"


def serve(warehouse: EmbeddedWarehouse, host: str = "127.0.0.1", port: int = 0) -> WarehouseServer:
    """Serve ``warehouse`` on a background thread and advertise it in the owner file."""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise WarehouseError("the embedded warehouse is only served on the loopback interface")
    server = WarehouseServer(warehouse, host, port)
    threading.Thread(target=server.serve_forever, name="warehouse-server", daemon=True).start()
    warehouse.owner_lock.advertise(server.endpoint)
    log.info("serving the embedded warehouse", extra={"endpoint": server.endpoint})
    return server


class RemoteWarehouse(Warehouse):
    """A client of a warehouse served by its owner process."""

    def __init__(self, endpoint: str, token: str, database: str, timeout_s: float = 300) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.database = database
        self._token = token
        self._timeout = timeout_s

    def describe(self) -> str:
        return f"embedded warehouse served at {self.endpoint} (database {self.database})"

    def _post(self, path: str, body: bytes, content_type: str = "application/json") -> bytes:
        request = urllib.request.Request(
            self.endpoint + path, data=body, method="POST",
            headers={TOKEN_HEADER: self._token, "Content-Type": content_type},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("error", str(exc))
            except ValueError:
                message = str(exc)
            raise WarehouseError(message) from None
        except OSError as exc:
            raise WarehouseError(f"cannot reach the warehouse owner at {self.endpoint}: {exc}") from exc

    def _json(self, sql: str, params: Params) -> bytes:
        params_json = {k: to_json_value(v) for k, v in (params or {}).items()}
        return json.dumps({"sql": sql, "params": params_json}).encode()

    def command(self, sql: str, params: Params = None) -> None:
        self._post("/v1/command", self._json(sql, params))

    def query(self, sql: str, params: Params = None) -> list[Row]:
        return arrow_to_rows(ipc_to_table(self._post("/v1/query", self._json(sql, params))))

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        return ipc_to_table(self._post("/v1/query", self._json(sql, params))).to_pandas()

    def _insert_batch(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        query = urlencode({"table": table, "columns": ",".join(columns)})
        self._post(f"/v1/insert?{query}", json_each_row(columns, rows).encode(), "application/x-ndjson")
