"""The owner's endpoint: the part of ClickHouse's HTTP interface that clickhouse-connect uses, run on chDB.

Each request gets a new chDB connection of the owner's (so requests share no
state, as over HTTP without a session) and supports: the query in the
``query`` parameter, the body or a multipart form; ``param_*`` bound parameters
(passed to chDB as the text they arrive in, which chDB parses as ClickHouse
does); ``database``, ``default_format`` and settings; ``INSERT ... FORMAT
<fmt>`` followed by data, streamed into chDB; request bodies compressed with
``Content-Encoding`` lz4, zstd, gzip or deflate; ``/ping``; errors with
``X-ClickHouse-Exception-Code`` and ClickHouse's ``Code: N. DB::Exception``
text. Not supported: sessions, compressed responses, ClickHouse's own
``compress``/``decompress`` framing, external data. Every request, ``/ping``
included, needs the owner's token, as the password of HTTP basic auth or in
``X-ClickHouse-Key``; anything else gets a 401 or 403.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from vigil.logs import get_logger
from vigil.warehouse.embedded import EmbeddedWarehouse

log = get_logger(__name__)
MAX_QUERY_BYTES = 64 * 1024 * 1024  # a query, or a form, read whole; insert data is streamed
_STATEMENT_WINDOW = 1024 * 1024  # an INSERT's statement must end within its first MiB
_CHUNK = 1024 * 1024
# URL parameters that are part of the HTTP interface, not settings.
_NOT_SETTINGS = frozenset({
    "query", "database", "default_format", "user", "password", "quota_key", "query_id", "session_id",
    "session_timeout", "session_check", "close_session", "buffer_size", "wait_end_of_query",
    "client_protocol_version", "role", "stacktrace", "compress", "decompress",
})
_INSERT_START = re.compile(rb"\s*INSERT\s", re.IGNORECASE)
_INSERT_WITH_DATA = re.compile(rb"\s*(INSERT\s.*?)\sFORMAT\s+(\w+)[ \t]*\r?\n", re.IGNORECASE | re.DOTALL)
_SETTING_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CODE = re.compile(r"Code: (\d+)\.")


class RequestError(Exception):
    """A refused or failed request; ``message`` is ClickHouse's ``Code: N. DB::Exception: ...`` text."""

    def __init__(self, message: str, status: int = 500) -> None:
        start = message.find("Code: ")
        if start < 0 or not _CODE.match(message, start):
            message = f"Code: 1001. DB::Exception: {message.strip()}. (STD_EXCEPTION)"
            start = 0
        self.message = message[start:].strip()
        self.code = _CODE.match(self.message).group(1)  # type: ignore[union-attr]
        self.status = status
        super().__init__(self.message)


@contextlib.contextmanager
def _connection(data_dir: Path, database: str, settings: dict[str, str]) -> Iterator[Any]:
    """A new chDB connection of the owner's on ``database`` with ``settings``, so requests share no state
    (connecting to the engine the owner has open takes about 0.1 ms)."""
    import chdb

    conn = chdb.connect(str(data_dir))
    try:
        if database != "default":
            _run(conn, "USE {db:Identifier}", {"db": database})
        for name, value in settings.items():
            if not _SETTING_NAME.fullmatch(name):
                raise RequestError(f"Code: 115. DB::Exception: Unknown setting '{name}'. (UNKNOWN_SETTING)", 400)
            _run(conn, f"SET {name} = {{value:String}}", {"value": value})
        yield conn
    finally:
        conn.close()


def _run(conn: Any, sql: str, params: dict[str, str], fmt: str = "TabSeparated") -> bytes:
    """``sql``'s output, in its own ``FORMAT`` or else ``fmt``."""
    try:
        return conn.query(sql, fmt, params=params).bytes() or b""
    except Exception as exc:  # chdb.ChdbError and RuntimeError carry ClickHouse's message
        raise RequestError(str(exc)) from exc


def _insert(conn: Any, statement: str, fmt: str, data: Iterable[bytes]) -> None:
    """Stream ``data`` (encoded in ``fmt``) into ``statement`` (an INSERT without its FORMAT clause)."""
    try:
        with conn.send_insert(statement, fmt) as inserter:  # leaving without finish() cancels
            for chunk in data:
                if chunk:
                    inserter.append(chunk)
            inserter.finish()
    except RequestError:
        raise
    except Exception as exc:  # chDB's refusal, or a body that could not be read or decoded
        raise RequestError(str(exc)) from exc


class _Handler(BaseHTTPRequestHandler):
    server: "WarehouseServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("warehouse http: " + format, *args)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        try:
            self._authenticate()
            url = urlsplit(self.path)
            if url.path == "/ping":
                return self._reply(b"Ok.\n", "text/plain; charset=UTF-8")
            if url.path != "/":
                raise RequestError(f"Code: 1001. DB::Exception: no handler for {url.path}. (STD_EXCEPTION)", 404)
            self._execute(dict(parse_qsl(url.query, keep_blank_values=True)))
        except RequestError as exc:
            self._fail(exc)
        except Exception as exc:  # a malformed request or body, or the client went away
            self._fail(RequestError(f"bad request: {exc}", 400))

    def _authenticate(self) -> None:
        token = self.headers.get("X-ClickHouse-Key")
        scheme, _, credentials = self.headers.get("Authorization", "").partition(" ")
        if token is None and scheme.lower() == "basic":
            try:
                token = base64.b64decode(credentials, validate=True).decode().partition(":")[2]
            except ValueError:  # binascii.Error and UnicodeDecodeError
                token = None
        if not token:
            raise RequestError("Code: 516. DB::Exception: this warehouse needs its owner's token. "
                              "(AUTHENTICATION_FAILED)", 401)
        if not self.server.token or not hmac.compare_digest(token.encode(), self.server.token.encode()):
            raise RequestError("Code: 516. DB::Exception: wrong token for this warehouse. (AUTHENTICATION_FAILED)", 403)

    def _execute(self, args: dict[str, str]) -> None:
        if "1" in (args.get("compress"), args.get("decompress")):
            raise RequestError("Code: 48. DB::Exception: ClickHouse's own compression is not supported here; "
                              "use Content-Encoding. (NOT_IMPLEMENTED)", 400)
        body = _decoded(self._body(), self.headers.get("Content-Encoding", "identity"))
        if self.headers.get_content_type() == "multipart/form-data":
            args.update(self._form(body))
            body = iter(())
        params = {k.removeprefix("param_"): v for k, v in args.items() if k.startswith("param_")}
        settings = {k: v for k, v in args.items() if not k.startswith("param_") and k not in _NOT_SETTINGS}
        database = args.get("database") or self.headers.get("X-ClickHouse-Database") or "default"
        text = bytearray((args["query"] + "\n").encode() if args.get("query") else b"")
        insert = None
        for chunk in chain([b""], body):
            text += chunk
            if len(text) > MAX_QUERY_BYTES:
                raise RequestError("Code: 393. DB::Exception: query too large. (QUERY_IS_TOO_LARGE)", 413)
            if _INSERT_START.match(text) and (insert := _INSERT_WITH_DATA.match(text, 0, _STATEMENT_WINDOW)):
                break
        with self.server.in_flight(), _connection(self.server.data_dir, database, settings) as conn:
            if insert is not None:
                data = chain([bytes(text[insert.end():])], body)
                _insert(conn, insert.group(1).decode(), insert.group(2).decode(), data)
                output = b""
            else:
                output = _run(conn, text.decode(), params, args.get("default_format") or "TabSeparated")
        self._reply(output)

    def _body(self) -> Iterator[bytes]:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            while size := int(self.rfile.readline(1024).split(b";")[0], 16):
                yield self._read(size)
                self.rfile.readline(1024)
            while self.rfile.readline(1024).strip():  # trailers
                pass
            return
        remaining = int(self.headers.get("Content-Length") or 0)
        while remaining > 0:
            chunk = self._read(min(remaining, _CHUNK))
            remaining -= len(chunk)
            yield chunk

    def _read(self, size: int) -> bytes:
        data = self.rfile.read(size)
        if len(data) < size:
            raise ConnectionError("the request body ended early")
        return data

    def _form(self, body: Iterator[bytes]) -> dict[str, str]:
        data = bytearray(f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode())
        for chunk in body:
            data += chunk
            if len(data) > MAX_QUERY_BYTES:
                raise RequestError("Code: 393. DB::Exception: form too large. (QUERY_IS_TOO_LARGE)", 413)
        fields = {}
        for part in BytesParser(policy=HTTP).parsebytes(bytes(data)).iter_parts():  # type: ignore[attr-defined]
            if part.get_filename() is not None:
                raise RequestError("Code: 48. DB::Exception: external data is not supported. (NOT_IMPLEMENTED)", 400)
            fields[part.get_param("name", header="content-disposition")] = part.get_payload(decode=True).decode()
        return fields

    def _reply(self, body: bytes, content_type: str = "application/octet-stream") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _fail(self, error: RequestError) -> None:
        body = (error.message + "\n").encode()
        self.send_response(error.status)
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("X-ClickHouse-Exception-Code", error.code)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")  # the rest of the request body may be unread
        self.end_headers()
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client may be gone
            self.wfile.write(body)


def _decoded(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """A request body's chunks without its ``Content-Encoding`` (each of clickhouse-connect's may be several frames)."""
    if encoding == "identity":
        yield from chunks
        return
    new = _DECODERS.get(encoding)
    if new is None:
        raise RequestError(f"Code: 48. DB::Exception: Content-Encoding {encoding} is not supported. (NOT_IMPLEMENTED)",
                          400)
    decoder = new()
    for chunk in chunks:
        while chunk:
            yield decoder.decompress(chunk)
            if not decoder.eof:
                break
            chunk, decoder = decoder.unused_data, new()


def _lz4() -> Any:
    import lz4.frame

    return lz4.frame.LZ4FrameDecompressor()


def _zstd() -> Any:
    from backports import zstd

    return zstd.ZstdDecompressor()


_DECODERS: dict[str, Callable[[], Any]] = {
    "gzip": lambda: zlib.decompressobj(wbits=31), "deflate": zlib.decompressobj, "lz4": _lz4, "zstd": _zstd,
}


class WarehouseServer(ThreadingHTTPServer):
    """The owner's endpoint. :meth:`shutdown` refuses new requests, waits for those running, and stops it."""

    daemon_threads = True

    def __init__(self, warehouse: EmbeddedWarehouse, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.data_dir = warehouse.data_dir
        self.token = warehouse.owner_lock.info.token if warehouse.owner_lock.info else ""
        self.endpoint = f"http://{host}:{self.server_address[1]}"
        self._running = 0
        self._stopping = False
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def in_flight(self) -> Iterator[None]:
        """Hold the warehouse open for one request (keep-alive connections outlive the listening socket)."""
        with self._changed:
            if self._stopping:
                raise RequestError("Code: 1001. DB::Exception: the warehouse is no longer served here. "
                                  "(STD_EXCEPTION)", 503)
            self._running += 1
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify_all()

    def shutdown(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.wait_for(lambda: self._running == 0)
        super().shutdown()
        self.server_close()
