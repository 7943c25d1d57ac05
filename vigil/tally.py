"""Counters a stage adds up batch by batch."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Self


@dataclass
class Tally:
    """A dataclass of integer counters; ``add`` sums another tally of the same kind into this one."""

    def add(self, other: Self) -> Self:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self
