#!/usr/bin/env bash
# Runs every test: unit, backend integration (SQLite and PostgreSQL), and browser end-to-end
# (real nodes, real PostgreSQL, real Chromium). Needs PostgreSQL on 127.0.0.1:5432 with trust
# auth for user postgres; every test creates and drops its own database.

set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --test

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; the integration and e2e tests need it" >&2
  exit 1
fi

say "checking formatting"
cargo fmt --all --check

say "building (dev profile, console included)"
cargo build -p backend --bin tributary
cargo test --workspace --exclude frontend --no-run

say "running the tests"
cargo test --workspace --exclude frontend
