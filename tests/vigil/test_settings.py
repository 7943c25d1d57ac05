from pathlib import Path

import pytest

from vigil.settings import Mode, SettingsError, load_settings


def test_defaults_are_embedded_development(vigil_home: Path) -> None:
    settings = load_settings()
    assert settings.mode is Mode.embedded
    assert settings.home == vigil_home
    assert settings.warehouse.backend == "chdb"
    assert settings.warehouse_path == vigil_home / "warehouse"


def test_environment_overrides_nested_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_MODE", "distributed")
    monkeypatch.setenv("VIGIL_BUS__BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    monkeypatch.setenv("VIGIL_WAREHOUSE__PORT", "18123")
    settings = load_settings()
    assert settings.mode is Mode.distributed
    assert settings.bus.bootstrap_servers == "127.0.0.1:19092"
    assert settings.warehouse.port == 18123


def test_yaml_file_is_read_and_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("mode: distributed\nbus:\n  partitions: 6\n  linger_ms: 5\nclassifier:\n  batch_size: 8\n")
    monkeypatch.setenv("VIGIL_BUS__LINGER_MS", "50")
    settings = load_settings(config)
    assert settings.mode is Mode.distributed
    assert settings.bus.partitions == 6
    assert settings.bus.linger_ms == 50
    assert settings.classifier.batch_size == 8


def test_invalid_value_names_the_setting_and_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_BUS__PARTITIONS", "0")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert "bus.partitions" in str(error.value)
    assert "VIGIL_BUS__PARTITIONS" in str(error.value)
    assert "greater than or equal to 1" in str(error.value)


def test_unknown_setting_in_yaml_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("warehouse:\n  bakend: server\n")
    with pytest.raises(SettingsError, match="warehouse.bakend"):
        load_settings(config)


def test_broken_yaml_and_missing_file_are_clear(tmp_path: Path) -> None:
    config = tmp_path / "broken.yaml"
    config.write_text("mode: [embedded\n")
    with pytest.raises(SettingsError, match="not valid YAML"):
        load_settings(config)
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "missing.yaml")


def test_placeholder_secret_refused_outside_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_ENVIRONMENT", "production")
    with pytest.raises(SettingsError, match="dashboards.secret_key is left at a placeholder"):
        load_settings()
    monkeypatch.setenv("VIGIL_DASHBOARDS__SECRET_KEY", "a-real-long-random-secret")
    assert load_settings().environment.value == "production"


def test_placeholder_secret_allowed_in_development() -> None:
    assert load_settings().dashboards.secret_key.get_secret_value() == "changethis"


def test_public_dict_masks_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_WAREHOUSE__PASSWORD", "hunter2-hunter2")
    dumped = load_settings().public_dict()
    assert "hunter2" not in str(dumped)
    assert dumped["warehouse"]["password"] == "**********"
