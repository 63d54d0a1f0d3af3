# The Makefile only bootstraps the virtual environment; tasks.py does the rest.
# `make <task>` runs `invoke <task>` inside .venv, creating it on first use:
# building and publishing install the runtime set (requirements.txt), testing adds
# the development set (requirements-dev.txt). Both are locked with hashes by
# `invoke lock` (ARCHITECTURE.md, "Dependencies").

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-virtualenv
# One stamp per set, named after what it was installed from: editing a lock installs again.
RUNTIME := $(VENV)/.runtime-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
DEV := $(VENV)/.dev-$(shell cat requirements-dev.txt | cksum | cut -d' ' -f1)

TASKS := html build rebuild clean serve livereload preview publish rollback check fetch translations bench
DEV_TASKS := lint lock

.PHONY: $(TASKS) $(DEV_TASKS) test venv venv-dev help
.DEFAULT_GOAL := help

help:
	@echo "make html     build the site into output/"
	@echo "make serve    serve output/ on http://127.0.0.1:8000/"
	@echo "make test     run the whole test suite"
	@echo "Every other task: .venv/bin/invoke --list"

venv: $(RUNTIME)
venv-dev: $(DEV)

# pip refuses an editable install among hashed requirements: the locked set first, with
# its hashes, then the project itself, without dependencies, by the pinned setuptools.
$(RUNTIME): requirements.txt pyproject.toml
	@test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create the virtual environment. On Debian or Ubuntu: apt-get install python3-venv"; exit 1; }
	$(PIP) --require-hashes -r requirements.txt
	$(PIP) --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.runtime-*
	@touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(PIP) --require-hashes -r requirements-dev.txt
	@rm -f $(VENV)/.dev-*
	@touch $@

$(TASKS): $(RUNTIME)
	@$(BIN)/invoke $@

$(DEV_TASKS): $(DEV)
	@$(BIN)/invoke $@

# The browser tests need system packages: installed here when run as root on Debian,
# else named with the one command that installs them (the other tests run anyway).
test: $(DEV)
	@scripts/system-packages.sh --or-advise
	@$(BIN)/invoke test
