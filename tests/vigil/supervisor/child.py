"""A tiny child for the supervisor's tests (standard library only, so it starts in milliseconds).

    python child.py --record FILE [--port P] [--exit-after S] [--ready-after S] [--hang-file F]
                    [--ignore-term] [--grandchild]

It appends "<pid> <monotonic start>" to FILE, serves ``/healthz`` on 127.0.0.1:P (503 before
``--ready-after`` seconds; no answer at all once ``--hang-file`` holds its pid: a hung process), exits
with code 3 after ``--exit-after`` seconds, ignores SIGTERM if told, and may start a grandchild
that sleeps (to see that the supervisor ends the child's whole process group).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--record", type=Path, required=True)
parser.add_argument("--port", type=int)
parser.add_argument("--exit-after", type=float)
parser.add_argument("--ready-after", type=float, default=0.0)
parser.add_argument("--hang-file", type=Path)
parser.add_argument("--ignore-term", action="store_true")
parser.add_argument("--grandchild", action="store_true")
args = parser.parse_args()
started = time.monotonic()
with args.record.open("a") as record:
    record.write(f"{os.getpid()} {started}\n")
if args.ignore_term:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if args.grandchild:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    with args.record.with_suffix(".grandchild").open("a") as record:
        record.write(f"{sleeper.pid}\n")


class Health(BaseHTTPRequestHandler):
    def log_message(self, *_args) -> None:
        pass

    def do_GET(self) -> None:
        if args.hang_file is not None and args.hang_file.exists() and args.hang_file.read_text() == str(os.getpid()):
            time.sleep(600)
        ok = time.monotonic() - started >= args.ready_after
        self.send_response(200 if ok else 503)
        self.send_header("Content-Length", "0")
        self.end_headers()


if args.port:
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Health)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
if args.exit_after is not None:
    time.sleep(args.exit_after)
    sys.exit(3)
while True:
    time.sleep(1)
