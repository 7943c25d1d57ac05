"""Platt scaling per category: turns raw logits into probabilities that mean what they say."""

from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


def apply_platt(logits: np.ndarray, scale: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Calibrated probabilities ``sigmoid(scale * logit + bias)`` column by column."""
    return sigmoid(logits * scale[None, :] + bias[None, :])


def mean_logit(probs: list[np.ndarray]) -> np.ndarray:
    """The logit of the mean of several calibrated probabilities (an ensemble's members), as float32."""
    mean = np.clip(np.mean(probs, axis=0), 1e-6, 1 - 1e-6)
    return np.log(mean / (1 - mean)).astype(np.float32)
