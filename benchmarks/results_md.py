"""RESULTS.md from what the benchmarks wrote: each figure beside its target and its baseline, the memory
of each long-running process, and the fault section (``benchmarks/faults.py``'s table)."""

from __future__ import annotations

import json
from pathlib import Path

# -- figures ----------------------------------------------------------------------------------------

def row(figure: str, value: str, target: str = "—", ok: bool | None = None, baseline: str = "") -> dict:
    return {"figure": figure, "value": value, "target": target, "ok": ok, "baseline": baseline}


def floor_row(figure: str, value: float, floor: float, baseline: str = "") -> dict:
    """A ratio that must reach ``floor``: two decimals, or as many more as it takes not to round a miss up to the
    target (0.698 is below 0.70 and is shown as such, not as "0.70, below target")."""
    digits = 2
    while value < floor <= round(value, digits) and digits < 6:
        digits += 1
    text = f"{value:.{digits}f}"
    return row(figure, text, f"≥ {floor:.2f}", value >= floor, baseline)


def figures_bus(raw: dict) -> list[dict]:
    return [floor_row(f"{step}: bus / plain kafka-python, msg/s", raw[step]["ratio"], 0.8,
                      f"bus {raw[step]['bus_msg_per_s']:,} vs plain {raw[step]['plain_msg_per_s']:,}"
                      f" msg/s, {raw['messages']:,} messages")
            for step in ("produce", "consume")]


def _rounds(run: dict) -> str:
    """The passes behind a classify ratio: best of each, with each round's ratio (runs before rounds had one)."""
    each = sorted(run.get("stage_over_bare_per_round") or [])
    if len(each) < 2:
        return ""
    return (f"; best of each, the lower of that and the rounds' medians; each round's {each[0]:.2f} to "
            f"{each[-1]:.2f} ({len(each)} rounds, stage and bare alternating)")


def figures_classify(raw: dict) -> list[dict]:
    rows = []
    for run in raw["runs"]:
        what = f"{run['model']} {run['precision']}, {raw.get('language', 'en')}"
        rows.append(floor_row(f"stage / bare forward, docs/s ({what})", run["stage_over_bare"], 0.85,
                              f"stage {run['stage_docs_per_s']} docs/s "
                              f"({run['stage_tokens_per_s']:,} tokens/s) vs bare {run['bare_docs_per_s']} docs/s "
                              f"({run['bare_tokens_per_s']:,} tokens/s)" + _rounds(run)))
        rows.append(row(f"latency per batch p50 / p95 ({what})", f"{run['stage_p50_ms']:.0f} / {run['stage_p95_ms']:.0f} ms"))
    fp32, bf16 = raw["runs"][0], raw["runs"][-1]
    rows.append(row(f"bf16 / fp32 stage docs/s ({raw.get('language', 'en')})", f"{bf16['stage_docs_per_s'] / fp32['stage_docs_per_s']:.2f}",
                    baseline=f"fp32 {fp32['stage_docs_per_s']} docs/s"))
    if raw.get("baseline"):
        rows.append(row(f"fine-tuned / frozen-encoder model, stage docs/s ({raw.get('language', 'en')})",
                        f"{fp32['stage_docs_per_s'] / raw['baseline']['stage_docs_per_s']:.2f}",
                        baseline=f"{raw['baseline']['model']} {raw['baseline']['stage_docs_per_s']} docs/s"))
    if raw.get("group_check"):
        check = raw["group_check"]
        rows.append(row(f"stage with / without group swaps, a quarter hostile and naming a group "
                        f"({raw.get('language', 'en')})", f"{check['with_over_without']:.2f}",
                        baseline=f"{check['with_docs_per_s']} vs {check['without_docs_per_s']} docs/s"))
    return rows


def figures_crawl(raw: dict) -> list[dict]:
    bare, full = raw["bare"], raw["full"]
    return [row("full pipeline / bare Scrapy, docs/s end to end", f"{raw['ratio_end_to_end']:.2f}",
                baseline=f"{full['docs_per_s']} vs {bare['pages_per_s']} pages/s, {raw['pages']} pages"),
            floor_row("full pipeline / bare Scrapy, docs/s steady state", raw["ratio_steady"], 0.5,
                      f"{full['steady_docs_per_s']} vs {bare['steady_pages_per_s']} pages/s"),
            row("crawl peak RSS, full / bare", f"{full['peak_rss_mb'] / max(bare['peak_rss_mb'], 1):.2f}",
                baseline=f"{full['peak_rss_mb']} vs {bare['peak_rss_mb']} MiB")]


def figures_warehouse(raw: dict) -> list[dict]:
    sink = raw["sink"]
    best = sink["sink_vs_plain_ratio"]
    medians = sink.get("sink_vs_plain_ratio_of_medians", best)
    spread = ""
    if "sink_vs_plain_ratio_per_round" in sink:  # plain inserts with the collector on vary from round to round
        each = sink["sink_vs_plain_ratio_per_round"]
        spread = (f"; best of each {best:.2f}, of the rounds' medians {medians:.2f}, each round's "
                  f"{each[0]:.2f} to {each[-1]:.2f} ({len(each)} rounds)")
    # The floor holds only if it holds both ways: the best passes of each side, and the typical ones.
    rows = [floor_row(f"sink / plain inserts, docs/s (first pass, batches of {sink.get('batch', 2000):,}; "
                      "the lower of best of each and the rounds' medians)", min(best, medians), 0.7,
                      f"sink {sink['sink_docs_per_s']:,} vs plain {sink['plain_insert_docs_per_s']:,} docs/s{spread}"),
            row("sink redelivery / plain inserts, docs/s",
                f"{sink['sink_redelivery_docs_per_s'] / sink['plain_insert_docs_per_s']:.2f}",
                baseline=f"redelivery {sink['sink_redelivery_docs_per_s']:,} docs/s")]
    if "sink_vs_plain_paused_ratio" in sink:  # the share of the ratio that pausing the collector buys
        rows.append(row("sink / plain inserts with the collector paused as the sink pauses it",
                        f"{sink['sink_vs_plain_paused_ratio']:.2f}",
                        baseline=f"plain, paused {sink['plain_paused_ms_per_batch']} vs plain "
                                 f"{sink['plain_ms_per_batch']} ms per batch"))
    for batch, other in raw.get("sink_by_batch", {}).items():
        rows.append(row(f"sink / plain inserts, batches of {int(batch):,}", f"{other['sink_vs_plain_ratio']:.2f}",
                        baseline=f"sink {other['sink_docs_per_s']:,} vs plain {other['plain_insert_docs_per_s']:,} docs/s"))
    for stored, other in raw.get("sink_over_stored", {}).items():  # the lookups read the stored tables
        lookups = sum(ms for what, ms in other["sink_cost_ms_per_batch"].items() if "lookup" in what)
        medians = (f" (of the rounds' medians {other['sink_vs_plain_ratio_of_medians']:.2f})"
                   if "sink_vs_plain_ratio_of_medians" in other else "")
        rows.append(row(f"sink / plain inserts over {int(stored):,} stored documents, batches of {other['batch']:,}",
                        f"{other['sink_vs_plain_ratio']:.2f}",
                        baseline=f"sink {other['sink_ms_per_batch']} vs plain {other['plain_ms_per_batch']} ms per "
                                 f"batch{medians}, of which key lookups {lookups:.0f} ms; redelivery "
                                 f"{other['sink_redelivery_docs_per_s']:,} docs/s"))
    if "sink_cost_ms_per_batch" in sink:  # where a first-pass batch's time goes, and what each part buys
        rows.append(row(f"sink ms per batch of {sink['batch']:,} (plain {sink['plain_ms_per_batch']} ms)",
                        f"{sink['sink_ms_per_batch']} ms",
                        baseline="; ".join(f"{what} {ms}" for what, ms in sink["sink_cost_ms_per_batch"].items())))
    for key, result in raw.items():
        if not key.startswith("queries_"):
            continue
        n = result["documents"]
        worst = max(q["aggregate"]["p95_ms"] for q in result["queries"].values())
        least = min(result["queries"].items(), key=lambda kv: kv[1]["speed_up_p50"])
        rows.append(row(f"worst dashboard query p95, aggregates, {n:,} docs", f"{worst:.0f} ms", "< 500 ms at 10M",
                        worst < 500 if n >= 10_000_000 else None))
        rows.append(row(f"raw scan / aggregate p50, least speed-up, {n:,} docs", f"{least[1]['speed_up_p50']:.1f}×",
                        baseline=f"{least[0]}: raw {least[1]['raw']['p50_ms']} ms"))
    return rows


def figures_dashboards(raw: dict) -> list[dict]:
    rows = []
    for key, result in raw.items():
        if key.startswith("pages_"):
            n, worst = result["documents"], result["worst"]
            rows.append(row(f"worst page p95 ({worst['page']}), {n:,} docs", f"{worst['p95_ms']:.0f} ms",
                            "< 300 ms at 10M", worst["p95_ms"] < 300 if n >= 10_000_000 else None,
                            f"p95 / target {worst['ratio']:.2f}"))
    return rows


def figures_end_to_end(raw: dict) -> list[dict]:
    rows = []
    for mode, result in raw.get("modes", {}).items():
        if "error" in result:
            rows.append(row(f"{mode}: end to end", "failed", baseline=result["error"][:120]))
            continue
        t, lat = result["throughput"], result["latency"]
        rows.append(row(f"{mode}: crawl to dashboard-visible / bare Scrapy fetch, docs/s", f"{t['ratio']:.2f}",
                        baseline=f"{t['docs_per_s']} docs/s end to end ({t['documents']} pages) vs bare "
                        f"{t['bare_pages_per_s']} pages/s"))
        rows.append(row(f"{mode}: fetch to dashboard-visible p50 / p95", f"{lat['p50_s']:.1f} / {lat['p95_s']:.1f} s",
                        baseline=f"{lat['documents']} docs crawled at ~{lat['rate']:g}/s; polled every {lat['poll_s']} s"))
        rows.append(row(f"{mode}: vigil up, start to every part ready", f"{result['ready_s']:.0f} s"))
    return rows


FIGURES = {"bus": figures_bus, "classify": figures_classify, "classify_ru": figures_classify, "crawl": figures_crawl, "warehouse": figures_warehouse,
           "dashboards": figures_dashboards, "end_to_end": figures_end_to_end}


def collect(results: dict) -> None:
    """Add each benchmark's ``figures`` (rows of the table) to its entry."""
    for name, entry in results["benchmarks"].items():
        if entry.get("raw") is not None and name in FIGURES:
            try:
                entry["figures"] = FIGURES[name](entry["raw"])
            except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
                entry["figures"] = [row("(figures)", "unreadable", baseline=f"{type(exc).__name__}: {exc}")]


# -- rendering --------------------------------------------------------------------------------------

def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def describe(machine_info: dict) -> str:
    return (f"{machine_info['cpu']}, {machine_info['cores']} cores ({machine_info['usable_cores']} usable), "
            f"{machine_info['memory_gib']} GiB memory, GPU: {machine_info['gpu']}")


def machines(results: dict) -> str:
    """Which machine ran which benchmark: a merged report holds runs of different days and machines."""
    by_machine: dict[str, list[str]] = {}
    for name, entry in results["benchmarks"].items():
        by_machine.setdefault(describe(entry.get("machine") or results["machine"]), []).append(name)
    if len(by_machine) == 1:
        return next(iter(by_machine))
    return "; ".join(f"{text} ({', '.join(names)})" for text, names in by_machine.items())


def _ran_on(entry: dict) -> str:
    m = entry.get("machine")
    return f", on {m['cpu']}, load {' '.join(map(str, m['load_average']))}" if m else ""


def results_section(results: dict) -> str:
    m = results["machine"]
    lines = ["# Benchmark results", ""]
    if results.get("quick"):
        lines += ["**Quick run**: every benchmark on a tiny input (`benchmarks/report.py --quick`), to check that "
                  "they all run. These figures measure nothing; `make bench` gives the real ones.", ""]
    lines += ["| | |", "|---|---|", f"| date (latest run) | {results['date']} |",
              f"| machine | {_cell(machines(results))} |",
              f"| load average when the latest run began | {' '.join(map(str, m['load_average']))} (other work on the "
              "machine slows every figure; each benchmark's own is in the list of commands) |",
              f"| Python, kernel | {m['python']}, {m['kernel']} |",
              f"| commit | {results['commit']} |", f"| command | `{results['command']}` |", "",
              "## Figures", "",
              "Each figure is a ratio against a baseline measured in the same run, or a latency.", "",
              "| benchmark | figure | value | target | verdict | baseline (same run) |", "|---|---|---|---|---|---|"]
    for name, entry in results["benchmarks"].items():
        if "error" in entry and not entry.get("figures"):
            lines.append(f"| {name} | (did not complete) | – | – | **failed** | {_cell(entry['error'][-200:])} |")
            continue
        for r in entry.get("figures", []):
            verdict = {True: "ok", False: "**below target**", None: "–"}[r["ok"]]
            lines.append(f"| {name} | {_cell(r['figure'])} | {_cell(r['value'])} | {_cell(r['target'])} | {verdict} "
                         f"| {_cell(r['baseline'])} |")
    lines += ["", "## Memory", "",
              "Peak RSS (VmHWM) of each long-running process `vigil up` started, sampled every 2 s from "
              "`<home>/run/up.json` during the end-to-end benchmark, with the largest of its descendants "
              "(a flow run and its crawl, under the scheduler; Prefect's server, under `prefect`).", "",
              "| mode | part | peak RSS | largest descendant |", "|---|---|---|---|"]
    e2e = (results["benchmarks"].get("end_to_end") or {}).get("raw") or {}
    for mode, result in e2e.get("modes", {}).items():
        for part, memory in result.get("memory", {}).items():
            below = (f"{memory['descendant_peak_rss_mb']} MiB ({_cell(memory['descendant'])})"
                     if memory.get("descendant") else "–")
            lines.append(f"| {mode} | {part} | {memory['peak_rss_mb']} MiB | {below} |")
    if e2e.get("external_broker") and "distributed" in e2e.get("modes", {}):
        lines.append("| distributed | kafka | (the broker the runner started, not a child of `vigil up`: not measured) "
                     "| – |")
    for name in ("classify", "classify_ru"):
        classify = (results["benchmarks"].get(name) or {}).get("raw") or {}
        if classify.get("peak_rss_mb"):
            lines.append(f"| – | classify stage alone, {classify.get('language', 'en')} (bench_classify, fresh process; "
                         f"target < 2048 MiB) | {classify['peak_rss_mb']} MiB | – |")
    notes = [f"- {name}: {entry['note']}" for name, entry in results["benchmarks"].items() if entry.get("note")]
    if notes:
        lines += ["", *notes]
    stem = "results-quick" if results.get("quick") else "results"
    lines += ["", f"Commands, in `benchmarks/{stem}.json` with every raw figure:", ""]
    lines += [f"- {name}: `{entry['command']}` ({entry['seconds']} s" + (f", {entry['date']}" if entry.get("date") else "")
              + _cell(_ran_on(entry)) + ")" for name, entry in results["benchmarks"].items()]
    return "\n".join(lines) + "\n"


def fault_table(faults: dict) -> str:
    lines = ["| fault | injected | in | stored | rows before dedup | duplicates after dedup | missing | classified "
             "| dead-lettered (reason) | unplanned restarts | recover | ok |", "|" + "---|" * 12]
    for r in faults["results"]:
        if "error" in r:
            lines.append(f"| {r['fault']} | – | – | – | – | – | – | – | – | – | – | **error**: {_cell(r['error'][:300])} |")
            continue
        letters = "; ".join(f"{stage}: {d['originals']} ({_cell(', '.join(d['reasons']))[:90]})"
                            for stage, d in r.get("dead_letters", {}).items()) or "–"
        restarts = ", ".join(f"{k} {v}" for k, v in r.get("unplanned_restarts", {}).items()) or "0"
        lines.append(f"| {r['fault']} | {_cell(r.get('injected', ''))} | {r['documents_in']:,} | {r['stored']:,} | "
                     f"{r['rows_before_dedup']:,} | {r['duplicates_after_dedup']} | {r['missing']} | "
                     f"{r['classified']:,} | {letters} | {restarts} | {r.get('recover_s', '–')} s | "
                     f"{'ok' if r['ok'] else '**FAILED**'} |")
    return "\n".join(lines)


def faults_section(faults: dict | None) -> str:
    lines = ["## Faults", ""]
    if faults is None:
        return "\n".join(lines + ["Not run yet: `.venv/bin/python benchmarks/faults.py` (see the README's "
                                  "Benchmarks section) writes this section.", ""])
    o = faults["options"]
    ran = {r["fault"] for r in faults["results"]}
    sizes = [f"{o['documents']:,} synthetic documents per fault at {o['rate']:g}/s with one poison record per "
             f"{o['bad_every']:,}, {o['classifiers']} classify consumers ({o['classifier']} labeller)"]
    if "crawl-resume" in ran:
        sizes.append(f"the crawl fault on {o['crawl_pages']:,} demo-site pages")
    if "kill-dashboard-scheduler" in ran:
        sizes.append(f"the dashboard/scheduler fault under `vigil up` ({o['up_mode']}, {o['classifier']} labeller) on "
                     f"{o.get('up_first_pages', 60):,} + {o['up_pages']:,} pages")
    lines += [f"`benchmarks/faults.py`, {faults['date']}, on {_cell(describe(faults['machine']))} (load "
              f"{' '.join(map(str, faults['machine']['load_average']))}): {'; '.join(sizes)}.", "",
              "Stored and duplicates are counted after dedup (FINAL); recover is the time from the fault (or "
              "from the restore, for an outage) until every partition of the stages hit moved on again.", "",
              fault_table(faults), ""]
    for r in faults["results"]:
        extra = {k: r[k] for k in ("outage_s", "committed_while_down", "publisher_failed_flushes", "re_emitted",
                                   "decisions_acknowledged", "lost_decisions", "decision_duplicates",
                                   "posts_unanswered", "prefect_run_counts", "runs_counted_twice", "killed_run_state",
                                   "dashboard_back_s", "scheduler_back_s", "crawl_runs_again_s", "incomplete_runs",
                                   "crawls_cut_short_recorded_ok",
                                   "ledger_stored_total", "aggregate_documents", "ledger") if k in r}
        if extra:
            lines.append(f"- {r['fault']}: " + ", ".join(f"{k} {_cell(json.dumps(v))}" for k, v in extra.items()))
    return "\n".join(lines) + "\n"


def write_markdown(path: Path, results: dict | None = None, faults: dict | None = None) -> None:
    """RESULTS.md from ``results`` and ``faults``, each read from its JSON beside ``path`` when not given."""
    results = results if results is not None else _load(path.with_name("results.json"))
    faults = faults if faults is not None else _load(path.with_name("faults.json"))
    body = results_section(results) if results else "# Benchmark results\n\nNo benchmark run yet: `make bench`.\n"
    path.write_text(body + "\n" + faults_section(faults), encoding="utf-8")


def _load(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
