"""Read the labelled sets in ../shared/data into one list of training examples.

The sets come with a heuristic ``project_label`` column; this module applies it with
the changes recorded in :data:`MAPPING_NOTES` (the model card prints them).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MODEL_CATEGORIES: tuple[str, ...] = ("incitement", "recruitment", "neo_nazism", "xenophobia")

# Recruitment guideline for the account-level ISIS tweets: a tweet is a recruitment
# call only when it invites the reader to join, pledge, travel (hijra) to the group, or
# contact someone for that; everything else from those accounts (news, small talk,
# religious quotes) is left out, neither positive nor negative.
RECRUITMENT_CALL = re.compile(
    r"\b(join (us|the|our|isis|is\b|islamic state|the caliphate|khilafah?)|make hijr|perform hijr|"
    r"hijrah? to|come to (sham|syria|the (land|khilafah?|caliphate|islamic state))|pledge|bay'?ah|baya|"
    r"give (your )?allegiance|recruit|mujahid(een|in) need|contact me|dm me|kik me|telegram)",
    re.IGNORECASE,
)

MAPPING_NOTES = [
    "stormfront: 'hate' sentences -> neo_nazism; 'noHate' -> negative (in-domain hard negative); 'relation'/'idk' dropped.",
    "latent-hatred: implicit 'threatening' -> incitement; 'white_grievance' and 'incitement'-to-hate-group posts -> neo_nazism; "
    "other hate (target unknown, inferiority, stereotypes, irony) dropped rather than used as negatives; not_hate -> negative.",
    "isis-tweets: account-level labels; only tweets matching the recruitment-call guideline (join, pledge/bay'ah, hijra, "
    "contact a recruiter) -> recruitment; the rest dropped.",
    "ru-sensitive-topics: inappropriate racism-topic messages -> xenophobia (weak); inappropriate terrorism-topic -> incitement "
    "(weak); appropriate messages, including those on terrorism, race and religion -> negatives; religious-intolerance "
    "candidates and out-of-scope inappropriate messages dropped.",
]


@dataclass(frozen=True)
class Example:
    text: str
    language: str
    labels: tuple[str, ...]
    source: str


def _stormfront(root: Path) -> list[Example]:
    df = pd.read_csv(root / "stormfront" / "labels.csv")
    out = []
    for text, label in zip(df["text"].fillna("").astype(str), df["project_label"]):
        if label in ("neo_nazism", "none"):
            out.append(Example(text, "en", ("neo_nazism",) if label == "neo_nazism" else (), "stormfront"))
    return out


def _latent_hatred(root: Path) -> list[Example]:
    df = pd.read_csv(root / "latent-hatred" / "labels.csv")
    out = []
    for text, label in zip(df["post"].fillna("").astype(str), df["project_label"]):
        if label in ("incitement", "neo_nazism"):
            out.append(Example(text, "en", (label,), "latent-hatred"))
        elif label == "none":
            out.append(Example(text, "en", (), "latent-hatred"))
    return out


def _isis(root: Path) -> list[Example]:
    df = pd.read_csv(root / "isis-tweets" / "IsisFanboy.csv")
    return [Example(t, "en", ("recruitment",), "isis-tweets")
            for t in df["tweets"].fillna("").astype(str) if RECRUITMENT_CALL.search(t)]


def _ru_sensitive(root: Path) -> list[Example]:
    df = pd.read_csv(root / "ru-sensitive-topics" / "labels.csv")
    mapping = {"xenophobia": ("xenophobia",), "incitement": ("incitement",), "none": ()}
    return [Example(t, "ru", mapping[label], "ru-sensitive-topics")
            for t, label in zip(df["text"].fillna("").astype(str), df["project_label"]) if label in mapping]


# For the model card: what each set is and the terms it comes under.
DATASETS = {
    "stormfront": ("Stormfront white-supremacist forum sentences (de Gibert et al. 2018), Vicomtech/hate-speech-dataset",
                   "en", "CC BY-SA 3.0 ES"),
    "latent-hatred": ("Latent Hatred tweets (ElSherief et al. 2021), SALT-NLP/implicit-hate", "en",
                      "research data behind a form (repository MIT): keep inside the project, do not republish"),
    "isis-tweets": ("How ISIS Uses Twitter (Fifth Tribe, Kaggle)", "en", "CC0 1.0"),
    "ru-sensitive-topics": ("Russian sensitive topics and appropriateness (Babakov et al.), s-nlp/inappropriate-sensitive-topics",
                            "ru", "CC BY-NC-SA 4.0 (non-commercial, share-alike)"),
    "synthetic": ("templated English and Russian sentences written for this project (classifiers/training/synthetic.py)",
                  "en, ru", "Apache-2.0 (this project)"),
    "reviews": ("reviewer decisions from the warehouse", "any", "operator's own data"),
}

READERS = {"stormfront": _stormfront, "latent-hatred": _latent_hatred, "isis-tweets": _isis,
           "ru-sensitive-topics": _ru_sensitive}


def load_shared(root: Path, *, max_negatives_per_source: int, max_positives_per_label: int,
                seed: int, exclude: tuple[str, ...] = ()) -> list[Example]:
    """Every usable example, with negatives and over-represented positives subsampled."""
    rng = random.Random(seed)
    examples: list[Example] = []
    for name, reader in READERS.items():
        if name in exclude or not (root / name).is_dir():
            continue
        rows = reader(root)
        groups: dict[tuple[str, ...], list[Example]] = defaultdict(list)
        for row in rows:
            groups[row.labels].append(row)
        for labels, members in sorted(groups.items()):
            cap = max_positives_per_label if labels else max_negatives_per_source
            rng.shuffle(members)
            examples.extend(members[:cap])
    return examples
