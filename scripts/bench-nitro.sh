#!/usr/bin/env bash
# Nitro attestation cost on this machine, measured in one run and printed as ratios: native
# verification (the `nitro_native_verify` example) against `register_enclave` in the real WASM
# runtime through the node's executor (`benchmark pallet` of the node built with
# `runtime-benchmarks`, on its runtime). The ratio compares the same documents: DevEnclave
# documents made as the runtime benchmark makes them (same CA shape, image, key and data sizes),
# natively and in the runtime; real AWS documents are verified natively too, for scale. The
# in-runtime figure is the whole call: the document checks, the signature and chain
# verification, storage.
# Also `register_enclave` of a document whose certificate path a registration verified before
# (`register_enclave_cached`: leaf and COSE signatures only, security issue point 10; target
# <= 3 ms at AWS's chain shape, cabundle 4), and the verification alone inside the runtime, with
# the node's P-384 host function and with RustCrypto compiled to WASM (no host function), at the
# same chain lengths.
#
# RELEASE=1 measures the runtime on the release node the weights are measured with (see
# scripts/env.sh, build_release_node) instead of the dev-profile benchmark node.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

build_all
cargo build --locked -q -p veritas-verifier-tee-nitro --example nitro_native_verify
if [ "${RELEASE:-0}" = 1 ]; then
	build_release_node
	BENCH_NODE_BIN="$RELEASE_NODE_BIN"
	BENCH_WASM="$RELEASE_BENCH_WASM"
else
	build_bench_node
fi
OUT="$CARGO_TARGET_DIR/benchmarks/nitro"
mkdir -p "$OUT"

echo "== native"
"$VERITAS_PROFILE_DIR/examples/nitro_native_verify" "${REPEAT:-30}" | tee "$OUT/native.txt"

echo "== in the runtime"
: >"$OUT/runtime.txt"
for extrinsic in register_enclave register_enclave_cached verify_document_with_host_functions \
	verify_document_without_host_functions; do
	for c in 4 8; do
		"$BENCH_NODE_BIN" benchmark pallet --runtime "$BENCH_WASM" --genesis-builder runtime \
			--pallet pallet_enclave_registry --extrinsic "$extrinsic" \
			--low "$c" --high "$c" --steps 2 --repeat 10 --json-file "$OUT/${extrinsic}_$c.json" >/dev/null 2>&1
		python3 - "$OUT/${extrinsic}_$c.json" "$extrinsic" "$c" <<'PY' | tee -a "$OUT/runtime.txt"
import json, statistics, sys
times = [r["extrinsic_time"] for b in json.load(open(sys.argv[1])) for r in b["time_results"]]
print(f"{sys.argv[2]} {sys.argv[3]} {statistics.median(times) / 1000:.1f}")
PY
	done
done

python3 - "$OUT/native.txt" "$OUT/runtime.txt" <<'PY'
import sys
native = [line.split() for line in open(sys.argv[1])]
runtime = {}
for name, c, us in (line.split() for line in open(sys.argv[2])):
    runtime.setdefault(name, {})[int(c)] = float(us)
register = runtime["register_enclave"]
print()
print("Nitro attestation documents, medians in ms")
for name, c, us in native:
    c, us = int(c), float(us)
    rt = register.get(c)
    if name != "native_verify_dev_enclave" or rt is None:
        print(f"  {name}: native {us/1000:.2f} ms (cabundle {c})")
    else:
        print(f"  DevEnclave documents, cabundle {c}: native {us/1000:.2f} ms, in-runtime "
              f"register_enclave {rt/1000:.2f} ms (the same documents): ratio {rt/us:.1f}x")
print(f"  in-runtime register_enclave at the verifier's longest chain (cabundle 8): {register[8]/1000:.2f} ms")
cached = runtime["register_enclave_cached"]
for c in sorted(cached):
    verdict = "within" if c != 4 or cached[c] <= 3000 else "OVER"
    print(f"  cabundle {c}, certificate path known: register_enclave {cached[c]/1000:.2f} ms "
          f"({register[c]/cached[c]:.1f}x less than unknown)"
          + (f", {verdict} the 3 ms target at AWS's shape" if c == 4 else ""))
print()
print("Document verification alone, inside the runtime")
host, pure = runtime["verify_document_with_host_functions"], runtime["verify_document_without_host_functions"]
for c in sorted(host):
    print(f"  cabundle {c}: P-384 host function {host[c]/1000:.2f} ms, RustCrypto in WASM {pure[c]/1000:.2f} ms: "
          f"host is {pure[c]/host[c]:.1f}x faster")
PY
