"""The benchmark report (benchmarks/report.py) renders what the benchmarks write, without running them."""

from __future__ import annotations

from pathlib import Path

from benchmarks import results_md
from benchmarks.bench_end_to_end import delays
from benchmarks.report import machine

RAW = {
    "bus": {"messages": 300, "rounds": 1, "produce": {"bus_msg_per_s": 900, "plain_msg_per_s": 1000, "ratio": 0.9},
            "consume": {"bus_msg_per_s": 700, "plain_msg_per_s": 1000, "ratio": 0.7}},
    "crawl": {"pages": 20, "bare": {"pages_per_s": 10.0, "steady_pages_per_s": 12.0, "peak_rss_mb": 80},
              "full": {"docs_per_s": 6.0, "steady_docs_per_s": 7.0, "peak_rss_mb": 100},
              "ratio_end_to_end": 0.6, "ratio_steady": 0.58},
    "dashboards": {"pages_10000000": {"documents": 10_000_000, "worst": {"page": "overview", "p95_ms": 250.0,
                                                                         "ratio": 0.83}}},
    "end_to_end": {"modes": {
        "embedded": {"ready_s": 40.0, "throughput": {"documents": 40, "docs_per_s": 4.0, "bare_pages_per_s": 20.0,
                                                     "ratio": 0.2},
                     "latency": {"documents": 20, "rate": 5, "poll_s": 0.5, "p50_s": 3.5, "p95_s": 5.5},
                     "memory": {"warehouse": {"peak_rss_mb": 400, "descendant_peak_rss_mb": 0, "descendant": ""}}},
        "distributed": {"error": "RuntimeError: no broker"}}},
}
FAULTS = {"date": "2026-11-30T00:00:00+00:00", "machine": {"cpu": "x", "cores": 2, "usable_cores": 2,
                                                           "memory_gib": 8, "gpu": "none", "load_average": [1, 1, 1]},
          "options": {"documents": 500, "rate": 100, "bad_every": 200, "classifiers": 2, "classifier": "rules",
                      "crawl_pages": 700, "up_mode": "embedded", "up_pages": 150},
          "results": [{"fault": "kill-sink", "injected": "SIGKILL sink x2", "documents_in": 500, "stored": 500,
                       "rows_before_dedup": 500, "duplicates_after_dedup": 0, "missing": 0, "classified": 500,
                       "dead_letters": {"sink": {"originals": 2, "reasons": {"sink/decode: bad": 1}}},
                       "unplanned_restarts": {}, "recover_s": 6.5, "ok": True},
                      {"fault": "broker-restart", "error": "TimeoutError: x", "ok": False}]}


def test_figures_beside_their_targets(tmp_path: Path) -> None:
    results = {"quick": True, "date": "2026-11-30", "machine": machine(), "commit": "abc", "command": "x",
               "benchmarks": {name: {"raw": raw, "command": name, "seconds": 1.0} for name, raw in RAW.items()}}
    results["benchmarks"]["warehouse"] = {"error": "exit 1: boom", "raw": None, "command": "w", "seconds": 2.0}
    results_md.collect(results)
    path = tmp_path / "RESULTS.md"
    results_md.write_markdown(path, results=results, faults=FAULTS)
    text = path.read_text()
    assert "**Quick run**" in text and " cores (" in text
    assert "| bus | produce: bus / plain kafka-python, msg/s | 0.90 | ≥ 0.80 | ok |" in text
    assert "| bus | consume: bus / plain kafka-python, msg/s | 0.70 | ≥ 0.80 | **below target** |" in text
    assert "| warehouse | (did not complete) |" in text and "**failed**" in text
    assert "embedded: fetch to dashboard-visible p50 / p95 | 3.5 / 5.5 s" in text
    assert "| embedded | warehouse | 400 MiB |" in text and "distributed: end to end | failed" in text
    assert "| kill-sink | SIGKILL sink x2 | 500 | 500 |" in text and "**error**: TimeoutError" in text


def test_a_ratio_just_below_its_floor_is_not_shown_as_reaching_it() -> None:
    assert results_md.floor_row("f", 0.6983, 0.7)["value"] == "0.698"
    assert results_md.floor_row("f", 0.6983, 0.7)["ok"] is False
    assert results_md.floor_row("f", 0.7012, 0.7)["value"] == "0.70"
    assert results_md.floor_row("f", 0.6912, 0.7)["value"] == "0.69"
    assert results_md.floor_row("f", 0.69996, 0.7)["value"] == "0.69996"
    assert results_md.floor_row("f", 0.85, 0.85)["ok"] is True


def test_fault_section_kept_when_the_benchmarks_rerun(tmp_path: Path) -> None:
    import json

    (tmp_path / "faults.json").write_text(json.dumps(FAULTS))
    results_md.write_markdown(tmp_path / "RESULTS.md")  # no results.json yet
    text = (tmp_path / "RESULTS.md").read_text()
    assert "No benchmark run yet" in text and "## Faults" in text and "| kill-sink |" in text


def test_delay_of_the_ith_document_fetched_is_to_the_first_poll_listing_i() -> None:
    fetched = [10.0, 11.0, 12.0]
    polls = [(10.5, 0), (11.5, 1), (13.0, 3)]
    assert delays(fetched, polls) == [1.5, 2.0, 1.0]
    assert delays(fetched, [(20.0, 2)]) == [10.0, 9.0]  # the third never became visible


def test_a_merged_report_keeps_what_it_did_not_run_again(tmp_path) -> None:
    import json

    from benchmarks.report import merged

    earlier = {"quick": False, "date": "2026-11-30T20:00:00+00:00", "command": "make bench",
               "benchmarks": {"bus": {"command": "bench_bus.py", "seconds": 90, "error": "exit 1"},
                              "crawl": {"command": "bench_crawl.py", "seconds": 60, "raw": {"pages": 600}}}}
    path = tmp_path / "results.json"
    path.write_text(json.dumps(earlier))
    again = {"quick": False, "date": "2026-11-30T22:00:00+00:00", "command": "benchmarks/report.py --only bus",
             "benchmarks": {"bus": {"command": "bench_bus.py", "seconds": 80, "raw": {"messages": 20000}}}}
    result = merged(path, again)
    assert result["benchmarks"]["bus"] == again["benchmarks"]["bus"]  # the new run replaces the failed one
    assert result["benchmarks"]["crawl"]["raw"] == {"pages": 600}
    assert result["benchmarks"]["crawl"]["date"] == "2026-11-30T20:00:00+00:00"  # dated by the run that made it
    assert "make bench" in result["command"] and "--only bus" in result["command"]
    assert merged(path, {**again, "quick": True}) == {**again, "quick": True}  # a quick run is never mixed in
    assert merged(tmp_path / "none.json", again) == again


def test_a_merged_report_names_the_machine_each_benchmark_ran_on(tmp_path) -> None:
    import json

    from benchmarks.report import merged

    base = {**FAULTS["machine"], "python": "3.11", "kernel": "6"}
    epyc = {**base, "cpu": "AMD EPYC", "load_average": [0.2, 0.3, 0.4]}
    xeon = {**base, "cpu": "Intel Xeon", "load_average": [1.5, 1.0, 0.5]}
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"quick": False, "date": "2026-12-01", "command": "make bench", "machine": epyc,
                                "benchmarks": {"bus": {"command": "bench_bus.py", "seconds": 25,
                                                       "raw": RAW["bus"]}}}))
    again = {"quick": False, "date": "2026-12-04", "command": "benchmarks/report.py --only crawl", "commit": "abc",
             "machine": xeon, "benchmarks": {"crawl": {"command": "bench_crawl.py", "seconds": 11, "raw": RAW["crawl"],
                                                       "machine": xeon}}}
    result = merged(path, again)
    # an entry written before entries kept their machine takes the machine of the report it came from
    assert result["benchmarks"]["bus"]["machine"]["cpu"] == "AMD EPYC"
    results_md.collect(result)
    text = results_md.results_section(result)
    header = next(line for line in text.splitlines() if line.startswith("| machine |"))
    assert "AMD EPYC" in header and "(bus)" in header and "Intel Xeon" in header and "(crawl)" in header
    assert "on AMD EPYC, load 0.2 0.3 0.4" in text and "on Intel Xeon, load 1.5 1.0 0.5" in text
    alone = {**again, "benchmarks": {"crawl": again["benchmarks"]["crawl"]}}
    results_md.collect(alone)
    assert "| machine | Intel Xeon, 2 cores (2 usable), 8 GiB memory, GPU: none |" in results_md.results_section(alone)


def test_the_sink_floor_holds_only_if_the_best_and_the_typical_rounds_reach_it() -> None:
    sink = {"batch": 10_000, "sink_docs_per_s": 18_000, "plain_insert_docs_per_s": 23_000,
            "sink_redelivery_docs_per_s": 30_000, "sink_vs_plain_ratio": 0.78, "sink_vs_plain_ratio_of_medians": 0.67,
            "sink_vs_plain_ratio_per_round": [0.6, 0.67, 0.78]}
    first = results_md.figures_warehouse({"sink": sink})[0]
    assert (first["value"], first["ok"]) == ("0.67", False)
    assert "best of each 0.78, of the rounds' medians 0.67, each round's 0.60 to 0.78 (3 rounds)" in first["baseline"]
    both = results_md.figures_warehouse({"sink": {**sink, "sink_vs_plain_ratio_of_medians": 0.72}})[0]
    assert (both["value"], both["ok"]) == ("0.72", True)
