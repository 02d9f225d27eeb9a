# The targets the README names. `make test` is what CI runs. Everything runs in the
# project's own virtualenv (.venv), installed exactly from uv.lock by `make install`.
VENV ?= .venv
PYTHON = $(VENV)/bin/python
PYTEST = $(PYTHON) -m pytest

.PHONY: architecture install lock tools servers lint unit contract integration e2e compose test run stop status schemas

install:  ## .venv from uv.lock, exactly (a package changed by hand is put back)
	python3 deploy/install --venv $(VENV)

lock:  ## upgrade every locked dependency deliberately, within pyproject.toml's ranges
	$(VENV)/bin/uv lock --upgrade

tools:  ## what tests need before they are collected: Thai fonts, Pango, poppler, Chromium, Prometheus
	deploy/local/servers up tools browser prometheus

servers:  ## RabbitMQ and MongoDB (mongo-java-server) on loopback; installs what is missing
	deploy/local/servers up

lint:  ## ruff (lint and format) and mypy
	$(PYTHON) -m ruff check shared services samples tests bench
	$(PYTHON) -m ruff format --check shared services samples tests bench
	$(PYTHON) -m mypy

unit:
	$(PYTEST) -q tests/unit

contract:
	$(PYTEST) -q tests/contract

integration:
	$(PYTEST) -q tests/integration

e2e:
	$(PYTEST) -q tests/e2e

compose:  ## deploy/compose.yaml for real (needs a Docker engine; skips with a reason without)
	$(PYTEST) -q tests/compose

test: install tools lint  ## everything: installs, starts servers, lints, runs every tier
	$(PYTEST) -q tests --ignore=tests/compose
	$(PYTEST) -q tests/compose

run: install  ## the whole system: servers, the services, a readiness summary
	deploy/local/system up

stop:
	deploy/local/system down

status:
	deploy/local/system status

architecture:  ## docs/architecture.md from the services' CONSUMES and PUBLISHES tables
	$(PYTHON) -m services.catalogue > docs/architecture.md

schemas:  ## rewrite the committed JSON schemas after a deliberate contract change
	$(PYTHON) -m shared.contracts
