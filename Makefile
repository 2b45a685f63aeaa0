.PHONY: run test test-citus build release clean-postgres bench bench-citus screenshots

# Migrate and serve on http://127.0.0.1:8080, with a private PostgreSQL unless
# DATABASE_URL and APP_DATABASE_URL are set.
run:
	scripts/run.sh

# Every test, against a throwaway PostgreSQL (and SMTP sinks, scripts/smtp-sink.py, from the
# Python tools of scripts/python-tools.sh): the Swift suites, the command-line checks,
# an outage under load (scripts/outage-test.sh, on a cluster of its own), the mail worker
# across a PostgreSQL restart (scripts/worker-restart-test.sh, likewise), the console in
# headless Chromium with axe-core (scripts/browser-tests.sh), workbooks written by openpyxl
# imported through the API (scripts/spreadsheet-tests.sh), then schemathesis
# against /openapi.json on the demo data as each demo role, every check (50 examples an
# operation and phase, fixed seed; scripts/api-contract.sh).
test:
	python3 scripts/openapi.py | diff -q - Sources/API/Resources/openapi.json >/dev/null || \
		{ echo "openapi.json is stale: python3 scripts/openapi.py > Sources/API/Resources/openapi.json"; exit 1; }
	scripts/python-tools.sh >/dev/null
	scripts/with-test-postgres.sh sh -c 'swift build --build-tests && swift test --skip-build && scripts/cli-tests.sh && scripts/outage-test.sh && scripts/worker-restart-test.sh && scripts/browser-tests.sh && scripts/spreadsheet-tests.sh && scripts/api-contract.sh'

# The Swift suites on a throwaway Citus 13 cluster (a coordinator and two workers on the
# loopback, scripts/citus.sh; Citus is built from ../shared/vendor when missing). Each
# test's database is made on every node and distributed by migrations 0018 and 0019.
# Skipped there: the connection pool's own tests (outages, lease timeouts, closed
# connections: nothing of the schema, and their time limits count the wait for a Citus
# database) and the SMTP client's. Not part of `make test`; about 25 minutes.
test-citus:
	scripts/python-tools.sh >/dev/null
	scripts/citus.sh with sh -c 'swift build --build-tests && swift test --skip-build --skip "$(CITUS_SKIPPED)"'

CITUS_SKIPPED ?= OutageTests|LeaseTimeoutTests|ClosedConnectionTests|DeliveryTests

# The README's screenshots (docs/screenshots), taken by the browser test as it walks each
# role's screens.
screenshots:
	scripts/python-tools.sh >/dev/null
	scripts/with-test-postgres.sh sh -c 'swift build && SCREENSHOTS=$(CURDIR)/docs/screenshots scripts/browser-tests.sh'

build:
	swift build

release:
	swift build -c release --product mpmp

# Stop the private cluster of `make run` and delete its data.
clean-postgres:
	scripts/postgres.sh stop .postgres || true
	rm -rf .postgres

# Every benchmark (Benchmarks/bench.sh): a release build, a throwaway PostgreSQL, wrk and
# pgbench; a table of each figure beside its limit measured in the same run and DESIGN.md
# section 10's budget. Not part of `make test`. MPMP_BIN=path skips the build.
bench:
	Benchmarks/bench.sh

# The dashboard benchmark on plain PostgreSQL and on a throwaway Citus cluster, the same
# machine, and their ratio (Benchmarks/citus.sh). MPMP_BIN=path skips the build.
bench-citus:
	Benchmarks/citus.sh
