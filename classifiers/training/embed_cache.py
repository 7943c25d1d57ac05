"""Embeddings of training texts, cached on disk so that re-training costs seconds.

The encoder is frozen, so a text's vector depends only on (encoder, max length,
text): the cache under ``~/.cache/vigil/embeddings`` is keyed by those.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from classifiers.model.encoders import Encoder, pool_by_owner
from vigil.logs import counted_step, get_logger

log = get_logger(__name__)
CACHE_ROOT = Path.home() / ".cache" / "vigil" / "embeddings"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def cached_embeddings(encoder: Encoder, texts: list[str], *, tag: str, chunk: int = 256,
                      cache_root: Path = CACHE_ROOT) -> np.ndarray:
    """One vector per text; computes only those missing from the cache and saves as it goes."""
    slug = "".join(c if c.isalnum() else "-" for c in f"{encoder.name}-{tag}")
    path = cache_root / f"{slug}.npz"
    store: dict[str, np.ndarray] = dict(np.load(path)) if path.exists() else {}
    missing = sorted({_key(t): t for t in texts if _key(t) not in store}.items())
    with counted_step(log, "embed", encoder=encoder.name) as counts:
        for i in range(0, len(missing), chunk):
            part = missing[i : i + chunk]
            vectors = pool_by_owner(encoder.encode([t for _, t in part], sentences=False), len(part))
            store.update({k: v for (k, _), v in zip(part, vectors)})
            counts["embedded"] += len(part)
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(path, **store)
            log.info("embedded %d/%d with %s", min(i + chunk, len(missing)), len(missing), encoder.name)
    return np.stack([store[_key(t)] for t in texts]) if texts else np.zeros((0, 384), np.float32)
