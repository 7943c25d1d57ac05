"""The taxonomy: categories of the CSTO statement, their severities and default thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from vigil.schemas import CATEGORIES

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yaml")


@dataclass(frozen=True)
class Category:
    name: str
    definition: str
    severity: str
    threshold: float


@dataclass(frozen=True)
class Taxonomy:
    version: int
    categories: dict[str, Category]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.categories)


def parse_taxonomy(data: dict) -> Taxonomy:
    """Build a Taxonomy, refusing one whose categories differ from the bus contract."""
    raw = data["categories"]
    if tuple(raw) != CATEGORIES:
        raise ValueError(f"taxonomy categories {tuple(raw)} differ from vigil.schemas.CATEGORIES {CATEGORIES}")
    categories = {
        name: Category(name, entry["definition"], entry["severity"], float(entry["threshold"]))
        for name, entry in raw.items()
    }
    return Taxonomy(version=int(data["version"]), categories=categories)


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    return parse_taxonomy(yaml.safe_load(path.read_text(encoding="utf-8")))
