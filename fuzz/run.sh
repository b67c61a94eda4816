#!/usr/bin/env bash
# Builds the fuzz targets and runs each for a bounded time; exits non-zero on the first crash.
#   fuzz/run.sh [SECONDS] [TARGET...] [-- LIBFUZZER_FLAGS...]
#   fuzz/run.sh document        one target for 30 s
#   fuzz/run.sh                 every target for 30 s (what scripts/test.sh runs)
#   fuzz/run.sh 14400 expression -- -fork=2
# Needs cargo-fuzz (scripts/setup.sh --test installs it). libFuzzer needs nightly-only rustc
# flags: RUSTC_BOOTSTRAP=1 lets the stable toolchain take them. No AddressSanitizer: the project
# forbids unsafe code, so a finding is a panic or a stack overflow, which libFuzzer sees without
# it, and ASan would double the build and halve the speed.
# The corpus grown by earlier runs is kept in ~/.cache/tributary/fuzz-corpus/<target> (the
# seeds in fuzz/corpus/<target> are only read); crashes land in fuzz/artifacts/<target>/.

set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then seconds="$1"; shift; fi
targets=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do targets+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#targets[@]} -eq 0 ] && targets=(document expression)

export RUSTC_BOOTSTRAP=1
# Separate from the project's build cache: the fuzz build's compiler flags differ throughout.
target_dir="${FUZZ_TARGET_DIR:-$HOME/.cache/tributary/fuzz-target}"
corpus_root="${FUZZ_CORPUS_DIR:-$HOME/.cache/tributary/fuzz-corpus}"
cargo fuzz build --sanitizer none --target-dir "$target_dir"
for target in "${targets[@]}"; do
  mkdir -p "$corpus_root/$target"
  printf '\033[1;34m==>\033[0m fuzzing %s for %ss\n' "$target" "$seconds" >&2
  cargo fuzz run --sanitizer none --target-dir "$target_dir" "$target" \
    "$corpus_root/$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -dict="fuzz/dict/$target.dict" -timeout=20 -rss_limit_mb=4096 \
    -print_final_stats=1 "$@"
done
