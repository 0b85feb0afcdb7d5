# partseg — every target sets up .venv on its own the first time (about 2-5 minutes), then reuses it.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.partseg-installed
PROFILE ?= quick
ONLY ?=
JOBS ?= 1

.PHONY: reproduce test bench lab docs notebooks browser install clean-runs constraints

install: $(STAMP)

$(STAMP): settings.ini setup.py constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name partseg --display-name "Python (partseg)" >/dev/null
	@touch $(STAMP)

## make constraints: write the installed versions of every package into constraints.txt (after a deliberate upgrade; then rebuild the figures it touches)
constraints: $(STAMP)
	@{ sed -n '1,2p' constraints.txt; $(PY) -m pip freeze --exclude-editable --disable-pip-version-check; } > constraints.txt.new && mv constraints.txt.new constraints.txt && touch $(STAMP)
	@echo "constraints.txt: $$(grep -c '==' constraints.txt) pinned packages"

## make reproduce [PROFILE=quick|paper|smoke] [ONLY=liu2021] [JOBS=2]: every missing run, then figures/
reproduce: $(STAMP)
	$(VENV)/bin/partseg reproduce --profile $(PROFILE) $(if $(ONLY),--only $(ONLY)) --jobs $(JOBS)

## make test: notebooks clean and in sync with partseg/, every notebook executed with its stored outputs current, pytest (with a papermill smoke run, the docs site in Chromium, JupyterLab)
test: $(STAMP) browser
	@before="$$(git status --porcelain -- partseg nbs; git diff -- partseg nbs | md5sum)"; \
	$(VENV)/bin/nbdev_export && $(VENV)/bin/nbdev_clean; \
	after="$$(git status --porcelain -- partseg nbs; git diff -- partseg nbs | md5sum)"; \
	if [ "$$before" != "$$after" ]; then \
	  echo "FAIL: nbdev_export/nbdev_clean changed files under partseg/ or nbs/:"; git status --short -- partseg nbs; \
	  echo "the package was not in sync with the notebooks, or a notebook was not clean: commit the result"; exit 1; fi
	$(PY) tools/notebooks.py check --n_workers 2
	$(PY) -m pytest -q tests

## make bench: world throughput, training-loop overhead, install/test times, method step times -> bench/RESULTS.md
bench: $(STAMP)
	$(PY) bench/bench_worlds.py
	$(PY) bench/bench_train_overhead.py
	$(PY) bench/bench_liu2021.py
	$(PY) bench/bench_siarohin2020.py
	$(PY) bench/bench_esser2019.py
	$(PY) bench/bench_esser2019.py norms
	$(PY) bench/bench_ganseg2022.py
	$(PY) bench/bench_baselines.py
	$(PY) bench/bench_braun2020.py
	$(PY) bench/bench_eval.py
	bash bench/bench_install_test.sh
	$(PY) bench/assemble.py

## make lab: JupyterLab on nbs/ with the project's environment as the notebooks' kernel (jupyterlab and ipywidgets are dev dependencies)
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=nbs $(if $(filter 0,$(shell id -u)),--allow-root)

## make notebooks: execute every nbs/*.ipynb in place and keep its outputs (cells nbdev_test skips stay output-free); commit the result
notebooks: $(STAMP)
	$(PY) tools/notebooks.py update --n_workers 2

## make docs: the documentation site from the notebooks, README and figures/ -> build/site/index.html (opens from the file system)
docs: $(STAMP)
	$(PY) tools/docs.py

## make browser: Debian's chromium, which tests/test_docs.py renders pages in (installed with apt-get when missing and run as root)
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  if [ "$$(id -u)" = 0 ]; then echo "installing chromium (Debian) for tests/test_docs.py"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "make test needs Debian's chromium for tests/test_docs.py: run 'sudo apt-get install chromium'"; exit 1; fi

clean-runs:
	rm -rf runs
