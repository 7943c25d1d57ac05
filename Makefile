# Vigil: one-command set-up. `make demo` runs the main job and serves the dashboards, `make test` passes the tests.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
EXTRAS := crawl,ml,flows,web,dev
# The stamp changes whenever pyproject.toml does, so `make install` is quick when nothing changed.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo test test-fast bench clean help

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

install: $(STAMP)  ## Create .venv and install Vigil with every extra (idempotent)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Vigil needs Python 3.11, found " + sys.version.split()[0]'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: install  ## Run everything on demo data and serve the dashboards until Ctrl-C (no servers needed)
	$(BIN)/vigil demo

test: install  ## Run every test, starting the services they need
	$(BIN)/python -m pytest

test-fast: install  ## Tests that need no service and are not slow
	$(BIN)/python -m pytest -m 'not kafka and not warehouse and not prefect and not browser and not slow'

bench: install  ## Run every benchmark; write benchmarks/results.json and benchmarks/RESULTS.md
	$(BIN)/python benchmarks/report.py

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache build *.egg-info
