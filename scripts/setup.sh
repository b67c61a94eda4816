#!/usr/bin/env bash
# Installs what building and testing Tributary needs on Debian with rustup: the wasm32 target
# for the console, and for tests Chromium, chromedriver, the PostgreSQL client, HAProxy (the
# balancer of the cluster scenarios), cargo-fuzz and schemathesis. Safe to run again: it installs
# only what is missing.
# Sourced by run.sh and test.sh.
#   setup.sh          build tools only
#   setup.sh --test   also the test tools

set -euo pipefail

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "need root to run: $*" >&2; return 1
  fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo not found: install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target (for the browser console)"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v cc >/dev/null 2>&1; then
  apt_install gcc libc6-dev
fi

if [ "${1:-}" = "--test" ]; then
  apt_install chromium chromium-driver postgresql-client haproxy
  # The fuzz targets' driver (fuzz/run.sh); installed once into ~/.cargo/bin.
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz (crates.io)"
    cargo install --locked cargo-fuzz --version '^0.13'
  fi
  # schemathesis (PyPI) checks the API against its OpenAPI document (scripts/api_fuzz.py); it
  # lives in a virtual environment of its own beside the build cache.
  api_venv="$HOME/.cache/tributary/venv"
  if [ ! -x "$api_venv/bin/schemathesis" ]; then
    command -v python3 >/dev/null 2>&1 || apt_install python3
    rm -rf "$api_venv"
    if ! python3 -m venv "$api_venv" >/dev/null 2>&1; then
      rm -rf "$api_venv"
      apt_install python3-venv
      python3 -m venv "$api_venv"
    fi
    say "installing schemathesis (PyPI)"
    "$api_venv/bin/pip" install -q --disable-pip-version-check 'schemathesis==4.32.5'
  fi
  export PATH="$api_venv/bin:$PATH"
fi

# One build cache for every checkout of the project on this machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tributary/target}"
