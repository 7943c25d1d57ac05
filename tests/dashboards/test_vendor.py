"""The vendored JavaScript is what MANIFEST.json says: every file listed, every sha256 right."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dashboards.app import STATIC

VENDOR = STATIC / "vendor"
MANIFEST = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))


def _files() -> dict[str, dict]:
    return {item["path"]: item for package in MANIFEST["packages"] for item in package["files"]}


def test_every_vendored_file_has_the_sha256_of_the_manifest() -> None:
    mismatched = [path for path, item in _files().items()
                  if hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() != item["sha256"]]
    assert mismatched == []


def test_every_file_under_vendor_is_in_the_manifest() -> None:
    present = {str(path.relative_to(VENDOR)) for path in VENDOR.rglob("*") if path.is_file()}
    assert present - {"MANIFEST.json"} == set(_files())


def test_each_package_names_its_source_and_licence_and_ships_the_licence_text() -> None:
    names = set()
    for package in MANIFEST["packages"]:
        names.add(package["name"])
        assert package["source"] == f"npm:{package['name']}@{package['version']}"
        assert package["licence"] and package["tarball_integrity"].startswith("sha512-")
        assert any(Path(item["path"]).name == "LICENSE" for item in package["files"]), package["name"]
        assert all(not item["path"].endswith(".map") for item in package["files"])
    assert names == {"htmx.org", "echarts", "swagger-ui-dist"}
