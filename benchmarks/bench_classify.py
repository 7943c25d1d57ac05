"""Classify-stage throughput on CPU versus the bare forward pass of the same model, in the same run.

    .venv/bin/python benchmarks/bench_classify.py [--docs 256] [--batch 32] [--language en|ru]
        [--baseline classifiers/models/heads-0.1.0] [--json out.json]

On the same synthetic texts, in one process and batch size, it measures:
- the classify stage (windows, routing, model, rules, combination) against the bare
  forward pass of the same model on the same windows (target: the stage keeps at least
  85% of the bare rate), in documents and tokens per second;
- both in fp32 and under bfloat16 autocast (fine-tuned encoders; CPUs with AVX-512 BF16);
- the default (fine-tuned) model against the previous frozen-encoder model (``--baseline``);
- the stage's peak memory in a fresh subprocess (target: under 2 GB);
- the stage with its group swaps against without them, where a quarter of the documents opens with a
  hostile sentence naming a group (elsewhere the swaps read nothing: the synthetic texts above name no group).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCES = {
    "en": ["The council met on Tuesday to discuss the new bus routes and school budgets.",
           "Volunteers cleaned the river bank and planted two hundred trees over the weekend.",
           "Police said the market will be closed on Sunday because of the marathon.",
           "Our neighbours invited everyone to a street festival with music and food.",
           "The library opens a new reading room for children next month."],
    "ru": ["Городской совет обсудил новые автобусные маршруты и бюджет школ.",
           "Волонтёры убрали берег реки и посадили двести деревьев.",
           "Полиция сообщила, что рынок закроют в воскресенье из-за марафона.",
           "Соседи пригласили всех на уличный праздник с музыкой и едой.",
           "В библиотеке в следующем месяце откроется детский читальный зал."],
}
BASELINE = ROOT / "classifiers" / "models" / "heads-0.1.0"


def make_texts(n: int, language: str, seed: int = 0) -> list[str]:
    """Documents of 1 to 40 sentences (a few pass the 256-token window)."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(SENTENCES[language]) for _ in range(rng.choice([1, 2, 3, 5, 8, 40])))
            for _ in range(n)]


def timed_batches(fn, texts: list[str], batch: int) -> tuple[float, list[float]]:
    latencies = []
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        t0 = time.perf_counter()
        fn(texts[i:i + batch])
        latencies.append(time.perf_counter() - t0)
    return len(texts) / (time.perf_counter() - started), latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def labeller_for(model_name: str, batch: int, precision: str = "fp32"):
    from classifiers.labeller import Labeller
    from classifiers.model.predict import RunOptions, load
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    model = load(model_name, RunOptions(device="cpu", batch_size=batch, precision=precision))
    return Labeller(model, load_lexicon(), None, load_taxonomy())


def bare_forward(model, language: str):
    """(function over a batch of texts, token counter): the model alone on what the stage reads (the texts that
    fit read whole, the sentence windows of the rest)."""
    from classifiers.model.context import context_windows
    from classifiers.model.finetuned import FinetunedClassifier

    tokens = [0]
    key = model.route(language)
    if isinstance(model, FinetunedClassifier):
        route = model.route_model(key)

        def run(texts: list[str]) -> None:
            limit = model.options.whole_tokens  # texts that fit are read whole, the rest in windows
            whole = set(route.fits(texts, limit))
            read = [texts[i] for i in sorted(whole)]
            rest = [text for i, text in enumerate(texts) if i not in whole]
            windows = [w.text for w in context_windows(rest, model.options.window_chars, route.spec.context_chars)]
            for part, length in ((read, limit), (windows, route.spec.max_length)):
                if part:
                    tokens[0] += sum(len(ids) for ids in route.tokenizer(
                        [route.prefix + t for t in part], truncation=True, max_length=length)["input_ids"])
                    route.probabilities(part, length)
        return run, tokens, f"{key} ({route.spec.base})"

    encoder = model.encoder(key)

    def run_heads(texts: list[str]) -> None:
        encoded = encoder.encode(texts)
        tokens[0] += sum(len(w.text.split()) for w in encoded.windows)  # words: the C runtime keeps its tokens
        model.score_windows(key, encoded)
    return run_heads, tokens, f"{key} ({encoder.name})"


def stage_only(model_name: str, n: int, batch: int, language: str) -> None:
    labeller = labeller_for(model_name, batch)
    texts = make_texts(n, language)
    rate, _ = timed_batches(lambda b: labeller.label_texts(b, [language] * len(b)), texts, batch)
    print(json.dumps({"rate": rate, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(model_name: str, texts: list[str], language: str, batch: int, precision: str, rounds: int = 1) -> dict:
    """The stage and the bare forward pass over ``texts``, ``rounds`` times each, alternating which goes first.

    Two cores shared with other machines' work make one pass of each a coin toss: the same code measured
    0.81 and 1.04 of the bare rate in fp32 (and 0.94 and 0.83 in bf16) in two runs minutes apart (2026-12-05).
    So the passes alternate, and the ratio is the lower of the best of each and the ratio of the medians (as
    ``bench_warehouse`` does), with each round's ratio kept beside it."""
    import statistics

    labeller = labeller_for(model_name, batch, precision)
    labeller.label_texts(texts[:4], [language] * 4)  # warm up (loads the route's encoder)
    run, tokens, what = bare_forward(labeller.model, language)
    run(texts[:4])
    stage_rates, bare_rates, stage_lat = [], [], []

    def stage_pass() -> None:
        rate, latencies = timed_batches(lambda b: labeller.label_texts(b, [language] * len(b)), texts, batch)
        stage_rates.append(rate)
        stage_lat.extend(latencies)

    def bare_pass() -> None:
        tokens[0] = 0
        bare_rates.append(timed_batches(run, texts, batch)[0])

    for round_ in range(rounds):
        for step in ((stage_pass, bare_pass) if round_ % 2 == 0 else (bare_pass, stage_pass)):
            step()
    stage_rate, bare_rate = max(stage_rates), max(bare_rates)
    ratio = min(stage_rate / bare_rate, statistics.median(stage_rates) / statistics.median(bare_rates))
    seconds = len(texts) / bare_rate
    return {"model": labeller.model.version, "route": what, "precision": precision, "rounds": rounds,
            "stage_docs_per_s": round(stage_rate, 1), "bare_docs_per_s": round(bare_rate, 1),
            "stage_over_bare": round(ratio, 3),
            "stage_over_bare_per_round": [round(s / b, 3) for s, b in zip(stage_rates, bare_rates)],
            "bare_tokens_per_s": round(tokens[0] / seconds),
            "stage_tokens_per_s": round(tokens[0] / (len(texts) / stage_rate)),
            "stage_p50_ms": round(pct(stage_lat, .5), 1), "stage_p95_ms": round(pct(stage_lat, .95), 1)}


# Hostile sentences naming a group: what the group swaps (classifiers/model/counterfactual.py) read again.
HOSTILE = {"en": "{G} are vermin and should be driven out of our country.",
           "ru": "{Nom} — паразиты, гнать их из нашей страны."}


def group_check(model_name: str, n: int, language: str, batch: int) -> dict:
    """The stage on documents of which a quarter opens with a hostile sentence naming a group, with the group
    swaps (the default) against without them: what the check costs where the model flags texts that name
    groups (each such document is read twice more, whole up to 1,500 characters)."""
    from classifiers.groups import GROUPS, fill

    rng = random.Random(1)
    texts = [fill(HOSTILE[language], rng.choice(GROUPS), language) + " " + text if i % 4 == 0 else text
             for i, text in enumerate(make_texts(n, language, seed=1))]
    labeller = labeller_for(model_name, batch)
    labeller.label_texts(texts[:4], [language] * 4)
    rates = {}
    for swaps in (0, labeller.group_swaps):
        labeller.group_swaps = swaps
        rates[swaps], _ = timed_batches(lambda b: labeller.label_texts(b, [language] * len(b)), texts, batch)
    off, on = rates[0], rates[max(rates)]
    return {"hostile_share": 0.25, "without_docs_per_s": round(off, 1), "with_docs_per_s": round(on, 1),
            "with_over_without": round(on / off, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=256)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--language", choices=["en", "ru"], default="en")
    parser.add_argument("--model", default="default")
    parser.add_argument("--baseline", default=str(BASELINE), help="the previous (frozen-encoder) model folder")
    parser.add_argument("--rounds", type=int, default=3, help="passes of the stage and of the bare model, alternating")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--stage-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage_only:
        return stage_only(args.model, args.docs, args.batch, args.language)

    import torch

    texts = make_texts(args.docs, args.language)
    rows = [measure(args.model, texts, args.language, args.batch, "fp32", args.rounds),
            measure(args.model, texts, args.language, args.batch, "bf16", args.rounds)]
    baseline = measure(args.baseline, texts, args.language, args.batch, "fp32") if Path(args.baseline).is_dir() else None
    print(f"language={args.language} docs={len(texts)} batch={args.batch} threads={torch.get_num_threads()}")
    for row in rows + ([baseline] if baseline else []):
        print(f"{row['model']:<22} {row['route']:<34} {row['precision']:<5} stage {row['stage_docs_per_s']:7.1f} docs/s "
              f"{row['stage_tokens_per_s']:7d} tok/s | bare {row['bare_docs_per_s']:7.1f} docs/s "
              f"{row['bare_tokens_per_s']:7d} tok/s | stage/bare {row['stage_over_bare']:6.1%} (target >= 85%) | "
              f"p95 {row['stage_p95_ms']:.0f} ms/batch")
    fp32, bf16 = rows
    print(f"bf16 / fp32 stage  : {bf16['stage_docs_per_s'] / fp32['stage_docs_per_s']:8.2f}x")
    check = group_check(args.model, args.docs, args.language, args.batch)
    print(f"group swaps        : {check['with_over_without']:8.2f}x the stage without them, where a quarter of "
          f"the documents opens with hostility to a named group ({check['with_docs_per_s']} vs "
          f"{check['without_docs_per_s']} docs/s)")
    if baseline:
        print(f"fine-tuned / frozen: {fp32['stage_docs_per_s'] / baseline['stage_docs_per_s']:8.2f}x stage docs/s "
              f"({fp32['model']} vs {baseline['model']})")
    child = subprocess.run([sys.executable, __file__, "--stage-only", "--model", args.model, "--docs", str(args.docs),
                            "--batch", str(args.batch), "--language", args.language],
                           capture_output=True, text=True, check=True)
    peak = json.loads(child.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    print(f"stage peak memory  : {peak:8.0f} MB (fresh process; target < 2048 MB)")
    if args.json:
        args.json.write_text(json.dumps({"language": args.language, "runs": rows, "baseline": baseline,
                                         "group_check": check, "peak_rss_mb": round(peak)}, indent=2) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
