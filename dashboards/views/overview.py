"""The overview page. It has no panels yet: the analyst pages add them (see ``dashboards``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OverviewView:
    has_data: bool = False
