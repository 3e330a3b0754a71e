#!/usr/bin/env bash
# The whole test suite as `make test` runs it, on SQLite or (with TEST_DATABASE_URL, see test-postgres.sh) on
# PostgreSQL: pytest-xdist workers, one per CPU, each taking whole files (module fixtures stay in one process);
# then schemathesis on its own, since under xdist each of its generated tests would collapse into one item.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
"$UV" run --frozen pytest -n "${PYTEST_WORKERS:-auto}" --dist loadfile --ignore=tests/test_schemathesis.py
"$UV" run --frozen pytest tests/test_schemathesis.py
