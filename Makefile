# Nodes & Nations: `make lab` to learn, `make test` to check everything.
# Works on a fresh Debian machine with only python3 and make: the first run creates
# .venv, installs uv into it (or uses the uv already on the PATH), and installs the course
# with uv (pip if uv is unavailable).

SHELL    := /bin/bash
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
PORT     ?= 8888
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
BROWSER_FLAG := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY)),,--no-browser)

.PHONY: help lab teach test install install-test chromium normalize clean site solutions bench bench-setup \
        release autograde feedback grades report check demo-class hub hub-stop hub-env proxy export

help:
	@echo "make lab        start JupyterLab on the first lesson (sets everything up the first time)"
	@echo "make test       install test tools and Debian's chromium if missing, run the whole suite"
	@echo "make normalize  strip outputs and editor metadata from every notebook"
	@echo "make check NB=path/to/your-exercises.ipynb   grade your own finished exercise set"
	@echo "make site       static HTML edition of every lesson in site/ (offline, no Jupyter needed)"
	@echo "make solutions  answer key for teachers in solutions/: filled lessons, exercise solutions"
	@echo "Teachers (docs/teaching.md): make teach (JupyterLab with nbgrader's formgrader and"
	@echo "  Create Assignment), make release, make autograde, make feedback, make grades,"
	@echo "  make report; make demo-class makes a synthetic class to try them on"
	@echo "A class on JupyterHub (docs/teaching.md, as root): make hub (roster in hub/roster.csv, on"
	@echo "  127.0.0.1:$(HUB_PORT)), make hub-stop; make export LMS=canvas|moodle writes the gradebook for an LMS"
	@echo "make bench      measure the performance budgets (about 25 minutes; see benchmarks/README.md)"
	@echo "make clean      remove .venv and generated grading folders"

# With uv already on the PATH, uv makes the venv (no pip needed: about 0.2 s instead of 5).
$(BIN)/python:
	@{ command -v uv >/dev/null 2>&1 && uv venv -q --python "$$(command -v $(PYTHON))" $(VENV) 2>/dev/null; } || \
	$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing python3-venv with apt-get ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && \
	    $(PYTHON) -m venv $(VENV); \
	  else \
	    echo "python3 cannot create a virtual environment: install the python3-venv package"; exit 1; \
	  fi; }

$(BIN)/uv: | $(BIN)/python
	@if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then \
	  ln -sf "$$(command -v uv)" $(BIN)/uv; \
	else \
	  $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip >/dev/null 2>&1 || true; \
	  $(BIN)/python -m pip install -q --disable-pip-version-check uv || echo "uv unavailable: falling back to pip"; \
	fi

# install with uv when it is there (about 5 s warm), else pip
define install
	@if [ -x $(BIN)/uv ]; then \
	  $(BIN)/uv pip install -q --python $(BIN)/python $(1); \
	else \
	  $(BIN)/python -m pip install -q --disable-pip-version-check $(1); \
	fi
endef

# Bytecode for every module (imports are then fast, even where PYTHONDONTWRITEBYTECODE is set)
# and the charts' offline JavaScript bundle (else built by the first chart). `make lab` runs
# this at low priority in the background, so the server does not wait for it; the test and
# benchmark targets wait for it, so timings do not depend on it.
WARM_UP := $(BIN)/python -c "from chipcourse import charts; charts.offline_bundle()" >/dev/null; \
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib >/dev/null 2>&1

# JupyterLab defaults for the course: render every cell (find-in-page, screen readers and
# widget tests see the whole lesson) and do not fetch news from the internet.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(VENV)/.installed-lab: pyproject.toml lab-settings/overrides.json | $(BIN)/uv
	$(call install,-e .)
	@mkdir -p $(dir $(LAB_SETTINGS)) && cp lab-settings/overrides.json $(LAB_SETTINGS)
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-lab
	$(call install,-e '.[test]')
	@$(WARM_UP)
	@touch $@

install: $(VENV)/.installed-lab
install-test: $(VENV)/.installed-test

LAB_ARGS = $(ROOT_FLAG) $(BROWSER_FLAG) --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.root_dir="$(CURDIR)"
# Learners get JupyterLab without nbgrader's teacher panels (jupyter-config/README.md).
LEARNER_CONFIG = JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/learner$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"

lab: install
	@nohup nice -n 19 sh -c '$(WARM_UP)' >/dev/null 2>&1 &
	@echo "Starting JupyterLab: open the URL printed below (Ctrl+C twice to stop)."
	$(LEARNER_CONFIG) $(BIN)/jupyter lab $(LAB_ARGS) notebooks/00-start-here.ipynb

teach: install
	@echo "Starting JupyterLab with nbgrader's panels: Nbgrader > Formgrader, and Create Assignment"
	@echo "in the right sidebar of an exercise source (Ctrl+C twice to stop)."
	$(BIN)/jupyter lab $(LAB_ARGS) exercises

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; \
	  fi; \
	fi

test: install-test chromium hub-env proxy
	$(BIN)/python -m pytest

# Performance budgets (benchmarks/README.md): tables on screen, benchmarks/results.md and .json,
# and the README's results block. `make bench-setup` only times a fresh `make lab`.
# BENCH_ARGS passes options (--quick, --skip setup_time, ...); BENCH_PYTHON=<python> runs the
# benchmarks with an existing environment instead of .venv (then nothing is installed).
BENCH_ARGS ?=
BENCH_PYTHON ?=
BENCH_NEEDS := $(if $(BENCH_PYTHON),,install-test chromium)
BENCH := PYTHONPATH="$(CURDIR)" $(or $(BENCH_PYTHON),$(BIN)/python) -m benchmarks

bench: $(BENCH_NEEDS)
	$(BENCH) $(BENCH_ARGS)

bench-setup: $(BENCH_NEEDS)
	$(BENCH) --only setup_time $(BENCH_ARGS)

normalize: install
	@$(BIN)/python -c "import nbformat, sys; from chipcourse import notebooks as n; \
	[nbformat.write(n.normalise(nbformat.read(p, as_version=4)), p) for p in n.lessons() + n.exercises()]"

# ---- running a class with nbgrader (docs/teaching.md); each is a thin layer over nbgrader
CLASSROOM := $(BIN)/python -m chipcourse.classroom

release: install
	$(CLASSROOM) release

autograde: install
	$(CLASSROOM) autograde $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(STUDENT),--student $(STUDENT)) $(if $(JOBS),--jobs $(JOBS))

feedback: install
	$(CLASSROOM) feedback

grades: install
	$(CLASSROOM) grades

report: install
	$(CLASSROOM) report

check: install
	@if [ -z "$(NB)" ]; then echo "Usage: make check NB=path/to/your-exercises.ipynb"; exit 2; fi
	$(CLASSROOM) check "$(NB)"

demo-class: install
	$(CLASSROOM) demo $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

# ---- a class on JupyterHub (docs/teaching.md; chipcourse/hub.py). Run as root: it makes one Unix
# account per roster row. The hub's environment is made from Debian's Python (HUB_PYTHON), which every
# account can run (the course's .venv may come from a Python under /root that students cannot reach).
HUB_PYTHON ?= /usr/bin/python3
HUB_VENV   := .venv-hub
HUB_BIN    := $(HUB_VENV)/bin
HUB_STATE  ?= /srv/nodes-and-nations-hub
HUB_PORT   ?= 8000
HUB_API_PORT ?= 8081
HUB_PROXY_API_PORT ?= 8001
HUB_SERVICE_PORT ?= 9999
HUB_ROSTER ?= hub/roster.csv
HUB_COURSES ?= hub/courses.csv
HUB        := $(HUB_BIN)/python -m chipcourse.hub --state "$(HUB_STATE)"

$(HUB_VENV)/.installed: pyproject.toml lab-settings/overrides.json | $(BIN)/uv
	@rm -rf $(HUB_VENV)
	@if [ -x $(BIN)/uv ]; then \
	  $(BIN)/uv venv -q --python $(HUB_PYTHON) $(HUB_VENV) && $(BIN)/uv pip install -q --python $(HUB_BIN)/python -e .; \
	else \
	  $(HUB_PYTHON) -m venv $(HUB_VENV) && $(HUB_BIN)/python -m pip install -q --disable-pip-version-check -e .; \
	fi
	@mkdir -p $(HUB_VENV)/share/jupyter/lab/settings && cp lab-settings/overrides.json $(HUB_VENV)/share/jupyter/lab/settings/
	@touch $@

hub-env: $(HUB_VENV)/.installed

# JupyterHub's proxy, from npm (with Debian's npm when it is missing), as `make test` installs chromium
proxy:
	@if ! command -v configurable-http-proxy >/dev/null 2>&1; then \
	  if ! command -v npm >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "Installing Debian's npm for JupyterHub's proxy ..."; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	    else \
	      echo "JupyterHub needs configurable-http-proxy: sudo apt-get install npm, then make hub"; exit 1; \
	    fi; \
	  fi; \
	  echo "Installing configurable-http-proxy with npm ..."; \
	  npm install -g --silent configurable-http-proxy >/dev/null; \
	fi

hub: hub-env proxy
	$(HUB) setup --roster "$(HUB_ROSTER)" --courses "$(HUB_COURSES)" --port $(HUB_PORT) --hub-port $(HUB_API_PORT) \
	  --proxy-api-port $(HUB_PROXY_API_PORT) --service-port $(HUB_SERVICE_PORT)
	$(HUB) start

hub-stop:
	@$(HUB) stop

# the gradebook as the CSV an LMS imports: make export LMS=canvas (or moodle) [ROSTER=lms-roster.csv]
LMS ?= canvas
export: install
	$(CLASSROOM) $(if $(COURSE),--course "$(COURSE)") export --lms $(LMS) $(if $(ROSTER),--roster "$(ROSTER)")

# The static edition and the answer key (chipcourse/editions.py says what each holds).
site: install
	$(BIN)/python -m chipcourse.editions site site

solutions: install
	$(BIN)/python -m chipcourse.editions solutions solutions

clean:
	rm -rf $(VENV) $(HUB_VENV) release submitted autograded feedback reports gradebook.db site solutions
