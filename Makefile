# The Makefile only bootstraps the virtual environment; tasks.py does the rest.
# `make <task>` runs `invoke <task>` inside .venv, creating it on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

TASKS := html build rebuild clean serve livereload preview publish rollback check fetch translations bench test

.PHONY: $(TASKS) venv help
.DEFAULT_GOAL := help

help:
	@echo "make html     build the site into output/"
	@echo "make serve    serve output/ on http://127.0.0.1:8000/"
	@echo "make test     run the whole test suite"
	@echo "Every other task: .venv/bin/invoke --list"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create the virtual environment. On Debian or Ubuntu: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-virtualenv -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-virtualenv --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

$(TASKS): $(STAMP)
	@$(BIN)/invoke $@
