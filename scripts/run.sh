#!/usr/bin/env bash
# Sets up what is missing, builds the console and the `tributary` binary in release mode, and
# starts the standard install (SQLite under ./data) on http://127.0.0.1:8080.
# Extra arguments go to `tributary serve`, e.g. scripts/run.sh --listen 0.0.0.0:8080
# The first build compiles everything and takes several minutes on two cores.

set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

say "building tributary (release; progress below)"
cargo build --release -p backend --bin tributary

say "starting the standard install; open http://127.0.0.1:8080/"
exec "$CARGO_TARGET_DIR/release/tributary" serve "$@"
