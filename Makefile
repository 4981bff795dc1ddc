# Two commands set up and run everything on a fresh machine: `make synth` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# The pinned Node.js 22 and CDK CLI from package.json come first, for the CLI and for jsii alike.
export PATH := $(CURDIR)/node_modules/.bin:$(BIN):$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1

.PHONY: setup synth test lint typecheck unit bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements-dev.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

synth: setup
	rm -rf cdk.out
	cdk synth --quiet --no-notices
	@echo "Stacks written to cdk.out:"
	@$(BIN)/python -c 'import json; m = json.load(open("cdk.out/manifest.json")); \
	[print("  " + name) for name, a in sorted(m["artifacts"].items()) if a["type"] == "aws:cloudformation:stack"]'

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -n 2 --dist loadfile

test: lint typecheck unit

bench: setup
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) node_modules cdk.out .mypy_cache .ruff_cache .pytest_cache
