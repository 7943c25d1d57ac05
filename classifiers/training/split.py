"""A seeded, stratified split into train, calibration and test parts."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from classifiers.training.data import Example


def split_examples(examples: list[Example], dev_fraction: float, seed: int) -> dict[str, np.ndarray]:
    """Indices per part; each (source, language, labels) stratum is split in the same proportions."""
    rng = np.random.default_rng(seed)
    strata: dict[tuple, list[int]] = defaultdict(list)
    for i, ex in enumerate(examples):
        strata[(ex.source, ex.language, ex.labels)].append(i)
    parts: dict[str, list[int]] = {"train": [], "calibration": [], "test": []}
    for key in sorted(strata):
        members = np.array(strata[key])
        rng.shuffle(members)
        n_dev = int(round(len(members) * dev_fraction))
        half = n_dev // 2
        parts["calibration"] += members[:half].tolist()
        parts["test"] += members[half:n_dev].tolist()
        parts["train"] += members[n_dev:].tolist()
    return {name: np.array(sorted(idx), dtype=int) for name, idx in parts.items()}
