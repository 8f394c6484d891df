# Common tasks. The README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# where `make run` and `make notebooks` keep the graph (the tests use temporary directories)
DATA_DIR ?= $(if $(CTKG_DATA_DIR),$(CTKG_DATA_DIR),$(CURDIR)/ctkg-data)

.PHONY: install install-test system-deps run build serve test lint typecheck format bench notebooks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python system-deps
	$(BIN)/pip install --quiet -e '.[test]'

# Debian packages the tests need: Java for the HermiT reasoner, a JDK and the OWL API for the
# OWL 2 DL profile check (ontology/owlapi.py), Chromium for the browser tests, OpenRefine for the
# reconciliation client test (tests/test_reconcile_openrefine.py), Virtuoso (virtuoso-t, isql-vt)
# for the second remote store (tests/test_remote_store.py).
system-deps:
	@missing=""; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v javac >/dev/null 2>&1 || missing="$$missing default-jdk-headless"; \
	[ -f /usr/share/java/owlapi-distribution.jar ] || missing="$$missing libowlapi-java"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v openrefine >/dev/null 2>&1 || missing="$$missing openrefine"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: install
	CTKG_DATA_DIR=$(DATA_DIR) $(BIN)/ctkg build

run: build
	CTKG_DATA_DIR=$(DATA_DIR) $(BIN)/ctkg serve

lint: $(BIN)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy from a baseline: the count of errors may only fall (.ci/mypy-baseline.txt). Its own target,
# not part of `make test`'s lint: a cold run took 63 s on the shared 2-core machine.
typecheck: install-test
	$(BIN)/python .ci/typecheck.py

format: $(BIN)/python
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# the venv's bin/ on PATH, so tools installed into it (the oxigraph server) are found by anything
# that looks on PATH; the tests themselves look next to sys.executable first.
# TEST_WORKERS pytest-xdist workers (CI has 2 cores; 0: one process), each given whole test files
# (--dist loadfile), so a module's servers, browser and private builds are still made once; every
# worker has its own temporary directories and builds the session's real graph for itself.
# --no-loadscope-reorder: files go out in collection order, which tests/conftest.py makes the
# longest first (xdist's own order, most tests first, left the longest files to the end).
TEST_WORKERS ?= 2
test: install-test lint
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

bench: install-test
	$(BIN)/python -m bench.run

# JupyterLab on notebooks/, reading the graph built in ./ctkg-data (06 also wants `make run`)
notebooks: build
	$(BIN)/pip install --quiet -e '.[notebooks]'
	CTKG_DATA_DIR=$(DATA_DIR) $(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) ctkg-data test-artifacts .pytest_cache .ruff_cache .mypy_cache
