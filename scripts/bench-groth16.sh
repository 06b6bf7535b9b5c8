#!/usr/bin/env bash
# Groth16 verification cost on this machine, measured in one run and printed as ratios:
#   - native arkworks verification (the `native_verify` example, arkworks optimised);
#   - in-runtime verification: the real WASM runtime through the node's executor
#     (`benchmark pallet` of the node built with `runtime-benchmarks`, on its runtime), with the node's BN254 host
#     functions and without them (plain arkworks compiled to WASM), and the whole `submit_proof`
#     call (key read from storage, event);
#   - batch verification per proof at k = 1, 8, 32, 128, against one in-runtime verification.
# Every figure is a median. REPEAT overrides the native repetitions (default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

build_all
cargo build --locked -q -p veritas-verifier-groth16 --features traits --example native_verify
build_bench_node
WASM="$BENCH_WASM"
OUT="$CARGO_TARGET_DIR/benchmarks/groth16"
mkdir -p "$OUT"

echo "== native (arkworks)"
"$VERITAS_PROFILE_DIR/examples/native_verify" "${REPEAT:-30}" | tee "$OUT/native.txt"

# measure NAME EXTRINSIC LOW/HIGH: the median time of one in-runtime benchmark at fixed components.
measure() {
	local name="$1" extrinsic="$2" at="$3"
	"$BENCH_NODE_BIN" benchmark pallet --runtime "$WASM" --genesis-builder runtime \
		--pallet pallet_verifier_registry --extrinsic "$extrinsic" \
		--low "$at" --high "$at" --steps 2 --repeat 10 \
		--json-file "$OUT/$name.json" >/dev/null 2>&1
	python3 - "$OUT/$name.json" "$name" <<'PY' | tee -a "$OUT/runtime.txt"
import json, statistics, sys
times = [r["extrinsic_time"] for b in json.load(open(sys.argv[1])) for r in b["time_results"]]
print(f"{sys.argv[2]} {statistics.median(times) / 1000:.1f}")
PY
}

echo "== in the runtime (WASM through the node's executor)"
: >"$OUT/runtime.txt"
for n in 0 1 64; do
	measure "runtime_host_verify_$n" verify_with_host_functions "$n"
	measure "runtime_pure_verify_$n" verify_without_host_functions "$n"
	measure "runtime_submit_proof_$n" submit_proof "$n"
done
for n in 1 64; do
	for k in 1 8 32 128; do
		measure "runtime_batch_${k}_$n" verify_batch "$k,$n"
	done
done

python3 - "$OUT/native.txt" "$OUT/runtime.txt" <<'PY'
import sys
native = {}
for line in open(sys.argv[1]):
    name, n, us = line.split()
    native[(name, int(n))] = float(us)
rt = {}
for line in open(sys.argv[2]):
    name, us = line.split()
    rt[name] = float(us)

print()
print("Groth16 verification (BN254), medians in ms; ratios against native arkworks")
print(f"{'inputs':>8} {'native':>9} {'runtime+host':>14} {'ratio':>6} {'pure WASM':>10} {'ratio':>6} {'submit_proof':>13} {'ratio':>6}")
for n in (0, 1, 64):
    nat = native[("native_verify", n)]
    host = rt[f"runtime_host_verify_{n}"]
    pure = rt[f"runtime_pure_verify_{n}"]
    call = rt[f"runtime_submit_proof_{n}"]
    print(f"{n:>8} {nat/1000:>9.2f} {host/1000:>14.2f} {host/nat:>6.2f} {pure/1000:>10.2f} {pure/nat:>6.2f} {call/1000:>13.2f} {call/nat:>6.2f}")
print()
print("Batch verification in the runtime: cost per proof, and its ratio to one in-runtime verification")
for n in (1, 64):
    single = rt[f"runtime_host_verify_{n}"]
    cells = []
    for k in (1, 8, 32, 128):
        per = rt[f"runtime_batch_{k}_{n}"] / k
        cells.append(f"k={k}: {per/1000:.2f} ms ({per/single:.2f}x)")
    print(f"  n={n}: " + ", ".join(cells))
print()
print("Native batch per proof (k=1, 8, 32, 128):",
      ", ".join(f"{native[('native_batch_per_proof', k)]/1000:.2f} ms" for k in (1, 8, 32, 128)))
PY
