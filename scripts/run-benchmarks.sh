#!/usr/bin/env bash
# Generates the runtime's weights on this machine with the node's `benchmark pallet` command.
#
#   scripts/run-benchmarks.sh [PALLET...]     default: every Veritas pallet
#
# Each pallet's weights go to runtime/src/weights/<pallet>.rs (from
# scripts/benchmarks/weight-template.hbs), the median, 95th percentile and maximum time measured
# at every component value to runtime/src/weights/<pallet>.measured.json, which the runtime's
# tests read to check that every declared weight covers the 95th percentile of what was measured
# (the raw results stay in $CARGO_TARGET_DIR/benchmarks/), and the fingerprint of the sources
# measured to runtime/src/weights/<pallet>.sources.json, which the runtime's tests compare with
# the sources of the day (a pallet changed since its measurement fails them). STEPS and REPEAT
# override the sampling (defaults 50, 20); RELEASE=1 measures with a release node (see below).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

PALLETS=("$@")
if [ ${#PALLETS[@]} -eq 0 ]; then
	PALLETS=(pallet_verifier_registry pallet_enclave_registry pallet_models pallet_settlement pallet_inference_receipts)
fi

# The node that measures: the dev-profile node built with `runtime-benchmarks` by default
# (build_bench_node in scripts/env.sh; its crypto crates are
# optimised, but the executor glue, storage overlay and host-call marshalling are not, so it
# measures several times the time a production node takes; scripts/bench-node-profiles.sh).
# The runtime's weights come from a release node: RELEASE=1 builds one (build_release_node in
# scripts/env.sh) and measures with it.
if [ "${RELEASE:-0}" = 1 ]; then
	build_release_node
	VERITAS_NODE_BIN="$RELEASE_NODE_BIN"
	WASM="$RELEASE_BENCH_WASM"
else
	build_bench_node
	VERITAS_NODE_BIN="$BENCH_NODE_BIN"
	WASM="$BENCH_WASM"
fi
RAW="$CARGO_TARGET_DIR/benchmarks"
mkdir -p "$RAW"
for pallet in "${PALLETS[@]}"; do
	# Fingerprinted before the run: a source edited while the benchmarks run is then stale.
	python3 scripts/benchmarks/sources.py "$pallet" >"$RAW/$pallet.sources.json"
	echo "== benchmarking $pallet (steps ${STEPS:-50}, repeat ${REPEAT:-20})"
	"$VERITAS_NODE_BIN" benchmark pallet \
		--runtime "$WASM" \
		--genesis-builder runtime \
		--genesis-builder-preset development \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "${STEPS:-50}" \
		--repeat "${REPEAT:-20}" \
		--output-analysis max \
		--template scripts/benchmarks/weight-template.hbs \
		--output "runtime/src/weights/$pallet.rs" \
		--json-file "$RAW/$pallet.json"
	python3 scripts/benchmarks/summarize.py "$RAW/$pallet.json" >"runtime/src/weights/$pallet.measured.json"
	python3 scripts/benchmarks/cover.py "runtime/src/weights/$pallet.rs" "runtime/src/weights/$pallet.measured.json"
	cp "$RAW/$pallet.sources.json" "runtime/src/weights/$pallet.sources.json"
done
echo "weights written to runtime/src/weights/; rebuild and run the tests (scripts/test.sh)"
