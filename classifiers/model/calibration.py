"""Platt scaling per category: turns raw logits into probabilities that mean what they say."""

from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


def apply_platt(logits: np.ndarray, scale: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Calibrated probabilities ``sigmoid(scale * logit + bias)`` column by column."""
    return sigmoid(logits * scale[None, :] + bias[None, :])
