# The targets the README names. `make test` is what CI runs.
PYTHON ?= python3
PYTEST = $(PYTHON) -m pytest

.PHONY: install servers lint unit contract integration e2e test run stop status schemas

install:  ## Python dependencies (editable, with the test tools)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'

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

test: install servers lint  ## everything: installs, starts servers, lints, runs every tier
	$(PYTEST) -q tests

run:  ## the whole system: servers, the four services, a readiness summary
	deploy/local/system up

stop:
	deploy/local/system down

status:
	deploy/local/system status

schemas:  ## rewrite the committed JSON schemas after a deliberate contract change
	$(PYTHON) -m shared.contracts
