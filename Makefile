# The few verbs a newcomer needs. `make demo` and `make test` install everything first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)

.PHONY: install system-packages services demo test test-fast test-slow check lint format migrations-check clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	bash scripts/install-system-packages
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q $(FIND_LINKS) -e '.[dev]'
	touch $@

services:
	bash scripts/start-services

demo: install
	$(PY) manage.py demo

test: install services
	$(VENV)/bin/pytest -m "not slow"

test-slow: install services
	$(VENV)/bin/pytest -m slow; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

check: install lint migrations-check

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	CLIPGUARD_VAR_DIR=$$(mktemp -d) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var/ .pytest_cache .mypy_cache .ruff_cache
