# recsys-workshop: every command a newcomer, an instructor or CI needs.
#   make lab    create .venv if needed and open JupyterLab on notebooks/
#   make test   create .venv if needed, lint, and run every test
#   make browser-test  only the tests that drive JupyterLab and the slides in chromium
#   make bench  print speed ratios measured side by side
#   make data   download and cache the UCI Online Retail data ahead of a workshop
#   make slides build the instructor's deck into slides/_build/index.html (needs node and npm)
#   make catalogue  regenerate EXERCISES.md and the README's points table from the chapter registry
#   make serve  serve chapter 7's model and demo page on http://127.0.0.1:8000 (HOST=, PORT=)
#   make loadtest  load the service on a free loopback port; print requests/s and latencies
#   make artifacts  (re)build the trained model's files that serve and loadtest read
#   make scale  add the optional Spark extra (pyspark[ml], about 460 MB) to .venv
#   make spark  chapter 5's pipeline on Spark (MASTER=local[2]): artifacts-spark/ for make serve
# Instructors (README, "For instructors"):
#   make release                         regenerate notebooks/ (and dist/*.zip) from solutions/
#   make pair                            regenerate solutions/NN_name.py from solutions/NN_name.ipynb
#   make autograde SUBMISSIONS=folder    autograde folder/STUDENT/CHAPTER.ipynb in a sandbox
#                                        (UNSAFE=1: without it, where bubblewrap cannot run)
#   make feedback                        HTML feedback under course/feedback/
#                                        (WORKERS=n: notebooks at once; default one per CPU)
#   make report                          course/report/: grades.csv, exercises.csv, success.png
#   make instructor                      JupyterLab with nbgrader's Formgrader on course/
#                                        (COURSE_ROOT=folder: another course folder)

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

.PHONY: venv lab test browser-test lint bench data slides catalogue release pair autograde feedback instructor serve loadtest artifacts clean report scale spark

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "recsys-workshop needs Python 3.11 or newer; '$(PYTHON)' is not." \
		       "Run: make PYTHON=python3.12 $(MAKECMDGOALS)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable ".[dev]"
	touch $(STAMP)

# The optional Spark extra (chapter 8): not part of `make lab`, since attendees who
# skip Spark need none of it; `make test` installs it to run the spark tests.
SCALE_STAMP := $(VENV)/.installed-scale

scale: $(SCALE_STAMP)

$(SCALE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --editable ".[dev,scale]"
	touch $(SCALE_STAMP)

# JupyterLab as attendees get it: the file browser on notebooks/, and
# lab-settings/ as the application settings folder (this replaces the default
# .venv/share/jupyter/lab/settings, which no dependency fills): overrides.json (no
# first-run news prompt) and page_config.json (nbgrader's instructor plugins,
# jupytext's plugin and the Extension Manager off; Validate stays).
# lab-settings/jupyter_server_config.py, used only here, turns off the matching
# server extensions and serves each notebook with this machine's language_info,
# so an untouched notebook opens unmodified.
# Instructors edit solutions/ with a plain `.venv/bin/jupyter lab`.
# The browser test points LAB_ROOT at a scratch copy and adds LAB_ARGS (port,
# token, no browser).
LAB_ROOT ?= notebooks
LAB_ARGS ?=

lab: venv
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) \
		--LabApp.app_settings_dir=$(CURDIR)/lab-settings \
		--config=$(CURDIR)/lab-settings/jupyter_server_config.py $(ALLOW_ROOT) $(LAB_ARGS)

# JupyterLab as the instructor gets it (README, "For instructors"): nbgrader's
# Formgrader (Nbgrader > Formgrader) on the course folder COURSE_ROOT, filled by
# `make release` or `make autograde`, its scores and comments in COURSE_ROOT/gradebook.db.
# The formgrader works only on a course inside the server's root, so the file browser
# opens on the folder holding COURSE_ROOT (for course/, the project: solutions/ too).
# It reads nbgrader_config.py from the folder it starts in, after any command-line
# option, so RECSYS_WORKSHOP_COURSE tells that file which course folder to use.
# instructor-settings/ holds the lab's settings: Create Assignment, Validate and
# jupytext stay; nbgrader's Assignment List and Course List, the students' side of
# its exchange, are off (this course hands notebooks out and collects them as
# files), as is the Extension Manager. The empty COURSE_ROOT/exchange folder spares
# the formgrader's warning that the exchange is missing. The browser test points
# COURSE_ROOT at a scratch course and adds LAB_ARGS, as for `make lab`.
COURSE_ROOT ?= course

instructor: venv
	mkdir -p $(COURSE_ROOT)/exchange
	RECSYS_WORKSHOP_COURSE=$(abspath $(COURSE_ROOT)) $(BIN)/jupyter lab \
		--ServerApp.root_dir=$(abspath $(COURSE_ROOT)/..) \
		--LabApp.app_settings_dir=$(CURDIR)/instructor-settings \
		--config=$(CURDIR)/instructor-settings/jupyter_server_config.py $(ALLOW_ROOT) $(LAB_ARGS)

lint: venv
	$(BIN)/ruff check --output-format concise src tests benchmarks slides nbgrader_config.py \
		lab-settings instructor-settings

# Both cores: pytest-xdist, one worker per logical CPU. The tests that share the
# session's autograded course, or the built slide deck, are grouped on one worker
# each (xdist_group marks), so no notebook is executed twice.
PYTEST_WORKERS ?= logical

test: lint $(SCALE_STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

# tests/test_browser.py; `make test` runs it too. It skips, saying why, without
# /usr/bin/chromium (.ci/run installs it).
browser-test: venv
	$(BIN)/python -m pytest -m browser

# ONLY="serving similarity": only those parts (benchmarks/bench.py --help lists them).
bench: venv
	$(BIN)/python benchmarks/bench.py $(if $(ONLY),--only $(ONLY))

data: venv
	$(BIN)/python -m recsys_workshop.data

# Chapter 7 (README, "Serving the model"). The artifacts folder (git-ignored) holds
# chapter 5's ALS trained on every purchase, with what the service needs beside it;
# serve and loadtest build it when missing, `make artifacts` rebuilds it. The server
# runs one uvicorn worker with BLAS and OpenMP pinned to one thread.
ARTIFACTS ?= artifacts
HOST ?= 127.0.0.1
PORT ?= 8000
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

BUILD_ARTIFACTS = $(ONE_THREAD) $(BIN)/python -m recsys_workshop.artifacts $(ARTIFACTS)

$(ARTIFACTS)/manifest.json: | $(STAMP)
	$(BUILD_ARTIFACTS)

artifacts: venv
	$(BUILD_ARTIFACTS)

serve: venv $(ARTIFACTS)/manifest.json
	$(ONE_THREAD) $(BIN)/python -m recsys_workshop.service --artifacts $(ARTIFACTS) \
		--host $(HOST) --port $(PORT)

# Chapter 5's pipeline on Spark, trained on every purchase, written where `make serve
# ARTIFACTS=artifacts-spark` reads it (README, "Spark"). MASTER: local[N] or a cluster.
MASTER ?= local[2]

spark: $(SCALE_STAMP)
	$(BIN)/python -m recsys_workshop.spark_pipeline --master '$(MASTER)' --evaluate \
		--out artifacts-spark

loadtest: venv $(ARTIFACTS)/manifest.json
	$(ONE_THREAD) $(BIN)/python -m recsys_workshop.loadtest --artifacts $(ARTIFACTS)

slides: venv
	$(BIN)/python slides/build.py

catalogue: venv
	$(BIN)/python -m recsys_workshop.catalogue

release: venv
	$(BIN)/python -m recsys_workshop.course release

# Each chapter's text version, for review: solutions/NN_name.py in py:percent,
# written from the authoritative .ipynb with solutions/jupytext.toml (which keeps
# the nbgrader metadata and tags). tests/test_pairing.py fails when one is stale.
pair: venv
	$(BIN)/jupytext --to py:percent solutions/*.ipynb

# WORKERS=n: notebooks graded at once, each in its own process (default: one per CPU).
GRADING_ARGS = $(if $(WORKERS),--workers $(WORKERS))

autograde: venv
	$(BIN)/python -m recsys_workshop.course $(GRADING_ARGS) autograde $(SUBMISSIONS) \
		$(if $(UNSAFE),--unsafe)

feedback: venv
	$(BIN)/python -m recsys_workshop.course $(GRADING_ARGS) feedback

report: venv
	$(BIN)/python -m recsys_workshop.course report

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
