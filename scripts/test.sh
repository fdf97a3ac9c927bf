#!/usr/bin/env bash
# Everything `make test` checks: linters, types, migrations, the suite on SQLite,
# then the same suite on a throwaway PostgreSQL cluster. Every step runs even when
# an earlier one failed, so one run shows all problems; the exit code is non-zero
# when any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
failed=()

step() {
  local name=$1; shift
  echo "==> $name"
  if ! "$@"; then
    failed+=("$name")
    echo "!!! $name failed"
  fi
}

bash scripts/install-chromium.sh || failed+=("chromium")

step "ruff check" "$BIN/ruff" check .
step "ruff format" "$BIN/ruff" format --check .
step "mypy" "$BIN/mypy"
step "migrations up to date" env DJANGO_SETTINGS_MODULE=seabridge.settings_test \
  "$BIN/seabridge" makemigrations --check --dry-run
# The .mo catalogues are build output (not committed): the suite needs them compiled.
step "compile translations" bash -c \
  'cd src/seabridge && DJANGO_SETTINGS_MODULE=seabridge.settings_test ../../.venv/bin/seabridge compilemessages'
step "pytest on SQLite" env -u DATABASE_URL "$BIN/pytest" "$@"
step "pytest on PostgreSQL" bash scripts/with-postgres.sh "$BIN/pytest" "$@"
# The benchmark suite in its small form, so that it never rots: no thresholds, no files written.
step "benchmarks (make bench SCALE=small)" make --no-print-directory bench SCALE=small BENCH_ARGS=--check

if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "All checks passed."
