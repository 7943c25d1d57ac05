"""The layers follow the data: the core (vigil/) imports no stage, and each stage imports only the
core and the stages below it (crawlers < classifiers < flows < dashboards). Read from the source's
syntax trees, so an import inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each package and the packages it must never import.
FORBIDDEN = {
    "vigil": {"crawlers", "classifiers", "flows", "dashboards"},
    "crawlers": {"classifiers", "flows", "dashboards"},
    "classifiers": {"crawlers", "flows", "dashboards"},
    "flows": {"dashboards"},
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """Top-level package names ``path`` imports, with line numbers: import statements anywhere in
    the module, and ``importlib.import_module("...")`` calls with a literal name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add((node.module.split(".")[0], node.lineno))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add((node.args[0].value.split(".")[0], node.lineno))
    return found


def violations(package: str) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line} imports {name}"
            for path in sorted((ROOT / package).rglob("*.py"))
            for name, line in sorted(imported_packages(path)) if name in FORBIDDEN[package]]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_nothing_above_it(package: str) -> None:
    assert violations(package) == []


def test_the_walk_sees_imports_inside_functions_and_import_module(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from flows.trends import run_trends\n"
                      "    importlib.import_module('dashboards.app')\n", encoding="utf-8")
    assert {name for name, _ in imported_packages(module)} == {"os", "flows", "dashboards"}
