# Seabridge: `make run` serves the platform on http://127.0.0.1:8000, `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint fmt messages clean lock bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list or the lock changed.
$(STAMP): pyproject.toml requirements/constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p var
	@export DEBUG=$${DEBUG:-true}; \
	  (cd src/seabridge && ../../$(BIN)/seabridge compilemessages --verbosity 0) && \
	  $(BIN)/seabridge migrate --no-input && \
	  $(BIN)/seabridge load_markets && \
	  $(BIN)/seabridge demo --if-empty && \
	  echo "Seabridge on http://127.0.0.1:$(PORT) (worker running beside it; Ctrl-C stops both)" && \
	  trap 'kill 0' EXIT INT TERM && \
	  { $(BIN)/seabridge db_worker --interval 0.5 & \
	    $(BIN)/seabridge runserver 127.0.0.1:$(PORT); }

test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate and compile the translation catalogues.
messages: install
	# The test settings load without DEBUG or SECRET_KEY: with settings that fail to load,
	# Django would quietly run its own makemessages, which misses our _l() keyword.
	cd src/seabridge && DJANGO_SETTINGS_MODULE=seabridge.settings_test ../../$(BIN)/seabridge makemessages -a --no-obsolete -i 'tests/*'
	cd src/seabridge && ../../$(BIN)/seabridge compilemessages

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static

# Re-pin every package after a change to pyproject.toml's dependencies.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e '.[test,bench]'
	{ echo "# Pinned versions of every installed package: a fresh install gets exactly these."; \
	  echo "# Regenerate after changing pyproject.toml: make lock"; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^seabridge'; } > requirements/constraints.txt
	rm -rf .venv-lock

# The benchmark suite (benchmarks/README.md): `make bench` builds a world of a million
# vehicles on SQLite and on a throwaway PostgreSQL cluster; `make bench SCALE=small`
# runs the same parts on a small world in under two minutes.
SCALE ?= full
# BENCH_ARGS=--check runs and reports without writing results (what make test does).
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP) benchmarks/package-lock.json
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[test,bench]'
	cd benchmarks && npm ci --no-audit --no-fund --loglevel=error
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run --scale $(SCALE) $(BENCH_ARGS)
