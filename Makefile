# recsys-workshop: every command a newcomer, an instructor or CI needs.
#   make lab    create .venv if needed and open JupyterLab on notebooks/
#   make test   create .venv if needed, lint, and run every test
#   make bench  print speed ratios measured side by side
#   make data   download and cache the UCI Online Retail data ahead of a workshop
# Instructors (README, "For instructors"):
#   make release                         regenerate notebooks/ from solutions/
#   make autograde SUBMISSIONS=folder    autograde folder/STUDENT/CHAPTER.ipynb
#   make feedback                        HTML feedback under course/feedback/

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt only when pyproject.toml changes.
STAMP := $(VENV)/.installed

# CI and the developers' machines have the data beside the project, offline:
# point the cache at it unless the user chose a folder.
SHARED_DATA := $(abspath ../shared/data)
ifeq ($(origin RECSYS_WORKSHOP_DATA),undefined)
ifneq ($(wildcard $(SHARED_DATA)/online-retail.parquet),)
export RECSYS_WORKSHOP_DATA := $(SHARED_DATA)
endif
endif

# Folder of collected submissions for `make autograde`.
SUBMISSIONS ?= submissions

# JupyterLab refuses to run as root unless told to (containers, CI).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: venv lab test lint bench data release autograde feedback clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "recsys-workshop needs Python 3.11 or newer; '$(PYTHON)' is not." \
		       "Run: make PYTHON=python3.12 $(MAKECMDGOALS)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable ".[dev]"
	touch $(STAMP)

lab: venv
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ALLOW_ROOT)

lint: venv
	$(BIN)/ruff check --output-format concise src tests benchmarks nbgrader_config.py

test: lint
	$(BIN)/python -m pytest

bench: venv
	$(BIN)/python benchmarks/bench.py

data: venv
	$(BIN)/python -m recsys_workshop.data

release: venv
	$(BIN)/python -m recsys_workshop.course release

autograde: venv
	$(BIN)/python -m recsys_workshop.course autograde $(SUBMISSIONS)

feedback: venv
	$(BIN)/python -m recsys_workshop.course feedback

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
