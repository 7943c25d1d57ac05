"""A seeded, stratified split into train, calibration and test parts.

Rows that share a ``split_key`` (the pairs of one Russian text, the sentences of one
forum post, a perturbed copy and its source) land in the same part, so no text is
trained on and tested at once.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from classifiers.training.data import Example, split_key_of


def split_examples(examples: list[Example], dev_fraction: float, seed: int) -> dict[str, np.ndarray]:
    """Indices per part; each (source, language, labels) stratum of row groups is split in the same proportions."""
    rng = np.random.default_rng(seed)
    groups: dict[object, list[int]] = defaultdict(list)
    for i, ex in enumerate(examples):
        groups[(ex.source, split_key_of(ex))].append(i)
    strata: dict[tuple, list[list[int]]] = defaultdict(list)
    for members in groups.values():
        first = examples[members[0]]
        strata[(first.source, first.language, first.labels)].append(members)
    parts: dict[str, list[int]] = {"train": [], "calibration": [], "test": []}
    for key in sorted(strata):
        members = strata[key]
        order = rng.permutation(len(members))
        n_dev = int(round(len(members) * dev_fraction))
        half = n_dev // 2
        for rank, g in enumerate(order):
            part = "calibration" if rank < half else "test" if rank < n_dev else "train"
            parts[part] += members[g]
    return {name: np.array(sorted(idx), dtype=int) for name, idx in parts.items()}
