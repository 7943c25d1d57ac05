"""Commands come from the packages' entry points; a command whose extra is missing says so."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import typer
from typer.testing import CliRunner

from vigil.cli import registry
from vigil.cli.registry import Commands, load_commands, missing_requirements


@pytest.fixture
def without_crawl_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the crawl extra were not installed: its requirements resolve to a missing package."""
    monkeypatch.setattr(registry.importlib.metadata, "requires", lambda _dist: [
        'pydantic==2.*', 'no-such-package-vigil-test>=1; extra == "crawl"', 'torch==2.15.0; extra == "ml"'])
    missing_requirements.cache_clear()
    yield
    missing_requirements.cache_clear()


def test_every_package_contributes_its_commands() -> None:
    app = typer.Typer()
    assert load_commands(app) == ["vigil", "classifiers", "crawlers", "dashboards", "flows"]


def test_a_missing_requirement_is_found_from_the_distributions_metadata(without_crawl_extra: None) -> None:
    assert missing_requirements("crawl") == ("no-such-package-vigil-test",)
    assert missing_requirements("ml") == ()  # torch is installed here


def test_installed_extras_have_nothing_missing() -> None:
    missing_requirements.cache_clear()
    assert [extra for extra in ("crawl", "ml", "flows", "web", "dev") if missing_requirements(extra)] == []


def test_a_command_without_its_extra_shows_as_unavailable_with_the_install_line(without_crawl_extra: None) -> None:
    app = typer.Typer(rich_markup_mode=None)
    load_commands(app)
    runner = CliRunner()
    help_text = runner.invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    crawl_line = next(line for line in help_text.splitlines() if line.strip().startswith("crawl "))
    assert "(unavailable: pip install 'vigil[crawl]')" in crawl_line
    sources_line = next(line for line in help_text.splitlines() if line.strip().startswith("sources "))
    assert "unavailable" in sources_line
    classify_line = next(line for line in help_text.splitlines() if line.strip().startswith("classify "))
    assert "unavailable" not in classify_line
    result = runner.invoke(app, ["crawl", "--sources", "x.yaml"])
    assert result.exit_code == 2
    assert "needs the extra crawl: pip install 'vigil[crawl]'" in result.output


def test_groups_are_shared_between_packages() -> None:
    app = typer.Typer(rich_markup_mode=None)
    commands = Commands(app)
    commands.group("consume", "Run one stage.").command("sink", lambda: None, help="core's")
    commands.group("consume").command("classify", lambda: None, help="classifiers'")
    commands.finish()
    result = CliRunner().invoke(app, ["consume", "--help"])
    assert "Run one stage." in result.output
    assert "sink" in result.output and "classify" in result.output


def test_loading_the_cli_imports_no_extra() -> None:
    code = textwrap.dedent("""
        import sys
        import vigil.cli
        vigil.cli.loaded_app()  # every package's commands registered
        heavy = ("scrapy", "torch", "transformers", "prefect", "fastapi", "trafilatura", "datasketch")
        print(",".join(sorted(m for m in heavy if m in sys.modules)))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("module", ["dashboards.cli", "classifiers.cli", "crawlers.cli", "flows.cli"])
def test_a_command_module_imports_first_without_a_cycle(module: str) -> None:
    code = f"import {module}; from vigil.cli import app; print(len(app.registered_commands) > 5)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"
