"""Tests that read ../shared skip without it on a developer's machine, and fail under CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import conftest


def test_missing_shared_data_skips_locally_and_fails_under_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "shared")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="is not present"):
        conftest.require_shared()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true, so the tests that read it must run"):
        conftest.require_shared()
    (tmp_path / "shared" / "data").mkdir(parents=True)
    assert conftest.require_shared() == tmp_path / "shared"
