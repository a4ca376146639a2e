# Nodes & Nations: `make lab` to learn, `make test` to check everything.
# Works on a fresh Debian machine with only python3 and make: the first run creates
# .venv, installs uv into it (or uses the uv already on the PATH), and installs the locked
# versions (requirements/*.txt, exported from uv.lock) with uv, or pip if uv is unavailable.

SHELL    := /bin/bash
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
PORT     ?= 8888
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
BROWSER_FLAG := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY)),,--no-browser)

.PHONY: help lab teach test install install-test chromium bubblewrap normalize clean site solutions bench bench-setup \
        release autograde feedback grades report check demo-class new-lesson lock lock-upgrade test-lowest \
        test-newest check-sources hub hub-stop hub-env proxy export fuzz

help:
	@echo "make lab        start JupyterLab on the first lesson (sets everything up the first time, and"
	@echo "                puts your own copy of each exercise set, without solutions, in assignments/)"
	@echo "make test       install test tools and Debian's chromium if missing, run the whole suite"
	@echo "make fuzz       property-based fuzzing of every checker, unit parser and widget (long profile)"
	@echo "make normalize  strip outputs and editor metadata from every notebook"
	@echo "make check NB=assignments/01-node-names/01-node-names-exercises.ipynb   grade a finished set"
	@echo "make site       static HTML edition of every lesson in site/ (offline, no Jupyter needed)"
	@echo "make solutions  answer key for teachers in solutions/: filled lessons, exercise solutions"
	@echo "Teachers (docs/teaching.md): make teach (JupyterLab with nbgrader's formgrader and"
	@echo "  Create Assignment), make release, make autograde, make feedback, make grades,"
	@echo "  make report; make demo-class makes a synthetic class to try them on"
	@echo "make new-lesson NAME=06-my-topic TITLE=\"...\"   a new lesson that passes the tests at once"
	@echo "                (docs/adding-a-lesson.md says what to replace and why)"
	@echo "A class on JupyterHub (docs/teaching.md, as root): make hub (roster in hub/roster.csv, on"
	@echo "  127.0.0.1:$(HUB_PORT)), make hub-stop; make export LMS=canvas|moodle writes the gradebook for an LMS"
	@echo "make bench      measure the performance budgets (about 25 minutes; see benchmarks/README.md)"
	@echo "Maintainers: make lock (after editing dependencies), make lock-upgrade (newest allowed versions),"
	@echo "  make test-lowest / make test-newest (the suite at the lowest / newest versions the bounds allow),"
	@echo "  make check-sources (each term: old rows, weak sources, odd or conflicting source addresses)"
	@echo "make clean      remove the environments (.venv, .venv-lowest, .venv-newest) and generated folders"

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

# The lock: uv.lock (uv's universal lock: every platform, every Python the project allows) is
# the source; requirements/lab.txt and requirements/test.txt are exported from it with the
# hash of every file, so pip installs exactly the same versions where uv is unavailable.
# `make lock` refreshes all three; tests/test_environment.py fails when they disagree.
LOCK_LAB  := requirements/lab.txt
LOCK_TEST := requirements/test.txt
LOCK_HUB  := requirements/hub.txt
EXPORT    := export --frozen --format requirements-txt --no-emit-project

# $(call install_locked,venv,requirements file): the locked versions, each file checked
# against its hash, then chipcourse itself, editable, without touching them (about 5 s with
# a warm uv cache; pip takes about a minute)
define install_locked
	@if [ -x $(1)/bin/uv ]; then \
	  $(1)/bin/uv pip install -q --python $(1)/bin/python --require-hashes -r $(2) && \
	  $(1)/bin/uv pip install -q --python $(1)/bin/python --no-deps -e .; \
	else \
	  $(1)/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r $(2) && \
	  $(1)/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .; \
	fi
endef

# Bytecode for every module (imports are then fast, even where PYTHONDONTWRITEBYTECODE is set)
# and the charts' offline JavaScript bundle (else built by the first chart). `make lab` runs
# this at low priority in the background, so the server does not wait for it; the test and
# benchmark targets wait for it, so timings do not depend on it.
warm_up = $(1)/bin/python -c "from chipcourse import charts; charts.offline_bundle()" >/dev/null; \
	$(1)/bin/python -m compileall -q -j 0 $(1)/lib >/dev/null 2>&1
WARM_UP := $(call warm_up,$(VENV))

# JupyterLab defaults for the course: render every cell (find-in-page, screen readers and
# widget tests see the whole lesson) and do not fetch news from the internet.
lab_settings = mkdir -p $(1)/share/jupyter/lab/settings && \
	cp lab-settings/overrides.json $(1)/share/jupyter/lab/settings/overrides.json

$(VENV)/.installed-lab: pyproject.toml $(LOCK_LAB) lab-settings/overrides.json | $(BIN)/uv
	$(call install_locked,$(VENV),$(LOCK_LAB))
	@$(call lab_settings,$(VENV))
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK_TEST) $(VENV)/.installed-lab
	$(call install_locked,$(VENV),$(LOCK_TEST))
	@$(WARM_UP)
	@touch $@

install: $(VENV)/.installed-lab
install-test: $(VENV)/.installed-test

# Both labs are rooted at the course folder, so the formgrader's links and the lessons' links
# to assignments/ work; the URL printed (and opened) is lesson 00 for learners.
LAB_ARGS = $(ROOT_FLAG) $(BROWSER_FLAG) --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.root_dir="$(CURDIR)"
FIRST_LESSON := /lab/tree/notebooks/00-start-here.ipynb
# Both get the course's JupyterLab settings (jupyter-config/course); learners also get JupyterLab
# without nbgrader's teacher panels and without the instructor's sources (exercises/, with the
# solutions) in the file browser (jupyter-config/learner; jupyter-config/README.md).
COURSE_CONFIG = JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/course$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"
LEARNER_CONFIG = JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/learner:$(CURDIR)/jupyter-config/course$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"
# A learner's own copy of each exercise set (chipcourse/classroom/learner.py): made once, never replaced.
LEARNER_COPIES := $(patsubst exercises/%,assignments/%,$(wildcard exercises/[0-9][0-9]-*/[0-9][0-9]-*-exercises.ipynb))
MISSING_COPIES = $(filter-out $(wildcard $(LEARNER_COPIES)),$(LEARNER_COPIES))

lab: install
	@nohup nice -n 19 sh -c '$(WARM_UP)' >/dev/null 2>&1 &
	@$(if $(MISSING_COPIES),$(BIN)/python -m chipcourse.classroom learner-copies,true)
	@echo "Starting JupyterLab on lesson 00: open the URL printed below (Ctrl+C twice to stop)."
	$(LEARNER_CONFIG) $(BIN)/jupyter lab $(LAB_ARGS) --LabApp.default_url=$(FIRST_LESSON)

# nbgrader's exchange for one machine (docs/teaching.md, "The exchange"): a folder in the course
EXCHANGE := $(CURDIR)/exchange

teach: install
	@mkdir -p "$(EXCHANGE)"
	@echo "Starting JupyterLab with nbgrader's panels: Nbgrader > Formgrader, and Create Assignment"
	@echo "in the right sidebar of an exercise source (Ctrl+C twice to stop)."
	$(COURSE_CONFIG) CHIPCOURSE_EXCHANGE="$(EXCHANGE)" $(BIN)/jupyter lab $(LAB_ARGS)

# $(call debian,<program it installs>,<package>,<what needs it>): the package from apt-get when
# the program is missing and we are root, else the command that installs it
define debian
	@if [ ! -x $(1) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's $(2) for $(3) ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "For $(3), install Debian's $(2): sudo apt-get install $(2)"; \
	  fi; \
	fi
endef

chromium:
	$(call debian,/usr/bin/chromium,chromium,the browser tests)

# Autograding confines each submission with bubblewrap (chipcourse/confinement.py).
bubblewrap:
	$(call debian,/usr/bin/bwrap,bubblewrap,confined grading)

test: install-test chromium bubblewrap hub-env proxy
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest

# tests/test_fuzz.py with many examples per property (tests/conftest.py, profile `long`)
fuzz: install-test
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q tests/test_fuzz.py

# ---- the dependency bounds, tested (README "Tests"); CI runs the locked suite (`make test`)
# `make lock` re-resolves after pyproject.toml changed, keeping every other pin;
# `make lock-upgrade` moves every package to the newest version the bounds allow.
lock: $(BIN)/uv
	$(BIN)/uv lock
	@$(MAKE) --no-print-directory export-lock

lock-upgrade: $(BIN)/uv
	$(BIN)/uv lock --upgrade
	@$(MAKE) --no-print-directory export-lock

export-lock: $(BIN)/uv
	@mkdir -p $(dir $(LOCK_LAB))
	$(BIN)/uv $(EXPORT) -q -o $(LOCK_LAB)
	$(BIN)/uv $(EXPORT) -q --extra test -o $(LOCK_TEST)
	$(BIN)/uv $(EXPORT) -q --extra hub -o $(LOCK_HUB)

# $(call fresh_env,venv,uv resolver options): a new environment resolved now, not from the lock
define fresh_env
	rm -rf $(1)
	$(BIN)/uv venv -q --python "$$(command -v $(PYTHON))" $(1)
	$(BIN)/uv pip install -q --python $(1)/bin/python $(2) -e '.[test]'
	@$(call lab_settings,$(1))
	@$(call warm_up,$(1))
	@$(BIN)/uv pip freeze -q --python $(1)/bin/python > $(1)/versions.txt
	@echo "$(1): $$(grep -ciE '^[a-z0-9]' $(1)/versions.txt) packages; the course's direct dependencies:"
	@$(1)/bin/python -m chipcourse.environment
endef

# the suite with every direct dependency at the lowest version its bound allows
test-lowest: $(BIN)/uv chromium bubblewrap
	$(call fresh_env,.venv-lowest,--resolution lowest-direct)
	.venv-lowest/bin/python -m pytest $(PYTEST_ARGS)

# the suite with everything at the newest version the bounds allow, resolved afresh
test-newest: $(BIN)/uv chromium bubblewrap
	$(call fresh_env,.venv-newest,--refresh --resolution highest)
	.venv-newest/bin/python -m pytest $(PYTEST_ARGS)

# Performance budgets (benchmarks/README.md): tables on screen, benchmarks/results.md and .json,
# and the README's results block. `make bench-setup` only times a fresh `make lab`.
# BENCH_ARGS passes options (--quick, --skip setup_time, ...); BENCH_PYTHON=<python> runs the
# benchmarks with an existing environment instead of .venv (then nothing is installed).
BENCH_ARGS ?=
BENCH_PYTHON ?=
BENCH_NEEDS := $(if $(BENCH_PYTHON),,install-test chromium bubblewrap)
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

autograde: install bubblewrap
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

# A new lesson: its package, notebook, exercise set, data table, tests and teacher-guide section
# (chipcourse/scaffold.py; docs/adding-a-lesson.md).
new-lesson: install
	@if [ -z "$(NAME)" ] || [ -z "$(TITLE)" ]; then \
	  echo 'Usage: make new-lesson NAME=06-my-topic TITLE="My topic"'; exit 2; fi
	$(BIN)/python -m chipcourse.scaffold "$(NAME)" "$(TITLE)"

# Each term (README "Keeping the data true"): what in data/ may no longer be true, from the
# tables alone (nothing is fetched); the findings also go to reports/source-check.csv
check-sources: install
	$(BIN)/python -m chipcourse.sources --csv reports/source-check.csv

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

# It installs the lock's hub export (the course and JupyterHub), like .venv does the lab's.
$(HUB_VENV)/.installed: pyproject.toml $(LOCK_HUB) lab-settings/overrides.json | $(BIN)/uv
	@rm -rf $(HUB_VENV)
	@if [ -x $(BIN)/uv ]; then \
	  $(BIN)/uv venv -q --python $(HUB_PYTHON) $(HUB_VENV) && ln -sf "$$(readlink -f $(BIN)/uv)" $(HUB_BIN)/uv; \
	else \
	  $(HUB_PYTHON) -m venv $(HUB_VENV); \
	fi
	$(call install_locked,$(HUB_VENV),$(LOCK_HUB))
	@$(call lab_settings,$(HUB_VENV))
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
	rm -rf $(VENV) $(HUB_VENV) .venv-lowest .venv-newest release submitted autograded feedback reports gradebook.db \
	  site solutions exchange
