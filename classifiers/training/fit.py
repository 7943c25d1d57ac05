"""Fit one head over cached embeddings with the transformers ``Trainer``."""

from __future__ import annotations

import tempfile

import numpy as np
import torch
from torch.utils.data import Dataset
from transformers import Trainer, TrainingArguments, set_seed

from classifiers.model.head import Head
from classifiers.training.config import TrainConfig


class EmbeddingSet(Dataset):
    def __init__(self, vectors: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> None:
        self.vectors = torch.from_numpy(vectors.astype(np.float32))
        self.labels = torch.from_numpy(labels.astype(np.float32))
        self.weights = torch.from_numpy(weights.astype(np.float32))

    def __len__(self) -> int:
        return len(self.vectors)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"embeddings": self.vectors[i], "labels": self.labels[i], "weights": self.weights[i]}


def fit_head(vectors: np.ndarray, labels: np.ndarray, weights: np.ndarray, config: TrainConfig) -> Head:
    """A trained head; seeded, so the same data and config give the same weights."""
    set_seed(config.seed)
    head = Head(vectors.shape[1], labels.shape[1], hidden=config.hidden)
    with tempfile.TemporaryDirectory() as scratch:
        args = TrainingArguments(
            output_dir=scratch, num_train_epochs=config.epochs, per_device_train_batch_size=config.batch_size,
            learning_rate=config.learning_rate, weight_decay=config.weight_decay, seed=config.seed,
            data_seed=config.seed, save_strategy="no", report_to=[], logging_strategy="no", disable_tqdm=True,
            use_cpu=not torch.cuda.is_available(), label_names=["labels"], lr_scheduler_type="cosine",
            warmup_steps=0.05, dataloader_num_workers=0,
        )
        Trainer(model=head, args=args, train_dataset=EmbeddingSet(vectors, labels, weights)).train()
    return head.cpu().eval()


def head_logits(head: Head, vectors: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        return head(torch.from_numpy(vectors.astype(np.float32)))["logits"].numpy()
