import pytest
import yaml

from classifiers.taxonomy import TAXONOMY_FILE, load_taxonomy, parse_taxonomy
from vigil.schemas import CATEGORIES


def test_taxonomy_categories_are_the_bus_contract():
    taxonomy = load_taxonomy()
    assert taxonomy.names == CATEGORIES
    for category in taxonomy.categories.values():
        assert 0 < category.threshold < 1
        assert category.severity in {"critical", "high", "medium", "low"}
        assert len(category.definition) > 40


def test_every_category_has_inclusion_and_exclusion_notes():
    raw = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    assert any("religion" in note for note in raw["global_exclusions"])
    for name, entry in raw["categories"].items():
        assert entry["include"] and entry["exclude"], name
        assert entry["statement"], name


def test_a_taxonomy_that_differs_from_the_contract_is_refused():
    raw = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    raw["categories"].pop("financing")
    with pytest.raises(ValueError, match="differ"):
        parse_taxonomy(raw)
