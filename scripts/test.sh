#!/usr/bin/env bash
# The second command: installs what is missing, builds everything once, then runs every test.
#
#   scripts/test.sh          the CI tier (.ci/run runs it): unit, pallet, runtime and end-to-end
#                            tests on real nodes, every pallet's benchmark suite and
#                            `runtime-benchmarks` unit tests, the off-the-shelf clients, the
#                            dev.sh smoke run
#   scripts/test.sh --full   the same, then what does not fit CI's budget: the node built with
#                            `runtime-benchmarks` and `benchmark pallet` run by it end to end
#
# One cargo profile and one package selection (`--workspace`) for every step of the CI tier, so
# that feature unification is identical and nothing is compiled twice: the binaries the
# end-to-end tests spawn are the ones built here. The end-to-end tests run in two lanes, one test
# at a time in each: they start networks of real nodes that mostly wait on blocks; the CPU-bound
# in-process tests run beside them at a lower priority (below).
# Each step's time is printed, and a summary against the budget at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
full=false
case "${1:-}" in
--full) full=true ;;
"") ;;
*)
	echo "usage: scripts/test.sh [--full]" >&2
	exit 2
	;;
esac

source scripts/steps.sh
step setup scripts/setup.sh
source scripts/env.sh
# No incremental compilation: a fresh clone's crates are new to cargo (their path is part of their
# identity), so incremental state is written and never reused; it cost time and, run after run,
# tens of GB of disk (the machine's disk filled up once).
export CARGO_INCREMENTAL=0
# Gates that fail fast, before anything is built: the format, and every crate forwarding `std`,
# `runtime-benchmarks` and `try-runtime` to the dependencies that have them (zepter, pinned;
# installed once, about a minute), in seconds.
step fmt cargo fmt --all --check
step features check_features
# Whether this run starts from an empty target directory (cold) or an earlier build (warm).
if [ -d "$VERITAS_PROFILE_DIR/.fingerprint" ]; then budget_kind=warm; else budget_kind=cold; fi
# A fresh clone's files are all newer than any build, so cargo would recompile every workspace
# crate and the runtime's WASM (about 500 s warm): the files whose content is what the last
# successful run at this path built from get an old time back, and only what depends on the
# others is rebuilt (scripts/tree-stamp.py says why that is sound). Both target directories the
# run builds in must have been built from that content.
step restore scripts/tree-stamp.py restore "$CARGO_TARGET_DIR" "$CARGO_TARGET_DIR-bench"

# Every binary and test, with clippy's lints and the doc gate inside the build (env.sh,
# scripts/workspace-rustc.sh): each workspace crate is compiled by clippy-driver, then documented
# by rustdoc with its warnings as errors (what `RUSTDOCFLAGS="-D warnings" cargo doc --workspace
# --no-deps` checks, without `cargo doc`'s second check of every dependency: 482 s of the last
# cold run); a warning or a doc error fails the build. A fresh clone (CI) compiles, so documents,
# every workspace crate.
build_stamped() {
	scripts/tree-stamp.py begin "$CARGO_TARGET_DIR" &&
		build_all_linted &&
		scripts/tree-stamp.py commit "$CARGO_TARGET_DIR"
}
step build build_stamped
# The local powers of tau the ceremony tests need (2^11 for veritas-zkey's, 2^13 for the served
# model's; minutes to make on a new machine, then cached in the target directory), made in the
# background while the end-to-end tests mostly wait on blocks, at nice 10 so as not to slow the
# unit tests in the foreground. A ceremony that needs one before it is ready waits for it
# (zkey-ceremony.sh locks each power).
ptau_log="$VERITAS_PTAU_CACHE.log"
mkdir -p "$(dirname "$ptau_log")"
(nice -n 10 scripts/zkey-ceremony.sh --local-ptau 11 &&
	nice -n 10 scripts/zkey-ceremony.sh --local-ptau 13) >"$ptau_log" 2>&1 &
ptau_pid=$!
# The pallets with their `runtime-benchmarks` feature (every `impl_benchmark_test_suite!` and the
# benchmark-gated unit tests), compiled in a target directory of their own (the feature changes
# the SDK crates, which would otherwise be rebuilt twice in this one), in the background at the
# lowest priority while the end-to-end tests mostly wait on blocks: about 4 minutes from an empty
# directory, which the end-to-end tests' 13 then hide. (The runtime's own benchmark helpers are
# compiled by the release benchmark node that measures the weights, which `freshness.rs` makes
# a condition of every change to them; checking them here too would build wasm-opt's C++ again:
# 10 more minutes cold.)
bench_log="$CARGO_TARGET_DIR-bench.log"
bench_suites=(-p pallet-verifier-registry -p pallet-enclave-registry -p pallet-models
	-p pallet-settlement -p pallet-inference-receipts)
scripts/tree-stamp.py begin "$CARGO_TARGET_DIR-bench"
CARGO_TARGET_DIR="$CARGO_TARGET_DIR-bench" SKIP_WASM_BUILD=1 nice -n 19 \
	cargo test --locked "${bench_suites[@]}" --features runtime-benchmarks --lib --no-run \
	>"$bench_log" 2>&1 &
bench_pid=$!
# After the unit tests, the integration tests in two groups at once: those of `veritas-tests`
# start real nodes and spend most of their time waiting on blocks, in two lanes in the foreground
# (`nodes`); the others (the prover's circuits, the ceremonies, the service on a fake chain, the
# CLI offline) are CPU-bound and run beside them, two at a time, at a lower priority (nice 10:
# about a tenth of a core both want, enough for the one real-time test among them), so that the
# nodes' slots keep their timing (`in-process`, its log printed when it ends). Cargo holds its
# lock only while it builds, and everything is built above.
in_process_log="$CARGO_TARGET_DIR-in-process.log"
# test_targets unit|nodes|in-process: the cargo target selection of each group, from `cargo
# metadata` (so that a new test file lands in one): `--lib` and `--bin NAME` for each binary with
# unit tests (not the fuzz targets, `test = false`, which would run libFuzzer); `--test NAME` for
# each integration test of `veritas-tests`; or for every other integration test.
test_targets() {
	cargo metadata --locked --format-version 1 --no-deps | python3 -c '
import json, sys
group = sys.argv[1]
args = {("--lib",)} if group == "unit" else set()
for package in json.load(sys.stdin)["packages"]:
    for t in package["targets"]:
        if not t.get("test", True):
            continue
        if "bin" in t["kind"] and group == "unit":
            args.add(("--bin", t["name"]))
        elif "test" in t["kind"] and group != "unit":
            if (package["name"] == "veritas-tests") == (group == "nodes"):
                args.add(("--test", t["name"]))
for arg in sorted(args):
    print(*arg, sep="\n")
' "$1"
}
in_process_tests() {
	local targets
	mapfile -t targets < <(test_targets in-process)
	nice -n 10 cargo test --locked --workspace "${targets[@]}" -- --test-threads=2
}
# The unit and doc tests first, in seconds: a failing one fails the run before the slow tests.
unit_tests() {
	local targets
	mapfile -t targets < <(test_targets unit)
	cargo test --locked --workspace "${targets[@]}" -- --test-threads=2 &&
		cargo test --locked --workspace --doc
}
step unit unit_tests
in_process_tests >"$in_process_log" 2>&1 &
in_process_pid=$!
# The end-to-end tests in two lanes at once, each one test at a time: they mostly wait on blocks,
# so two networks share the cores without missing their slots, and the step takes about the
# longer lane instead of the sum (warm: 630 s in one lane). The first lane takes the longest
# tests (the inference node end to end, about 220 s; the four-validator faults, 90 s; the dev
# chain, 20 s), the second every other one (receipts, models, subcommands, enclave, devnet,
# Groth16, bad input: about 300 s). Every test picks its own free ports and directories. The
# second lane's log is printed when both end.
FIRST_LANE_TESTS=(inference_node faults dev_chain)
second_lane_log="$CARGO_TARGET_DIR-second-lane.log"
node_tests() {
	local targets first=() second=() status=0 i
	mapfile -t targets < <(test_targets nodes)
	for ((i = 0; i < ${#targets[@]}; i += 2)); do
		if [[ " ${FIRST_LANE_TESTS[*]} " == *" ${targets[i + 1]} "* ]]; then
			first+=("${targets[i]}" "${targets[i + 1]}")
		else
			second+=("${targets[i]}" "${targets[i + 1]}")
		fi
	done
	cargo test --locked --workspace "${second[@]}" -- --test-threads=1 >"$second_lane_log" 2>&1 &
	local second_pid=$!
	cargo test --locked --workspace "${first[@]}" -- --test-threads=1 || status=$?
	wait "$second_pid" || status=$?
	echo "==> the second lane of end-to-end tests:"
	cat "$second_lane_log"
	return "$status"
}
step nodes node_tests
# The off-the-shelf clients and the README's smoke run next, in the foreground, while the
# in-process tests (and, cold, the benchmark build and the powers of tau) go on in the background:
# a cold run measured the in-process tests still running 301 s after the node tests, with one core
# idle.
# Off-the-shelf clients (@polkadot/api, polkadot-api, py-substrate-interface) against a dev node.
step clients scripts/check-clients.sh
# The first command's whole stack (chain + inference node, models registered), receipts verified
# by the CLI.
step smoke env VERITAS_BUILT=1 scripts/dev.sh --smoke
in_process_done() {
	local status=0
	wait "$in_process_pid" || status=$?
	cat "$in_process_log"
	return "$status"
}
step in-process in_process_done
bench_built() {
	wait "$bench_pid" || {
		cat "$bench_log" >&2
		return 1
	}
	# The benchmark code is linted here (clippy inside the build, as in build_all_linted).
	if lint_warnings "$bench_log"; then
		cat "$bench_log" >&2
		return 1
	fi
	scripts/tree-stamp.py commit "$CARGO_TARGET_DIR-bench"
}
step bench-build bench_built
step bench-suites env CARGO_TARGET_DIR="$CARGO_TARGET_DIR-bench" SKIP_WASM_BUILD=1 \
	cargo test --locked "${bench_suites[@]}" --features runtime-benchmarks --lib
wait "$ptau_pid" || {
	cat "$ptau_log" >&2
	echo "warning: the background powers of tau failed; the ceremony tests made their own" >&2
}

if $full; then
	step bench-node build_bench_node
	# `veritas-node benchmark pallet` end to end, on the benchmark node's runtime.
	step bench-cli env VERITAS_BENCH_NODE_BIN="$BENCH_NODE_BIN" \
		cargo test --locked --workspace --test benchmark_cli -- --ignored --test-threads=1
	# The runtime's own tests with its benchmark helpers, in the benchmark node's target
	# directory (its WASM runtime built with `runtime-benchmarks`).
	step bench-runtime env CARGO_TARGET_DIR="$CARGO_TARGET_DIR-bench" cargo test --locked \
		-p veritas-runtime --features runtime-benchmarks
fi
step_summary "$budget_kind"
