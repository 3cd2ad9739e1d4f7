# Drive-in: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
# DATABASE_URL switches from SQLite to PostgreSQL for every target.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python >= 3.12 found: on PATH, then in pyenv's versions (whose shims
# answer "command not found" for versions that are not selected).
FIND_PYTHON := for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    command -v $$c 2>/dev/null || echo $$c; exit 0; fi; \
	done; exit 1

.PHONY: help install run serve migrate demo test lint layers types format check migrations-check messages browser pdftools bench drill smoke field axe clean

help:
	@echo "make run    - set up .venv, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install test tools and run the whole suite (DATABASE_URL for PostgreSQL)"
	@echo "make lint   - ruff check, ruff format --check, manage.py check, migrations check, layers, types"
	@echo "make bench  - benchmark at national scale on PostgreSQL"
	@echo "make smoke  - start the production path (gunicorn, DEBUG off) and check every page"
	@echo "make field  - the phone's field figures on slow 3G, written into docs/volunteers.md"

$(PY):
	@py=$$($(FIND_PYTHON)) || { echo "Drive-in needs Python 3.12 or newer (python3.13 or python3.12); none was found." >&2; exit 1; }; \
	echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	$$py -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade "pip==25.3"

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(VENV)/bin/pip install --quiet . --group dev
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) generate_visits --weeks 8

# The server and the background worker (road legs) together; Ctrl-C stops both.
run: demo
	@$(MANAGE) db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(MANAGE) runserver $(HOST):$(PORT)

serve: install
	$(MANAGE) runserver $(HOST):$(PORT)

# Chromium for the browser tests, from Debian's packages (never a downloaded browser).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) \
	      || echo "WARNING: could not install chromium; browser tests will be skipped" >&2; \
	  else \
	    echo "WARNING: chromium is not installed and cannot be installed here; browser tests will be skipped" >&2; \
	  fi; \
	fi

# pdftotext and pdftoppm for the funder report tests (tests/funders), from Debian's packages.
pdftools:
	@if ! command -v pdftotext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's poppler-utils for the funder report tests"; \
	    (apt-get install -y -q poppler-utils >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q poppler-utils >/dev/null)) \
	      || echo "WARNING: could not install poppler-utils; the PDF text tests will be skipped" >&2; \
	  else \
	    echo "WARNING: pdftotext is not installed and cannot be installed here; the PDF text tests will be skipped" >&2; \
	  fi; \
	fi

# The benchmark (docs/performance.md): PostgreSQL (started when it is down, as
# .ci/run does), the national five-year data set in drivein_bench (built once),
# gunicorn from the "bench" dependency group, the load generator, the burst check.
# make bench SCALE=10: the reach pages on the national set and on ten times it,
# side by side (bench/scale.py; drivein_bench_s1 and drivein_bench_s10).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/drivein_bench

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --group bench
	@touch $@

bench: install $(VENV)/.bench-installed
	@if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then \
	  echo "Starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n 1)" main start; \
	  for _ in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; \
	fi
	@if [ -n "$(SCALE)" ]; then \
	  $(PY) -m bench.scale --times $(SCALE); \
	else \
	  BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.run && \
	  $(PY) -m bench.notify && \
	  $(MAKE) --no-print-directory drill; \
	fi

# The scale-out drill (docs/performance.md): its own PostgreSQL cluster (port
# DRILL_PG_PORT, 5440) and Redis (DRILL_REDIS_PORT, 6390), which it restarts.
drill: install
	$(PY) -m bench.drill

test: install browser pdftools
	$(PY) -m pytest $(PYTEST_ARGS)

# The production path on this machine (docs/production.md): gunicorn, DEBUG off, collected
# static files, PostgreSQL (SMOKE_DATABASE_URL, default drivein_smoke, made anew).
# make test runs the same checks (tests/deploy) on SQLite and PostgreSQL.
smoke: install
	$(PY) tools/smoke.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) check
	$(MAKE) --no-print-directory migrations-check
	$(MAKE) --no-print-directory layers
	$(MAKE) --no-print-directory types

# Types: mypy with the Django and DRF stubs over the files [tool.mypy] names
# (pyproject.toml); its cache in .mypy_cache.
types: install
	$(VENV)/bin/mypy

# The layers (docs/layers.md): import-linter's contracts in pyproject.toml.
layers: install
	$(VENV)/bin/lint-imports --no-logo

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract the translatable strings into locale/da and compile them.
messages: install
	$(MANAGE) makemessages --locale da --no-obsolete --add-location file --ignore '.venv/*' --ignore 'static/*'
	$(MANAGE) compilemessages --locale da --ignore '.venv/*'

# axe-core for the browser tests (vendored in tests/browser/vendor/, never served).
AXE_VERSION := $(shell sed -n 's/.*"axe-core": "\(.*\)".*/\1/p' tests/browser/vendor/package.json)
axe:
	cd /tmp && npm pack axe-core@$(AXE_VERSION) --silent && tar xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js package/LICENSE
	cp /tmp/package/axe.min.js /tmp/package/LICENSE tests/browser/vendor/axe-core/

# The phone's field figures (slow 3G through a throttling proxy on loopback), into
# docs/volunteers.md between its "field figures" markers.
field: install browser
	FIELD_DOCS=1 $(PY) -m pytest tests/browser/test_field_figures.py -q -s

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .grimp_cache .import_linter_cache staticfiles
