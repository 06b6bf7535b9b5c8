#!/usr/bin/env bash
# Measures the same pallet benchmarks with the dev-profile node (what scripts/run-benchmarks.sh
# uses by default) and a release node, in one run, and prints the ratio per benchmark point: how
# much of a weight is the node's unoptimised glue rather than the work itself.
#
#   scripts/bench-node-profiles.sh [PALLET EXTRINSICS]...
#     default: pallet_inference_receipts '*' pallet_enclave_registry verify_enclave_signature
#              pallet_verifier_registry verify_batch,submit_proof
#
# Builds the release node with `runtime-benchmarks` in $CARGO_TARGET_DIR-release first (about
# 30 min cold on this machine). STEPS and REPEAT override the sampling (defaults 4, 10).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

ARGS=("$@")
if [ ${#ARGS[@]} -eq 0 ]; then
	ARGS=(pallet_inference_receipts '*' pallet_enclave_registry verify_enclave_signature
		pallet_verifier_registry verify_batch,submit_proof)
fi

build_bench_node
build_release_node

out="$CARGO_TARGET_DIR/benchmarks/profiles"
mkdir -p "$out"
for profile in dev release; do
	if [ "$profile" = dev ]; then
		node="$BENCH_NODE_BIN"
		wasm="$BENCH_WASM"
	else
		node="$RELEASE_NODE_BIN"
		wasm="$RELEASE_BENCH_WASM"
	fi
	set -- "${ARGS[@]}"
	while [ $# -ge 2 ]; do
		echo "== $profile node: $1 ($2)"
		"$node" benchmark pallet --runtime "$wasm" --genesis-builder runtime \
			--genesis-builder-preset development --pallet "$1" --extrinsic "$2" \
			--steps "${STEPS:-4}" --repeat "${REPEAT:-10}" \
			--json-file "$out/$profile-$1.json" >"$out/$profile-$1.log" 2>&1
		shift 2
	done
done

python3 - "$out" "${ARGS[@]}" <<'EOF'
import json, statistics, sys

out, args = sys.argv[1], sys.argv[2:]
def medians(path):
    points = {}
    for bench in json.load(open(path)):
        for r in bench["time_results"]:
            key = (bench["benchmark"], tuple(tuple(c) for c in r["components"]))
            points.setdefault(key, []).append(r["extrinsic_time"])
    return {k: statistics.median(v) for k, v in points.items()}

print(f"{'benchmark':26s} {'components':34s} {'dev node':>12s} {'release':>12s} {'dev/release':>11s}")
for pallet in args[0::2]:
    dev = medians(f"{out}/dev-{pallet}.json")
    rel = medians(f"{out}/release-{pallet}.json")
    for key in sorted(dev):
        if key in rel:
            name, comps = key
            print(f"{name:26s} {str(dict(comps)):34s} {dev[key]/1e3:9.1f} us {rel[key]/1e3:9.1f} us {dev[key]/rel[key]:10.2f}x")
EOF
