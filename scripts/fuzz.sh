#!/usr/bin/env bash
# Runs every cargo-fuzz target of the repository for a bounded time and prints, per target, the
# executions and the crashes (which must be 0).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      default 60
#
# Needs a nightly toolchain and cargo-fuzz (installed here when missing). Crashing inputs are
# kept in each fuzz folder's artifacts/. Exits non-zero if any target crashed. The fuzz crates are
# members of the main workspace (one Cargo.lock): CI links every target uninstrumented in
# `build_all`; this script builds them instrumented (nightly, sanitizers) in a target directory
# of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/veritas/fuzz-target}"

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo +nightly install cargo-fuzz --locked

FUZZ_DIRS=(verifiers/groth16/fuzz verifiers/tee-nitro/fuzz primitives/crypto-host/fuzz inference/engine/fuzz inference/api/fuzz)
SUMMARY=()
FAILED=0
for dir in "${FUZZ_DIRS[@]}"; do
	crate="$(dirname "$dir")"
	for target in $(cd "$crate" && cargo +nightly fuzz list); do
		log="$CARGO_TARGET_DIR/$target.log"
		mkdir -p "$CARGO_TARGET_DIR" "$dir/corpus/$target"
		echo "== $crate: $target (${SECONDS_PER_TARGET}s)"
		status=0
		(cd "$crate" && cargo +nightly fuzz run "$target" -- \
			-max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -print_final_stats=1) \
			>"$log" 2>&1 || status=$?
		runs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)"
		crashes="$(ls "$dir/artifacts/$target" 2>/dev/null | wc -l)"
		if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
			FAILED=1
			tail -30 "$log"
		fi
		SUMMARY+=("$(printf '%-40s %12s executions %3s crashes (exit %s)' "$crate/$target" "${runs:-?}" "$crashes" "$status")")
	done
done
echo
printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
