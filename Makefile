# Yiwang — the two set-up commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# QR codes and links in notices point at the address the demo serves on.
PUBLIC_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)

.PHONY: demo test install check lint typecheck messages serve worker clean ci

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements/constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate the embedded SQLite database, load the demo district, serve it with a task worker
## (quiet: the demo history queues ~1,700 notifications, which the worker delivers when it starts).
demo: $(STAMP)
	$(BIN)/yiwang migrate --noinput
	$(BIN)/yiwang load_demo
	@echo ""
	@echo "Yiwang is serving on http://$(HOST):$(PORT)/  (portal /, workbench /workbench/, API docs /api/docs, health /healthz)"
	@echo "Press Ctrl-C to stop."
	@trap 'kill 0' INT TERM EXIT; export YIWANG_PUBLIC_BASE_URL="$${YIWANG_PUBLIC_BASE_URL:-$(PUBLIC_URL)}"; \
	  $(BIN)/yiwang run_worker --verbosity 0 & \
	  $(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers 1 --blocking-threads 4 \
	    --log-level warning yiwang.config.wsgi:application

## make test: install and run the whole suite (SQLite by default; PostgreSQL when DATABASE_URL is set).
## Two pytest-xdist workers by default (one per core here); TEST_WORKERS=0 runs in one process.
## The order is random on every run (pytest-randomly); TEST_SEED=N repeats the order of a run.
TEST_WORKERS ?= 2
ifndef TEST_SEED
TEST_SEED := $(shell $(PYTHON) -c 'import random; print(random.randrange(1, 10**6))')
endif
test: $(STAMP)
	@echo "tests in random order, seed $(TEST_SEED) (TEST_SEED=$(TEST_SEED) make test repeats this order)"
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) -p randomly --randomly-seed=$(TEST_SEED) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

## make messages: re-extract translatable strings (needs GNU gettext) and compile the catalogues.
messages: $(STAMP)
	$(BIN)/yiwang i18n

clean:
	rm -rf $(VENV) var staticfiles .mypy_cache .ruff_cache .hypothesis
