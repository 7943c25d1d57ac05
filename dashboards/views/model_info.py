"""What the pages say about the model in force: its manifest, its thresholds per route and
language, and the thresholds that labelled one classification."""

from __future__ import annotations

import json
from pathlib import Path

from classifiers.model.predict import DEFAULT_MODEL_DIR, MANIFEST


def model_manifest(name: str) -> dict:
    """The manifest of a local model folder (``default`` is the packaged one); {} for a hub id."""
    folder = DEFAULT_MODEL_DIR if name == "default" else Path(name)
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def model_thresholds(manifest: dict) -> dict[str, dict[str, float]]:
    """Label thresholds per route of the model in force: ``minilm`` (heads over frozen encoders), or
    ``minilm/en`` per language the route has its own thresholds for (fine-tuned encoders)."""
    out: dict[str, dict[str, float]] = {}
    for head, spec in manifest.get("heads", {}).items():
        out[head] = {c: float(t) for c, t in spec.get("thresholds", {}).items()}
    for route, spec in manifest.get("encoders", {}).items():
        tables = spec.get("thresholds", {})
        for lang, table in tables.items():
            if lang != "*" or len(tables) == 1:
                out[route if lang == "*" else f"{route}/{lang}"] = {c: float(t) for c, t in table.items()}
    return out


def applied_thresholds(manifest: dict, model_version: str, language: str | None) -> dict[str, float]:
    """The thresholds the model applied to a classification made by ``model_version`` in ``language``:
    its route's table for that language over the route's default. Empty when the classification came
    from another model than ``manifest``'s (the taxonomy's thresholds are then the ones to show)."""
    if not manifest or model_version.split("+", 1)[0] != manifest.get("version"):
        return {}
    route = manifest.get("routes", {}).get(language or "", manifest.get("fallback"))
    if "encoders" in manifest:
        tables = manifest["encoders"].get(route, {}).get("thresholds", {})
        return {c: float(t) for c, t in {**tables.get("*", {}), **tables.get(language or "", {})}.items()}
    return {c: float(t) for c, t in manifest.get("heads", {}).get(route, {}).get("thresholds", {}).items()}
