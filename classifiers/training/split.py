"""A seeded, stratified and stable split into train, calibration and test parts.

Rows that share a ``split_key`` (the pairs of one Russian text, the sentences of one
forum post, a perturbed copy and its source) land in the same part, so no text is
trained on and tested at once.

The split is stable: each row group is ranked inside its stratum by a hash of the seed,
its source and its key, not by a random stream shared across strata. So adding or
excluding one data set (``exclude_sources``) leaves every other set's rows in the parts
they were in, and two models trained with different mixes can be compared on the rows
both held out.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np

from classifiers.training.data import Example, split_key_of


def _rank(seed: int, source: str, key: str) -> bytes:
    return hashlib.sha256(f"{seed}\x1f{source}\x1f{key}".encode()).digest()


def split_examples(examples: list[Example], dev_fraction: float, seed: int) -> dict[str, np.ndarray]:
    """Indices per part; each (source, language, labels) stratum of row groups is split in the same proportions."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, ex in enumerate(examples):
        groups[(ex.source, split_key_of(ex))].append(i)
    strata: dict[tuple, list[tuple[bytes, list[int]]]] = defaultdict(list)
    for (source, key), members in groups.items():
        first = examples[members[0]]
        strata[(first.source, first.language, first.labels)].append((_rank(seed, source, key), members))
    parts: dict[str, list[int]] = {"train": [], "calibration": [], "test": []}
    for ranked in strata.values():
        ranked.sort(key=lambda item: item[0])
        n_dev = int(round(len(ranked) * dev_fraction))
        half = n_dev // 2
        for rank, (_, members) in enumerate(ranked):
            part = "calibration" if rank < half else "test" if rank < n_dev else "train"
            parts[part] += members
    return {name: np.array(sorted(idx), dtype=int) for name, idx in parts.items()}
