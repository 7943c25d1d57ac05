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

A route may be an ensemble (``ensemble`` in its config): each member is trained as above with
its own seed and fields (``adapter-<key>-<i>/``, ``head-<key>-<i>.safetensors``) and Platt-scaled
on its own; the route reads the mean of their calibrated probabilities, and its calibration and
thresholds are fitted on that mean.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from classifiers.model.calibration import apply_platt, mean_logit
from classifiers.model.finetuned import PREFIXES, load_base, mean_pool, weights_sha256
from classifiers.training.calibrate import MIN_POSITIVES, choose_threshold, fit_platt
from classifiers.training.config import TrainConfig
from classifiers.training.data import Example
from classifiers.training.metrics import category_metrics, macro_f1
from vigil.logs import get_logger

log = get_logger(__name__)


# Training fields a route may set for itself (e.g. fewer steps for the larger multilingual encoder).
ROUTE_FIELDS = ("ft_epochs", "max_train_examples", "ft_batch_size", "ft_learning_rate", "head_learning_rate",
                "max_length", "train_max_length", "lora_r", "lora_alpha", "chatter_per_language", "written_sets",
                "perspectives_per_language", "ensemble")
# What an ensemble's member may set for itself: its seed and the training fields above.
# (Not the route's rows, inference length or members: chatter_per_language, written_sets, perspectives_per_language,
# max_length, ensemble.)
MEMBER_FIELDS = ("seed", "ft_epochs", "max_train_examples", "ft_batch_size", "ft_learning_rate", "head_learning_rate",
                 "train_max_length", "lora_r", "lora_alpha")


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
    for lang in ["all", *sorted({str(x) for x in langs})]:
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


@dataclass
class Member:
    """One trained model of a route: its encoder with the adapter, its head, and what was saved of it."""

    tokenizer: object
    model: object
    head: object
    saved: dict  # adapter, head, base_sha256, train_seconds, train_texts, steps


def finetune_route(route: Route, examples: list[Example], parts: dict[str, np.ndarray], config: TrainConfig,
                   out: Path, *, extra_train: list[Example] = ()) -> dict:
    """Train one route, save its adapter and head into ``out``; returns its manifest entry (with dev figures).

    With ``ensemble`` the route is an ensemble: one member per entry (``adapter-<key>-<i>``,
    ``head-<key>-<i>.safetensors``), each trained as a single model would be with the entry's seed and fields,
    whose calibrated probabilities are averaged; the route's own calibration and thresholds are fitted on the
    average.
    """
    recipes = member_configs(route, config)
    names = [""] if len(recipes) == 1 else [f"-{i}" for i in range(len(recipes))]
    members = [train_member(route, examples, parts, recipe, out, extra_train=extra_train, suffix=name)
               for recipe, name in zip(recipes, names)]
    return route_spec(route, members, examples, parts, config, ensemble=len(recipes) > 1)


def member_configs(route: Route, config: TrainConfig) -> list[TrainConfig]:
    """The training config of each member of the route (one, the route's own, when it is no ensemble)."""
    config = route.config(config)
    for entry in config.ensemble:
        unknown = set(entry) - set(MEMBER_FIELDS)
        if unknown:
            raise ValueError(f"encoders.{route.key}.ensemble: a member may not set {sorted(unknown)}")
    return [replace(config, ensemble=(), **entry) for entry in config.ensemble] or [config]


def train_member(route: Route, examples: list[Example], parts: dict[str, np.ndarray], config: TrainConfig,
                 out: Path, *, extra_train: list[Example] = (), suffix: str = "") -> Member:
    """Fine-tune the route's encoder once (``config.seed``), saving ``adapter-<key><suffix>`` and its head."""
    import torch
    from peft import LoraConfig, get_peft_model
    from safetensors.torch import save_file

    from classifiers.model.encoders import resolve_device

    started = time.perf_counter()
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

    train_rows = [examples[i] for i in parts["train"] if examples[i].language in route.languages]
    train_rows += [e for e in extra_train if e.language in route.languages]
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
    name = route.key + suffix
    log.info("fine-tuning %s (%s, seed %d) on %d texts (%s): %d steps of %d, %s", name, route.base, config.seed,
             len(texts), ",".join(route.languages), total, config.ft_batch_size, config.train_precision)
    autocast = torch.autocast(device_type=device.split(":")[0], dtype=torch.bfloat16,
                              enabled=config.train_precision == "bf16")
    model.train()
    head.train()
    step, seen, running = 0, 0, 0.0
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=f"fine-tune {name}", unit="step", disable=not config.progress) as bar:
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
                    log.info("%s: step %d/%d, loss %.4f, %.1f texts/s", name, step, total, running,
                             seen / (time.perf_counter() - started))
    train_seconds = time.perf_counter() - started

    adapter_dir = out / f"adapter-{name}"
    model.peft_config["default"].base_model_name_or_path = route.base  # the id, not this machine's path to it
    model.save_pretrained(str(adapter_dir))
    (adapter_dir / "README.md").unlink(missing_ok=True)  # peft's hub card template; the model card is ours
    _halve(adapter_dir / "adapter_model.safetensors")
    head_file = f"head-{name}.safetensors"
    save_file({k: v.detach().cpu().contiguous() for k, v in head.state_dict().items()}, str(out / head_file))
    recipe = {"ft_epochs": config.ft_epochs, "lora_r": config.lora_r, "lora_alpha": config.lora_alpha,
              "learning_rate": config.ft_learning_rate, "train_max_length": config.train_max_length}
    return Member(tokenizer, model, head, {"adapter": adapter_dir.name, "head": head_file, "base_sha256": base_sha,
                                           "seed": config.seed, "recipe": recipe,
                                           "train_seconds": round(train_seconds, 1), "train_texts": len(texts),
                                           "steps": total})


def route_spec(route: Route, members: list[Member], examples: list[Example], parts: dict[str, np.ndarray],
               config: TrainConfig, *, ensemble: bool) -> dict:
    """The route's manifest entry: calibration and thresholds fitted on the calibration part and the dev
    figures on the test part, for one member or for the average of an ensemble's calibrated members."""
    from classifiers.model.encoders import resolve_device

    config = route.config(config)
    cats = config.categories
    device = resolve_device(config.device)
    prefix = PREFIXES.get(route.base, "")
    ours = lambda idx: [i for i in idx if examples[i].language in route.languages]  # noqa: E731
    cache: dict[tuple[int, str], np.ndarray] = {}

    def member_logits(k: int, part: str) -> np.ndarray:
        if (k, part) not in cache:
            m = members[k]
            cache[k, part] = pooled_logits(m.tokenizer, m.model, m.head, [examples[i].text for i in ours(parts[part])],
                                           prefix=prefix, max_length=config.max_length, batch_size=64, device=device)
        return cache[k, part]

    def labels_of(part: str) -> tuple[np.ndarray, np.ndarray]:
        idx = ours(parts[part])
        y = np.array([[c in examples[i].labels for c in cats] for i in idx], dtype=np.float32).reshape(-1, len(cats))
        return y, np.array([examples[i].language for i in idx])

    member_entries = []
    if ensemble:
        cal_y = labels_of("calibration")[0]
        for k, m in enumerate(members):
            scale, bias = fit_platt(member_logits(k, "calibration"), cal_y)
            member_entries.append({"adapter": m.saved["adapter"], "head": m.saved["head"],
                                   "platt_scale": scale.round(6).tolist(), "platt_bias": bias.round(6).tolist()})

    def scored(part: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        y, langs = labels_of(part)
        if not ensemble:
            return member_logits(0, part), y, langs
        probs = [apply_platt(member_logits(k, part), np.asarray(e["platt_scale"]), np.asarray(e["platt_bias"]))
                 for k, e in enumerate(member_entries)]
        return mean_logit(probs), y, langs

    scale, bias, thresholds, method, dev = fit_calibration(scored, cats, config.target_precision)
    saved = [m.saved for m in members]
    seconds = round(sum(s["train_seconds"] for s in saved), 1)
    log.info("%s trained in %.0f s; dev macro-F1 %s", route.key, seconds, {k: v["macro_f1"] for k, v in dev.items()})
    spec = {
        "base": route.base, "base_sha256": members[0].saved["base_sha256"], "languages": list(route.languages),
        "adapter": saved[0]["adapter"], "head": saved[0]["head"], "max_length": config.max_length,
        "context_chars": config.context_chars, "platt_scale": scale.round(6).tolist(),
        "platt_bias": bias.round(6).tolist(), "thresholds": thresholds, "threshold_method": method["*"],
        "dev": dev, "train_seconds": seconds, "train_texts": saved[0]["train_texts"], "steps": saved[0]["steps"],
        "lora": {"r": config.lora_r, "alpha": config.lora_alpha, "targets": _targets(config.lora_targets)},
        "train_max_length": config.train_max_length, "train_precision": config.train_precision,
        "learning_rate": config.ft_learning_rate,
    }
    if ensemble:
        spec["members"] = member_entries
        spec["member_training"] = [{k: s.get(k) for k in ("seed", "recipe", "train_seconds", "steps")} for s in saved]
    return spec


def spec_files(spec: dict) -> list[str]:
    """The files and folders of a route inside the artefact: its adapter and head, and its members'."""
    names = [spec["adapter"], spec["head"]]
    for member in spec.get("members", []):
        names += [member["adapter"], member["head"]]
    return list(dict.fromkeys(names))


def _targets(targets: str | tuple[str, ...]) -> str | list[str]:
    return targets if isinstance(targets, str) else list(targets)


def _halve(path: Path) -> None:
    """Store adapter weights in float16 (half the size; loading casts them back to the model's dtype)."""
    from safetensors.torch import load_file, save_file

    tensors = load_file(str(path))
    save_file({k: v.half() if v.is_floating_point() else v for k, v in tensors.items()}, str(path))
