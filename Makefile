# changzhu: two commands on a fresh machine, `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
# The office front-end (frontend/, Vue + Element Plus) built into the package; rebuilt when a source is newer.
OFFICE := src/changzhu/web/dist/index.html
OFFICE_SOURCES := $(shell find frontend -path frontend/node_modules -prune -o -type f -print 2>/dev/null)

.PHONY: demo test lint bench bench-smoke install office system-deps bytecode clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or set PYTHON=...)"; exit 1; }
	PYTHON=$(PYTHON) tools/system_deps.sh venv
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

$(OFFICE): $(OFFICE_SOURCES)
	tools/node_check.sh
	cd frontend && npm ci --no-audit --no-fund && npm run build
	touch $(OFFICE)

office: $(OFFICE)

install: $(STAMP) $(OFFICE)

# Debian packages the tests need (Chromium, CJK fonts, PostgreSQL server binaries), installed when missing.
system-deps:
	tools/system_deps.sh

# changzhu's own modules compiled to bytecode, as pip does for an installed package (an editable install does not):
# where PYTHONDONTWRITEBYTECODE is set, every process would otherwise compile them again (≈0.3 s of CPU for the
# API's imports; docs/operations.md). Only files changed since are compiled again.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 src benchmarks >/dev/null

# In Chinese unless CHANGZHU_LANG says otherwise (`changzhu demo` alone follows --lang, CHANGZHU_LANG, the locale).
demo: install bytecode
	$(BIN)/changzhu demo --lang $${CHANGZHU_LANG:-zh}

# The whole suite, then every benchmark at tiny size; PostgreSQL is the one at 127.0.0.1:5432 or a throwaway server.
# Both share one new kernel cache (compiled rules are the suite's largest cost: a kernel the tests compiled is
# loaded by the benchmarks), deleted at the end; --dist worksteal keeps both workers busy to the end, and the 30
# slowest tests are listed (docs/operations.md, "Test suite time").
test: install $(BENCH_STAMP) system-deps bytecode
	tools/with_postgres.sh sh -c 'CHANGZHU_CACHE_DIR=$$(mktemp -d) && export CHANGZHU_CACHE_DIR && trap "rm -rf $$CHANGZHU_CACHE_DIR" EXIT && $(BIN)/python -m pytest -n 2 --dist worksteal -q --durations=30 && $(MAKE) --no-print-directory bench-smoke-run'

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# Every benchmark at full size; results in benchmarks/results/. Runs them all, then fails naming each that failed.
bench: $(BENCH_STAMP) bytecode
	tools/with_postgres.sh sh -c 'failed=""; for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || failed="$$failed $$b"; done; [ -z "$$failed" ] || { echo "FAILED:$$failed"; exit 1; }'

# Every benchmark at tiny size (results to scratch files): they still run. Part of `make test`.
bench-smoke: $(BENCH_STAMP) bytecode
	tools/with_postgres.sh $(MAKE) --no-print-directory bench-smoke-run

bench-smoke-run:
	tools/bench_smoke.sh $(BIN)/python

clean:
	rm -rf $(VENV) out frontend/node_modules src/changzhu/web/dist
