"""One report: run every benchmark, then write ``benchmarks/results.json`` and ``benchmarks/RESULTS.md``.

Each benchmark runs as a child process with a home of its own and ``--json PATH``; its figures are
gathered into one table beside their targets, under a description of the machine (CPU model, cores,
memory, GPU, load when the run began) and the date. Every figure is a ratio against a baseline
measured in the same run, or a latency; memory is listed apart. The fault section of
RESULTS.md comes from ``benchmarks/faults.json`` (``benchmarks/faults.py`` writes it), kept as it is.

    .venv/bin/python benchmarks/report.py [--quick] [--only NAME ...] [--set NAME ARGS ...] [--bootstrap HOST:PORT]

``make bench`` runs it with the benchmarks' default sizes (hours on 2 cores). ``--quick`` runs each on
a tiny input, to check that the runner and every benchmark work: its figures say nothing, and its
files are labelled quick. Without ``--bootstrap`` it starts a Kafka broker (``vigil kafka start``, on a
home of its own) for the bus and the distributed end-to-end benchmarks, and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HERE = REPO / "benchmarks"
sys.path.insert(0, str(REPO))

from benchmarks.results_md import collect, results_section, write_markdown  # noqa: E402

# name: (script, arguments of a quick run, needs Kafka, writes --json (else: prints one JSON object last)).
# storage_per_document.py has no baseline, so it is not among them (README, Benchmarks).
BENCHES: dict[str, tuple[str, list[str], bool, bool]] = {
    "bus": ("bench_bus.py", ["--messages", "300", "--rounds", "1"], True, True),
    "classify": ("bench_classify.py", ["--docs", "16", "--batch", "8", "--rounds", "2"], False, True),
    "classify_ru": ("bench_classify.py", ["--docs", "16", "--batch", "8", "--rounds", "2"], False, True),
    "crawl": ("bench_crawl.py", ["--pages", "20", "--concurrency", "2"], False, True),
    "warehouse": ("bench_warehouse.py", ["--sizes", "2000", "--sink-docs", "300", "--sink-batches", "100",
                                         "--sink-stored", "3000", "--repeats", "2", "--raw-repeats", "1"], False, True),
    "dashboards": ("bench_dashboards.py", ["--sizes", "3000", "--repeats", "2"], False, True),
    "end_to_end": ("bench_end_to_end.py", ["--pages", "40", "--latency-docs", "20", "--rate", "5"], True, True),
}

# Arguments a benchmark always gets, before its quick or given ones.
FIXED_ARGS: dict[str, list[str]] = {"classify_ru": ["--language", "ru"]}


# -- the machine ------------------------------------------------------------------------------------

def machine() -> dict:
    cpuinfo = _read("/proc/cpuinfo")
    meminfo = _read("/proc/meminfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.M)
    return {"cpu": model.group(1).strip() if model else platform.processor() or "unknown",
            "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
            "memory_gib": round(int(memory.group(1)) / 2**20, 1) if memory else None,
            "gpu": _gpu(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "kernel": platform.release()}


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _gpu() -> str:
    if shutil.which("nvidia-smi"):
        done = subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=30, check=False)
        if done.returncode == 0 and done.stdout.strip():
            return "; ".join(line.strip() for line in done.stdout.splitlines() if line.strip())
    return "none"


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" (with uncommitted changes)" if git("status", "--porcelain") else "")


# -- running ----------------------------------------------------------------------------------------

def start_broker(home: Path) -> str | None:
    """A broker for this run (`vigil kafka start` on its own home); None if it cannot start (no Java)."""
    from vigil.supervisor.parts import free_port

    env = {**_clean_env(), "VIGIL_HOME": str(home)}
    done = subprocess.run([sys.executable, "-m", "vigil", "kafka", "start", "--port", str(free_port())], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    found = re.search(r"ready at (\S+)", done.stdout)
    if not found:
        print(f"no Kafka broker: {(done.stdout + done.stderr)[-800:]}", file=sys.stderr)
    return found.group(1) if found else None


def stop_broker(home: Path) -> None:
    subprocess.run([sys.executable, "-m", "vigil", "kafka", "stop"], env={**_clean_env(), "VIGIL_HOME": str(home)},
                   cwd=REPO, capture_output=True, timeout=180, check=False)


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("VIGIL_", "PREFECT_"))}


def run_bench(name: str, work: Path, quick: bool, bootstrap: str | None, timeout_s: float | None,
              given: list[str] | None = None) -> dict:
    script, quick_args, needs_kafka, writes_json = BENCHES[name]
    out = work / f"{name}.json"
    args = FIXED_ARGS.get(name, []) + list(given if given is not None else quick_args if quick else [])
    if writes_json:
        args += ["--json", str(out)]
    if bootstrap and name in {"bus", "end_to_end"}:
        args += ["--bootstrap", bootstrap]
    if name == "end_to_end" and not bootstrap:
        args += ["--modes", "embedded"]  # no broker: the distributed run cannot happen
    home = work / f"home-{name}"
    home.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(HERE / script), *args]
    log = work / f"{name}.log"
    # each entry keeps the machine it ran on: a merged report holds runs of different days and machines
    ran_on = machine()
    began = time.monotonic()
    print(f"== {name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    try:
        with log.open("wb") as sink:
            done = subprocess.run(command, cwd=REPO, env={**_clean_env(), "VIGIL_HOME": str(home)}, stdout=sink,
                                  stderr=subprocess.STDOUT, timeout=timeout_s, check=False)
        code = done.returncode
    except subprocess.TimeoutExpired:
        code = "timeout"
    seconds = round(time.monotonic() - began, 1)
    entry = {"command": " ".join(["benchmarks/" + script, *args]).replace(str(work) + "/", ""), "seconds": seconds,
             "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": ran_on}
    text = log.read_text(errors="replace")
    try:
        entry["raw"] = json.loads(out.read_text()) if writes_json else _last_json(text)
    except (OSError, ValueError):
        entry["raw"] = None
    if code != 0 or entry["raw"] is None:
        # paths relative to the repository: the report is committed, this machine's layout is not its content
        entry["error"] = (f"exit {code}: " + "\n".join(text.splitlines()[-25:])).replace(f"{REPO}/", "")
    if name == "end_to_end" and not bootstrap:
        entry["note"] = "distributed mode not run: no Kafka broker could be started"
    print(f"   {name}: {'ok' if 'error' not in entry else 'FAILED'} in {seconds} s", file=sys.stderr, flush=True)
    return entry


def _recorded_command(argv: list[str]) -> str:
    """The command as the report records it: without ``--keep DIR``, a place on this machine."""
    kept = [a for i, a in enumerate(argv) if a != "--keep" and (i == 0 or argv[i - 1] != "--keep")]
    return "benchmarks/report.py " + " ".join(kept) if kept else "make bench"


def merged(previous_path: Path, results: dict) -> dict:
    """``results`` over the benchmarks of an earlier report (those it did not run again are kept)."""
    try:
        previous = json.loads(previous_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return results
    if previous.get("quick") != results["quick"]:
        return results  # never mix a quick run into a real one
    kept = {name: entry for name, entry in previous.get("benchmarks", {}).items() if name not in results["benchmarks"]}
    for entry in kept.values():
        entry.setdefault("date", previous.get("date"))
        entry.setdefault("machine", previous.get("machine"))
    return {**results, "command": f"{previous.get('command')}; then {results['command']} (--merge)",
            "benchmarks": {**kept, **results["benchmarks"]}}


def _last_json(text: str) -> dict:
    start = text.rfind("\n{")
    return json.loads(text[start + 1 if start >= 0 else text.index("{"):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs: check that everything runs")
    parser.add_argument("--only", nargs="+", choices=list(BENCHES), help="run only these benchmarks")
    parser.add_argument("--bootstrap", help="an existing Kafka broker; default: start one")
    parser.add_argument("--out", type=Path, default=HERE, help="where results.json and RESULTS.md go")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per benchmark (default: none; "
                                                                      "--quick: 1200)")
    parser.add_argument("--keep", type=Path, help="keep the benchmarks' logs and homes here")
    parser.add_argument("--set", nargs=2, action="append", default=[], metavar=("NAME", "ARGS"),
                        help="run benchmark NAME with these arguments instead of its defaults, e.g. --set "
                             "warehouse '--sizes 1000000' (recorded with its figures)")
    parser.add_argument("--merge", action="store_true", help="keep the other benchmarks' entries of the existing "
                                                              "results.json (each entry has its own date)")
    args = parser.parse_args()
    given = {}
    for name, text in args.set:
        if name not in BENCHES:
            parser.error(f"--set {name}: not one of {', '.join(BENCHES)}")
        given[name] = shlex.split(text)
    names = args.only or list(BENCHES)
    timeout_s = args.timeout or (1200 if args.quick else None)
    results = {"quick": args.quick, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": machine(), "commit": commit(),
               "command": _recorded_command(sys.argv[1:]),
               "benchmarks": {}}
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        bootstrap, broker_home = args.bootstrap, work / "kafka-home"
        started = False
        if bootstrap is None and any(BENCHES[n][2] for n in names):
            bootstrap = start_broker(broker_home)
            started = bootstrap is not None
        try:
            for name in names:
                results["benchmarks"][name] = run_bench(name, work, args.quick, bootstrap, timeout_s,
                                                        given.get(name))
        finally:
            if started:
                stop_broker(broker_home)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "results-quick" if args.quick and args.out == HERE else "results"
    if args.merge:
        results = merged(args.out / f"{stem}.json", results)
    collect(results)
    (args.out / f"{stem}.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    markdown = args.out / ("RESULTS-quick.md" if stem == "results-quick" else "RESULTS.md")
    write_markdown(markdown, results=results)
    print(results_section(results))
    failed = [n for n, e in results["benchmarks"].items() if "error" in e]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
