# gaitops: `make demo` runs the whole pipeline, `make test` runs the tests.
# Both create .venv and install what they need (torch's CPU wheel first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
POSTGRES ?= /usr/lib/postgresql
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
export DO_NOT_TRACK := 1
export DVC_NO_ANALYTICS := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: help install bytecode browser postgres lock demo test test-fast figures lint ui server-stop bench bench-tuners clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

# aeon (the ROCKET baselines) caps pandas < 3.1 and numba < 0.64, which this stack is past
# (pandas 3.1; numpy 2.4 needs numba >= 0.64); its MiniRocket / MultiRocket run on it (tests/models
# and tests/contracts): installed without its caps, its other dependencies pinned in pyproject.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,scale]'
	$(BIN)/pip install --quiet --no-deps -c constraints.txt aeon==1.6.0
	$(BIN)/python -c "import torch; assert torch.__version__.startswith('2.13.0'), torch.__version__"
	$(BIN)/python -m gaitops.report.offline_vega  # .dvc/plots/: templates, Vega inlined
	$(BIN)/python -m gaitops.warm_caches  # the ROCKET models' numba kernels, compiled once (a minute)
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install gaitops with its dev and scale-out tools (versions from constraints.txt)

# gaitops' own bytecode, written ahead (only what changed): pip does this for the packages it
# installs, not for this editable one, and where PYTHONDONTWRITEBYTECODE is set every process
# would compile gaitops again (about half a second of CPU each; the tests start hundreds).
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src flows

browser: $(CHROMIUM)  ## install Chromium (apt-get) for the browser tests

postgres: $(POSTGRES)  ## install PostgreSQL (apt-get) for the tests that start a private cluster

lock:  ## re-resolve pyproject.toml in a clean venv and record every version in constraints.txt
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet torch==2.13.0
	.venv-lock/bin/pip install --quiet -e '.[dev,scale]'
	.venv-lock/bin/pip install --quiet --no-deps aeon==1.6.0
	{ sed -n '1,3p' constraints.txt; .venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt && rm -rf .venv-lock

demo: bytecode  ## run the whole pipeline on the default data, recorded in the Prefect UI
	$(BIN)/gaitops demo

# Two xdist workers, each test module whole on one worker (--dist loadgroup, scheduled by
# tests/helpers/scheduling.py): a module's tests may share a module-scoped fixture (one
# reproduced project, one fitted model), built once. The modules that start from the session's
# reproduced tiny project go to one worker together, so it builds it once. Units start longest
# first (tests/conftest.py orders them; --no-loadscope-reorder keeps that order).
test: bytecode $(CHROMIUM) $(POSTGRES)  ## run the test suite (unit + integration with real Prefect, DVC, PostgreSQL)
	GAITOPS_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q -n 2 --dist loadgroup --no-loadscope-reorder --durations=12

# The modules run whole: their browser tests look at the runs earlier tests in the module made.
figures: bytecode $(CHROMIUM) $(POSTGRES)  ## retake the docs' screenshots (docs/figures/) with the browser tests, on tiny real runs
	GAITOPS_FIGURES_DIR=$(CURDIR)/docs/figures GAITOPS_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q -n 2 --dist loadgroup \
		tests/integration/test_pipeline.py tests/stages/test_stages_in_process.py tests/integration/test_lifecycle.py

test-fast: bytecode  ## the unit tests only (no integration modules, no benchmark smokes): about 2 minutes
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup --ignore=tests/integration --ignore=tests/benchmarks

# The browser the tests drive (Playwright with the system Chromium: its own download is not used).
$(CHROMIUM):
	@echo "installing Chromium for the browser tests (apt-get)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# PostgreSQL's server binaries: the tests start a private cluster on 127.0.0.1 (the system one
# stays down).
$(POSTGRES):
	@echo "installing PostgreSQL for the Prefect and Optuna tests (apt-get)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check src tests flows benchmarks

ui: $(STAMP)  ## start (or find) the project's Prefect server and print the UI address
	$(BIN)/gaitops server start

server-stop: $(STAMP)  ## stop the project's Prefect server
	$(BIN)/gaitops server stop

bench: $(STAMP) $(POSTGRES)  ## run the benchmarks (prints ratios, asserts nothing)
	$(BIN)/python benchmarks/pipeline_overhead.py --memory --repro
	$(BIN)/python benchmarks/lightning_vs_torch.py
	$(BIN)/python benchmarks/data_scaling.py
	$(BIN)/python benchmarks/parallel_trials.py
	$(BIN)/python benchmarks/explainers.py
	$(BIN)/python benchmarks/explain_defaults.py
	$(BIN)/python benchmarks/dask_folds.py
	$(BIN)/python benchmarks/loso_growth.py
	$(BIN)/python benchmarks/lifecycle.py

bench-tuners: $(STAMP)  ## the tuner benchmark as a DVC pipeline (its wall time is in benchmarks/tuners/results.md)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/dvc repro benchmarks/dvc.yaml

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
