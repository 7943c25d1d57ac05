"""Fine-tune an encoder with LoRA and a linear head, multi-label over the model's categories.

One route at a time (an encoder and the languages it is trained on). The encoder's
attention and feed-forward layers get low-rank adapters (peft), the head is a single
linear layer over the mean-pooled output, and the loss is binary cross-entropy with
each category's positives weighted by the square root of its negative-to-positive
ratio (class balance), times each row's own weight. Batches are drawn from length
buckets so padding stays small on CPU.

What is kept: the adapter (``adapter-<key>/``, peft's format), the head
(``head-<key>.safetensors``), Platt scaling per category and thresholds per category and
language chosen on the calibration part. The figures on the test part go to the model
card. Everything is seeded.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from classifiers.model.calibration import apply_platt
from classifiers.model.finetuned import PREFIXES, load_base, mean_pool, weights_sha256
from classifiers.training.calibrate import MIN_POSITIVES, choose_threshold, fit_platt
from classifiers.training.config import TrainConfig
from classifiers.training.data import Example
from classifiers.training.metrics import category_metrics, macro_f1
from vigil.logs import get_logger

log = get_logger(__name__)


# Training fields a route may set for itself (e.g. fewer steps for the larger multilingual encoder).
ROUTE_FIELDS = ("ft_epochs", "max_train_examples", "ft_batch_size", "ft_learning_rate", "head_learning_rate",
                "max_length", "train_max_length", "lora_r", "lora_alpha", "chatter_per_language", "written_sets")


@dataclass(frozen=True)
class Route:
    key: str
    base: str
    languages: tuple[str, ...]
    overrides: tuple[tuple[str, object], ...] = ()

    def config(self, config: TrainConfig) -> TrainConfig:
        return replace(config, **dict(self.overrides))


def routes_of(config: TrainConfig) -> list[Route]:
    routes = []
    for key, spec in config.encoders.items():
        unknown = set(spec) - {"base", "languages", *ROUTE_FIELDS}
        if unknown:
            raise ValueError(f"encoders.{key}: unknown keys {sorted(unknown)}")
        overrides = tuple(sorted((k, v) for k, v in spec.items() if k in ROUTE_FIELDS))
        routes.append(Route(key, spec["base"], tuple(spec.get("languages", config.route_languages)), overrides))
    return routes


def class_weights(labels: np.ndarray, cap: float = 20.0) -> np.ndarray:
    """Per category, sqrt(negatives / positives), at least 1 and at most ``cap``."""
    pos = labels.sum(0)
    neg = len(labels) - pos
    return np.clip(np.sqrt(neg / np.maximum(pos, 1)), 1.0, cap).astype(np.float32)


def bucketed_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: sort a shuffled order in chunks of 50 batches, then shuffle batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for i in range(0, len(order), chunk):
        part = sorted(order[i:i + chunk], key=lambda j: lengths[j])
        batches += [part[k:k + batch_size] for k in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def pooled_logits(tokenizer, model, head, texts: list[str], *, prefix: str, max_length: int, batch_size: int,
                  device: str) -> np.ndarray:
    """Head logits of each text read whole, in inference mode."""
    import torch

    from classifiers.model.windows import length_batches

    out = np.zeros((len(texts), head.out_features), dtype=np.float32)
    model.eval()
    head.eval()
    for idx in length_batches([len(t) for t in texts], batch_size):
        batch = tokenizer([prefix + texts[i] for i in idx], padding=True, truncation=True, max_length=max_length,
                          return_tensors="pt")
        with torch.inference_mode():
            batch = {k: v.to(device) for k, v in batch.items()}
            out[idx] = head(mean_pool(model(**batch).last_hidden_state, batch["attention_mask"])).float().cpu().numpy()
    return out


def thresholds_by_language(probs: np.ndarray, labels: np.ndarray, langs: np.ndarray, categories: tuple[str, ...],
                           target_precision: float) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, str]]]:
    """Per category, a threshold for all languages (``*``) and one per language with enough positives."""
    table: dict[str, dict[str, float]] = {}
    method: dict[str, dict[str, str]] = {}
    for lang in ["*", *sorted(set(langs))]:
        mask = np.ones(len(langs), bool) if lang == "*" else langs == lang
        for j, c in enumerate(categories):
            if lang != "*" and labels[mask, j].sum() < MIN_POSITIVES:
                continue
            t, how = choose_threshold(probs[mask, j], labels[mask, j], target_precision)
            table.setdefault(lang, {})[c] = round(t, 4)
            method.setdefault(lang, {})[c] = how
    return table, method


def evaluate_by_language(probs: np.ndarray, labels: np.ndarray, langs: np.ndarray,
                         thresholds: dict[str, dict[str, float]], categories: tuple[str, ...]) -> dict:
    out = {}
    for lang in ["all", *sorted(set(langs))]:
        mask = np.ones(len(langs), bool) if lang == "all" else langs == lang
        per = {}
        for j, c in enumerate(categories):
            rows = np.nonzero(mask)[0]
            t = np.asarray([thresholds.get(str(langs[i]), thresholds["*"]).get(c, thresholds["*"][c]) for i in rows])
            if len(set(t.tolist())) <= 1:  # one language (or one threshold): exact figures
                m = category_metrics(probs[rows, j], labels[rows, j], float(t[0]) if len(t) else 0.5)
            else:  # mixed languages: shift each row so that its own threshold sits at 0.5 (P/R/F1 exact)
                m = category_metrics(np.clip(probs[rows, j] - t + 0.5, 0.0, 1.0), labels[rows, j], 0.5)
            m["threshold"] = float(np.round(np.median(t), 4)) if len(t) else None
            per[c] = m
        out[lang] = {"rows": int(mask.sum()), "categories": per, "macro_f1": macro_f1(per, categories)}
    return out


def fit_calibration(scored: Callable[[str], tuple[np.ndarray, np.ndarray, np.ndarray]], cats: tuple[str, ...],
                    target_precision: float) -> tuple[np.ndarray, np.ndarray, dict, dict, dict]:
    """Platt scaling and thresholds fitted on the calibration part, and the dev figures on the test part;
    ``scored(part)`` gives a part's raw logits, labels and languages. Returns scale, bias, thresholds, the
    method per language and category, and the dev figures."""
    cal_logits, cal_y, cal_lang = scored("calibration")
    scale, bias = fit_platt(cal_logits, cal_y)
    thresholds, method = thresholds_by_language(apply_platt(cal_logits, scale, bias), cal_y, cal_lang, cats,
                                                target_precision)
    test_logits, test_y, test_lang = scored("test")
    dev = evaluate_by_language(apply_platt(test_logits, scale, bias), test_y, test_lang, thresholds, cats)
    return scale, bias, thresholds, method, dev


def finetune_route(route: Route, examples: list[Example], parts: dict[str, np.ndarray], config: TrainConfig,
                   out: Path, *, extra_train: list[Example] = ()) -> dict:
    """Train one route, save its adapter and head into ``out``; returns its manifest entry (with dev figures)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from safetensors.torch import save_file

    from classifiers.model.encoders import resolve_device

    started = time.perf_counter()
    config = route.config(config)
    cats = config.categories
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    device = resolve_device(config.device)
    tokenizer, base = load_base(route.base)
    base_sha = weights_sha256(base)
    prefix = PREFIXES.get(route.base, "")
    lora = LoraConfig(r=config.lora_r, lora_alpha=config.lora_alpha, lora_dropout=config.lora_dropout,
                      target_modules=_targets(config.lora_targets), bias="none")
    model = get_peft_model(base, lora).to(device)
    head = torch.nn.Linear(model.config.hidden_size, len(cats)).to(device)
    dropout = torch.nn.Dropout(0.1)

    ours = lambda idx: [i for i in idx if examples[i].language in route.languages]  # noqa: E731
    train_rows = [examples[i] for i in ours(parts["train"])] + [e for e in extra_train if e.language in route.languages]
    if config.max_train_examples and len(train_rows) > config.max_train_examples:
        train_rows = rng.sample(train_rows, config.max_train_examples)
    texts = [prefix + e.text for e in train_rows]
    labels = np.array([[c in e.labels for c in cats] for e in train_rows], dtype=np.float32)
    weights = np.array([config.synthetic_weight if e.source == "synthetic" else 1.0 for e in train_rows],
                       dtype=np.float32)
    pos_weight = torch.from_numpy(class_weights(labels)).to(device)
    lengths = [len(t) for t in texts]
    steps_per_epoch = math.ceil(len(texts) / config.ft_batch_size)
    total = max(1, int(steps_per_epoch * config.ft_epochs))
    optimiser = torch.optim.AdamW([
        {"params": [p for p in model.parameters() if p.requires_grad], "lr": config.ft_learning_rate},
        {"params": head.parameters(), "lr": config.head_learning_rate},
    ], weight_decay=config.weight_decay)
    warmup = max(1, int(0.06 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: (s + 1) / warmup if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
    log.info("fine-tuning %s (%s) on %d texts (%s): %d steps of %d, %s", route.key, route.base, len(texts),
             ",".join(route.languages), total, config.ft_batch_size, config.train_precision)
    autocast = torch.autocast(device_type=device.split(":")[0], dtype=torch.bfloat16,
                              enabled=config.train_precision == "bf16")
    model.train()
    head.train()
    step, seen, running = 0, 0, 0.0
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=f"fine-tune {route.key}", unit="step", disable=not config.progress) as bar:
        while step < total:
            for batch_idx in bucketed_batches(lengths, config.ft_batch_size, rng):
                if step >= total:
                    break
                enc = tokenizer([texts[i] for i in batch_idx], padding=True, truncation=True,
                                max_length=config.train_max_length, return_tensors="pt").to(device)
                with autocast:
                    pooled = mean_pool(model(**enc).last_hidden_state, enc["attention_mask"])
                    logits = head(dropout(pooled)).float()
                y = torch.from_numpy(labels[batch_idx]).to(device)
                w = torch.from_numpy(weights[batch_idx]).to(device)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    logits, y, pos_weight=pos_weight, reduction="none").mean(-1)
                loss = (loss * w).sum() / w.sum()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimiser.step()
                schedule.step()
                optimiser.zero_grad(set_to_none=True)
                step += 1
                seen += len(batch_idx)
                value = loss.item()
                running = 0.98 * running + 0.02 * value if step > 1 else value
                bar.update(1)
                bar.set_postfix(loss=f"{running:.3f}")
                if step % 25 == 0:
                    log.info("%s: step %d/%d, loss %.4f, %.1f texts/s", route.key, step, total, running,
                             seen / (time.perf_counter() - started))
    train_seconds = time.perf_counter() - started

    adapter_dir = out / f"adapter-{route.key}"
    model.peft_config["default"].base_model_name_or_path = route.base  # the id, not this machine's path to it
    model.save_pretrained(str(adapter_dir))
    (adapter_dir / "README.md").unlink(missing_ok=True)  # peft's hub card template; the model card is ours
    _halve(adapter_dir / "adapter_model.safetensors")
    head_file = f"head-{route.key}.safetensors"
    save_file({k: v.detach().cpu().contiguous() for k, v in head.state_dict().items()}, str(out / head_file))

    def scored(part: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = ours(parts[part])
        logits = pooled_logits(tokenizer, model, head, [examples[i].text for i in idx], prefix=prefix,
                               max_length=config.max_length, batch_size=64, device=device)
        y = np.array([[c in examples[i].labels for c in cats] for i in idx], dtype=np.float32).reshape(-1, len(cats))
        return logits, y, np.array([examples[i].language for i in idx])

    scale, bias, thresholds, method, dev = fit_calibration(scored, cats, config.target_precision)
    log.info("%s trained in %.0f s; dev macro-F1 %s", route.key, train_seconds,
             {k: v["macro_f1"] for k, v in dev.items()})
    return {
        "base": route.base, "base_sha256": base_sha, "languages": list(route.languages),
        "adapter": adapter_dir.name, "head": head_file, "max_length": config.max_length,
        "context_chars": config.context_chars, "platt_scale": scale.round(6).tolist(),
        "platt_bias": bias.round(6).tolist(), "thresholds": thresholds, "threshold_method": method["*"],
        "dev": dev, "train_seconds": round(train_seconds, 1), "train_texts": len(texts), "steps": total,
        "lora": {"r": config.lora_r, "alpha": config.lora_alpha, "targets": _targets(config.lora_targets)},
        "train_max_length": config.train_max_length, "train_precision": config.train_precision,
        "learning_rate": config.ft_learning_rate,
    }


def _targets(targets: str | tuple[str, ...]) -> str | list[str]:
    return targets if isinstance(targets, str) else list(targets)


def _halve(path: Path) -> None:
    """Store adapter weights in float16 (half the size; loading casts them back to the model's dtype)."""
    from safetensors.torch import load_file, save_file

    tensors = load_file(str(path))
    save_file({k: v.half() if v.is_floating_point() else v for k, v in tensors.items()}, str(path))
