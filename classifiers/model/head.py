"""The classification head trained over a frozen sentence encoder.

Small on purpose: the committed artefact must stay under 5 MB, and the encoder
already ships in a package, so only these weights are stored.
"""

from __future__ import annotations

import torch
from torch import nn


class Head(nn.Module):
    """Multi-label head: one logit per category; ``forward`` also returns the loss when given labels."""

    def __init__(self, dim: int, labels: int, hidden: int = 256, dropout: float = 0.1) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Dropout(dropout), nn.Linear(dim, hidden), nn.GELU(),
                                 nn.Dropout(dropout), nn.Linear(hidden, labels))

    def forward(self, embeddings: torch.Tensor, labels: torch.Tensor | None = None,
                weights: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        logits = self.net(embeddings)
        out = {"logits": logits}
        if labels is not None:
            loss = nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction="none").mean(-1)
            out["loss"] = (loss * weights).sum() / weights.sum() if weights is not None else loss.mean()
        return out
