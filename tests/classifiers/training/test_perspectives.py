"""History, first-person and solidarity negatives: negative, bilingual, deterministic, worded unlike the
suite and the probes, and opt-in per route without moving any other training row."""

import json
from collections import Counter
from dataclasses import replace

from classifiers.evaluation.functional import functional_cases
from classifiers.evaluation.probes import PROBE_SETS
from classifiers.groups import GROUPS
from classifiers.training import synthetic
from classifiers.training.config import DEFAULT_CONFIG, load_config
from classifiers.training.data import Example
from classifiers.training.perspectives import FAMILIES, perspective_examples
from tests.classifiers.training.test_contrast import _shingles


def test_all_negative_bilingual_sized_and_spread_over_groups():
    rows = perspective_examples(seed=4, per_language=300)
    assert all(r.labels == () and r.kind == "contrast" for r in rows)
    per_language = Counter(r.language for r in rows)
    assert set(per_language) == {"en", "ru"} and all(270 <= n <= 300 for n in per_language.values())
    assert len({r.text for r in rows}) == len(rows)
    for language in ("en", "ru"):
        named = {r.group for r in rows if r.language == language and r.group}
        assert len(named) == len(GROUPS), language  # every group is named in some template's rows
        assert not any("{" in r.text or "}" in r.text for r in rows)


def test_every_template_without_a_group_is_used_and_none_with_one_is_left_unfilled():
    rows = {r.text for r in perspective_examples(seed=1, per_language=300)}
    for family in FAMILIES.values():
        for templates in family.values():
            assert all(t in rows for t in templates if "{" not in t)


def test_deterministic_for_a_seed_and_none_at_zero():
    assert perspective_examples(seed=5, per_language=120) == perspective_examples(seed=5, per_language=120)
    assert perspective_examples(seed=5, per_language=120) != perspective_examples(seed=6, per_language=120)
    assert perspective_examples(seed=5, per_language=0) == []


def test_worded_unlike_the_suite_the_synthetic_templates_and_the_probes():
    """The suite and the probes measure what training teaches: no five words in a row in common. probe-9 showed
    the need (a development set), probe-10 was written apart and measures the families."""
    held = [case.text for case in functional_cases()]
    held += [t for table in (synthetic.NEUTRAL, synthetic.NEWS) for ts in table.values() for t in ts]
    held += [json.loads(line)["text"] for path in sorted(PROBE_SETS.glob("probe-*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    theirs = set().union(*(_shingles(t) for t in held))
    for family in FAMILIES.values():
        for templates in family.values():
            for template in templates:
                assert not _shingles(template) & theirs, template


def test_a_route_opts_in_and_every_other_made_row_stays_as_it_was():
    from classifiers.training.finetune import routes_of
    from classifiers.training.finetune_run import augmented_rows, route_fingerprint

    config = load_config(DEFAULT_CONFIG, contrast_per_language=10, perturb_fraction=0.3,
                         encoders={"a": {"base": "x", "languages": ["en"], "perspectives_per_language": 50},
                                   "b": {"base": "y", "languages": ["ru"]}})
    train = [Example(f"row {i} says the neighbours are vermin and must go.", "en",
                     ("xenophobia",) if i % 2 else (), "synthetic") for i in range(60)]
    a, b = routes_of(config)
    without = augmented_rows(b.config(config), train)
    with_them = augmented_rows(a.config(config), train)
    assert with_them[:len(without)] == without
    added = with_them[len(without):]
    assert sum(r.kind == "contrast" for r in added) == len(perspective_examples(config.seed, 50))
    assert any(r.kind == "perturbed" for r in added) and all(not r.labels for r in added)
    # a field added later: at 0 it leaves the fingerprint of a route trained before it as it was
    before = route_fingerprint(b, config, train, [])
    assert route_fingerprint(b, replace(config, perspectives_per_language=0), train, []) == before
    assert route_fingerprint(b, replace(config, perspectives_per_language=50), train, []) != before
