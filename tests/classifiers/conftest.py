"""Shared fixtures: the shipped default model, loaded offline once per session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the default model must work with no network


@pytest.fixture(scope="session")
def default_labeller():
    from classifiers.labeller import Labeller
    from classifiers.model.predict import RunOptions, load
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    return Labeller(load("default", RunOptions(device="cpu")), load_lexicon(), None, load_taxonomy())
