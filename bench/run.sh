#!/usr/bin/env bash
# Benchmarks, each against its peer in the same run (see README "Benchmarks"):
#   bench/run.sh         P1 (batch job vs DuckDB and Polars), P2 (service vs Node-RED), P3 (run throughput)
#   bench/run.sh p1      only P1;   bench/run.sh p2   only P2;   bench/run.sh p3   only P3
# Sets up its own tools: a Python venv with duckdb and polars, wrk (Debian), Node-RED (npm).

set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

what="${1:-all}"
say "building tributary (release)"
cargo build --release -p backend --bin tributary

if [ ! -x bench/.venv/bin/python ]; then
  say "creating the Python environment for the peers"
  python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install -q --disable-pip-version-check duckdb polars

if [ "$what" = all ] || [ "$what" = p2 ]; then
  command -v wrk >/dev/null 2>&1 || apt_install wrk
  if [ ! -x bench/.node/node_modules/.bin/node-red ]; then
    say "installing Node-RED 4 (npm)"
    mkdir -p bench/.node
    npm install --prefix bench/.node --no-audit --no-fund --silent node-red@4
  fi
fi

exec bench/.venv/bin/python bench/bench.py "$what" "$CARGO_TARGET_DIR/release/tributary"
