# Two commands on a fresh machine with python3 (3.11+): `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888
APP_PORT ?= 8866
# Jupyter refuses to start as root without --allow-root (containers, CI machines).
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# A screen: an X or Wayland display, or a Mac. Without one, servers print their address
# instead of trying to open a browser.
HAS_SCREEN := $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname -s)))

.PHONY: lab app test unit notebooks lint bench clean system

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --compile -e '.[dev,dask]'
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/python -m jupyter lab --notebook-dir=notebooks --port=$(PORT) $(ROOT_FLAG)

# The dashboards alone, code hidden (Voila), for trainees who should not see code:
# one page per lesson dashboard, listed at the address printed below (a busy port is an
# error rather than a silent move to another port, so that address is always right).
# Nothing leaves the machine (a classroom may have no internet): the template `cxsim`
# (share/jupyter/voila/templates/cxsim, found through JUPYTER_PATH) is Voila's `lab`
# without the style sheets it asks of a CDN.
app: $(STAMP)
	@echo "cxsim dashboards: open http://localhost:$(APP_PORT)/ in a browser (Ctrl+C stops)"
	env "JUPYTER_PATH=$(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))" \
	  $(BIN)/python -m voila notebooks/app --port=$(APP_PORT) --Voila.port_retries=0 \
	  --strip_sources=True --template=cxsim \
	  $(if $(HAS_SCREEN),,--no-browser)

test: $(STAMP) lint unit notebooks

lint: $(STAMP)
	$(BIN)/python -m ruff check .

# Chromium and PostgreSQL for the classroom tests (installed if missing; see the script).
system:
	bash scripts/system_packages.sh

# Tests run on every core, up to four (pytest-xdist); a notebook stays on one worker.
JOBS ?= -n auto --maxprocesses 4

unit: $(STAMP) system
	$(BIN)/python -m pytest -q $(JOBS)

# nbval over every notebook; an empty notebooks/ folder is not a failure.
notebooks: $(STAMP)
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  $(abspath $(BIN))/python -m pytest -q notebooks --nbval --nbval-current-env \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 300 \
	    -p no:randomly -o addopts="" -o testpaths="" $(JOBS) --dist loadfile; \
	else echo "no notebooks to run"; fi

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/million.py
	$(BIN)/python benchmarks/experiments.py

clean:
	rm -rf $(VENV) build *.egg-info
