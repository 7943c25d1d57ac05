from __future__ import annotations

import pytest

from dashboards.security.redirects import local_path


@pytest.mark.parametrize("target, expected", [
    ("/account?x=1", "/account?x=1"), (None, "/"), ("", "/"), ("https://evil.example/", "/"),
    ("//evil.example/", "/"), ("/\\evil.example", "/"), ("account", "/"), ("/a\nb", "/"),
])
def test_only_paths_on_this_site_are_followed(target: str | None, expected: str) -> None:
    assert local_path(target) == expected
