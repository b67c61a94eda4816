#!/usr/bin/env bash
# Runs every test: unit, backend integration (SQLite and PostgreSQL), browser end-to-end (real
# nodes, real PostgreSQL, real Chromium), schemathesis against the API's OpenAPI document
# (scripts/api_fuzz.py), then a short fuzzing run (fuzz/run.sh; FUZZ_SECONDS
# per target, 30 by default). Needs PostgreSQL on 127.0.0.1:5432 with trust auth for user
# postgres; every test creates and drops its own database.

set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --test

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; the integration and e2e tests need it" >&2
  exit 1
fi

say "checking formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

say "building (dev profile, console included)"
cargo build -p backend --bin tributary
cargo test --workspace --no-run

say "running the tests"
cargo test --workspace

say "checking the API against its OpenAPI document (schemathesis, ${API_FUZZ_EXAMPLES:-25} examples per operation)"
python3 scripts/api_fuzz.py "$CARGO_TARGET_DIR/debug/tributary"

say "fuzzing the dataflow document and expression parsers (${FUZZ_SECONDS:-30}s each)"
fuzz/run.sh "${FUZZ_SECONDS:-30}"
