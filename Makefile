# The two commands: `make run` and `make test`. Everything else is here for convenience.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The shared library and every process's folder, in the registry's order, read from the
# registry itself (shared/mtqg_shared/registry.py needs only the standard library).
PACKAGES := -e shared $(addprefix -e ,$(shell $(PYTHON) shared/mtqg_shared/registry.py folders))
# A PostgreSQL server the PostgreSQL test run may create and drop databases on.
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: install run migrate demo test test-sqlite test-postgres lint api-check format bench-housing \
	bench-labour bench-production bench-gender bench-digital bench-disbursement bench-changes \
	bench-gateway \
	bench-service bench-import bench-ratelimit lock clean

# Re-install only when a dependency list changes, so a second `make run` starts in seconds.
$(STAMP): requirements.lock requirements-dev.in shared/pyproject.toml services/*/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock \
		$(PACKAGES) -r requirements-dev.in
	@touch $(STAMP)

install: $(STAMP)

## Migrate every service and start the four processes (SQLite in ./data by default).
run: $(STAMP)
	$(BIN)/python scripts/run_all.py

migrate: $(STAMP)
	names="$$($(BIN)/python -m mtqg_shared.registry names)" && for s in $$names; do \
		$(BIN)/python -m mtqg_shared.migrations $$s upgrade || exit 1; done

## Load the seed's figures through the running gateway (after `make run`).
demo: $(STAMP)
	$(BIN)/python -m demo

## The whole suite on SQLite; set MTQG_TEST_POSTGRES_URL (or use test-postgres) for PostgreSQL.
test: $(STAMP)
	$(BIN)/pytest

test-sqlite: $(STAMP)
	MTQG_TEST_POSTGRES_URL= $(BIN)/pytest

test-postgres: $(STAMP)
	MTQG_TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared services tests scripts demo bench

## Lint the merged OpenAPI document (Spectral, Redocly) and compile a strict TypeScript client
## generated from it; the npm tools are pinned in tools/api-check/package-lock.json.
API_TOOLS := tools/api-check/node_modules/.package-lock.json
$(API_TOOLS): tools/api-check/package-lock.json
	cd tools/api-check && npm ci --no-audit --no-fund --prefer-offline
	@touch $@

api-check: $(STAMP) $(API_TOOLS)
	$(BIN)/python -m scripts.api_check

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-housing bench-labour bench-production bench-gender bench-digital bench-disbursement: $(STAMP)
	$(BIN)/python -m bench.$(subst bench-,,$@)_report --postgres $(TEST_POSTGRES_URL)

bench-changes: $(STAMP)
	$(BIN)/python -m bench.changes_feed --postgres $(TEST_POSTGRES_URL)

bench-gateway: $(STAMP)
	$(BIN)/python -m bench.gateway_forwarding

## Requests per second through the rate limit: database store, Redis store, limit off.
bench-ratelimit: $(STAMP)
	$(BIN)/python -m bench.ratelimit

## Importing 100,000 housing cases (every rule) beside COPY of the same rows (PostgreSQL).
bench-import: $(STAMP)
	$(BIN)/python -m bench.import_bench --postgres $(TEST_POSTGRES_URL)

## Each service's list page, read and create against the same SQL run raw (PostgreSQL).
bench-service: $(STAMP)
	$(BIN)/python -m bench.service_endpoints --postgres $(TEST_POSTGRES_URL)

## Re-pin every dependency after changing a pyproject or requirements-dev.in.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet $(PACKAGES) -r requirements-dev.in
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache tools/api-check/node_modules tools/api-check/build
