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

CLASS_PORT ?= 8765
# `make classroom LESSON=03 CODE=tulip POOL=2`: the lesson taught (its kernels preheated),
# the class code word (default: a new one, printed), preheated kernels kept ready.
LESSON ?=
CODE ?=
POOL ?= 2
# `make wheelhouse` (online) fills it; when it holds wheels, installs take them from it
# alone, with no network (an offline training room).
WHEELHOUSE ?= wheelhouse
PIP_SOURCE = $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE))

.PHONY: lab app classroom wheelhouse test check unit notebooks lint bench plausibility clean system

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade $(PIP_SOURCE) pip
	$(BIN)/python -m pip install --quiet --compile $(PIP_SOURCE) -e '.[dev,dask]'
	@touch $(STAMP)

# Every wheel the laptop needs, while online: the project's wheel, its dependencies with
# make test's extras, and what installing needs (pip, setuptools to build cxsim itself).
# Afterwards `make lab`, `make classroom`, `make test` install from $(WHEELHOUSE) alone.
# The wheels fit this machine's Python and system: build the wheelhouse on the laptop.
wheelhouse:
	$(PYTHON) -m pip wheel --wheel-dir $(WHEELHOUSE) '.[dev,dask]' pip 'setuptools>=77'

lab: $(STAMP)
	$(BIN)/python -m jupyter lab --notebook-dir=notebooks --port=$(PORT) $(ROOT_FLAG)

# The lessons with their code hidden (Voila), for trainees who should not see code: every
# lesson's prose, figures, dashboards, exercises and the Submit button, in English and
# Persian (notebooks/app/, notebooks/app/fa/, built by scripts/make_notebook.py). The address
# printed below is the index, with a language choice (a busy port is an error rather than a
# silent move to another port, so that address is always right). Controls keep a team's
# draft in the browser across a reload; Reset forgets it.
# Nothing leaves the machine (a classroom may have no internet): the template `cxsim`
# (share/jupyter/voila/templates/cxsim, found through JUPYTER_PATH) is Voila's `lab`
# without the style sheets it asks of a CDN.
app: $(STAMP)
	@echo "cxsim lessons (English / فارسی): open http://localhost:$(APP_PORT)/ in a browser (Ctrl+C stops)"
	env "JUPYTER_PATH=$(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))" \
	  $(BIN)/python -m voila notebooks/app --port=$(APP_PORT) --Voila.port_retries=0 \
	  --strip_sources=True --template=cxsim \
	  $(if $(HAS_SCREEN),,--no-browser)

# The room: the standings service and the dashboards (Voila, local template) on the local
# network, one class store ($$CXSIM_CLASS_STORE, else ~/.cxsim/classroom.sqlite), kernels
# preheated for LESSON; prints the addresses, the class code and a QR code. Ctrl+C stops
# everything (cxsim/classroom/room.py).
classroom: $(STAMP)
	$(BIN)/python -m cxsim classroom room --port=$(CLASS_PORT) --app-port=$(APP_PORT) \
	  --pool=$(POOL) --notebooks=notebooks/app --jupyter-path=share/jupyter \
	  $(if $(LESSON),--lesson=$(LESSON)) $(if $(CODE),--code=$(CODE))

test: $(STAMP) lint unit notebooks

# The fast loop while working: lint and the tests not marked slow (no notebooks, browsers,
# databases or replications); `make test` still runs everything.
check: $(STAMP) lint
	$(BIN)/python -m pytest -q -m "not slow" $(JOBS)

lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

# Chromium and PostgreSQL for the classroom tests (installed if missing; see the script).
system:
	bash scripts/system_packages.sh

# Tests run on every core, up to four (pytest-xdist); a notebook stays on one worker.
JOBS ?= -n auto --maxprocesses 4

# The browser tests run after the others, alone: their timeouts are sized for a quiet
# machine, and the other tests' workers would saturate it (docs/performance.md).
unit: $(STAMP) system
	$(BIN)/python -m pytest -q $(JOBS) --ignore=tests/browser
	$(BIN)/python -m pytest -q tests/browser

# nbval over every notebook; an empty notebooks/ folder is not a failure.  A kernel
# that dies while starting (seen once on a busy 2-core machine: "Kernel died before
# replying to kernel_info") fails its whole notebook: the notebooks that failed run once
# more, whole and alone, and only a second failure fails the target (a real difference
# fails twice).  CXSIM_STRICT_TEXT: a Persian figure showing English fails its cell.
NBVAL = CXSIM_STRICT_TEXT=1 $(abspath $(BIN))/python -m pytest -q --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 300 \
	-p no:randomly -o addopts="" -o testpaths=""
FAILED_NOTEBOOKS = $(BIN)/python -c "import json; \
	failed = json.load(open('.pytest_cache/v/cache/lastfailed')); \
	print(' '.join(sorted({test.split('::')[0] for test in failed if '.ipynb::' in test})))"
notebooks: $(STAMP)
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  $(NBVAL) notebooks $(JOBS) --dist loadfile || { \
	    failed="$$($(FAILED_NOTEBOOKS))" && test -n "$$failed" && \
	    echo "nbval: running $$failed once more" && $(NBVAL) $$failed; }; \
	else echo "no notebooks to run"; fi

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/million.py
	$(BIN)/python benchmarks/experiments.py

# The plausibility card in docs/model.md: every bundled scenario over seeds 0-4 against
# the targets of data/plausibility.yaml (about a minute; exits 2 if a check is out of range).
plausibility: $(STAMP)
	$(BIN)/python scripts/plausibility_card.py

clean:
	rm -rf $(VENV) build *.egg-info

# A course on JupyterHub, on this machine (deploy/jupyterhub/README.md; a course of
# hundreds: Zero to JupyterHub on Kubernetes, deploy/jupyterhub/values.yaml): the hub, its
# proxy (configurable-http-proxy from npm, into .hub/proxy), one Jupyter server per
# trainee with the dashboards under Voila, the standings at /services/standings/.
# `make hub HUB_BIND=http://0.0.0.0:8000/ CODE=tulip HUB_CONFIG=my_course.py`; the
# course's users and authenticator go in HUB_CONFIG. Ctrl+C stops everything.
HUB_BIND ?= http://127.0.0.1:8000/
HUB_CONFIG ?=
.PHONY: hub
hub: $(STAMP)
	bash scripts/install_proxy.sh >/dev/null
	env CXSIM_HUB_BIND=$(HUB_BIND) $(if $(CODE),CXSIM_CLASS_CODE=$(CODE)) \
	  $(if $(HUB_CONFIG),CXSIM_HUB_EXTRA_CONFIG=$(abspath $(HUB_CONFIG))) \
	  $(BIN)/python -m jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

# Many trainees on one laptop (docs/performance.md, "Many trainees"): lesson 03's page
# served as `make app` serves it and as `make classroom` should (preheated kernels, the
# shared run cache), driven at protocol level by 1 and then 8 trainees at once, then a
# few real browsers; page-ready and slider-update times, CPU and memory per trainee
# (about 6 minutes; results in test-artifacts/bench-classroom.json).
.PHONY: bench-classroom
bench-classroom: $(STAMP)
	$(BIN)/python benchmarks/classroom.py $(if $(LESSON),--lesson=$(LESSON))
