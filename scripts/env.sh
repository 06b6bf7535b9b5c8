# Sourced by the other scripts: where cargo builds, and the node binary it produces.
# The target directory lives outside the clone so that every clone (and CI) builds incrementally.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/veritas/target}"
# One profile for everything (binaries, unit tests, end-to-end tests): the world is built once.
export VERITAS_PROFILE_DIR="$CARGO_TARGET_DIR/debug"
export VERITAS_NODE_BIN="${VERITAS_NODE_BIN:-$VERITAS_PROFILE_DIR/veritas-node}"

# Builds every binary and test of the workspace. Every script builds with exactly this command:
# another package selection or target set unifies features differently and recompiles much of
# the SDK a second time.
build_all() {
	cargo build --locked --workspace --bins --tests
}

# The runtime built with `runtime-benchmarks` (runtime/build.rs builds it next to the chain's
# runtime), which `veritas-node benchmark pallet --runtime` measures.
bench_wasm() {
	echo "$VERITAS_PROFILE_DIR/wbuild/veritas-runtime/veritas_runtime_benchmarks.wasm"
}

# The release node (with `runtime-benchmarks`, which `benchmark storage` needs) that production
# weights are measured with, in its own target directory: builds it (a cold build takes about
# 30 minutes on this machine, an incremental one 3–4) and sets RELEASE_TARGET, RELEASE_NODE_BIN
# and RELEASE_BENCH_WASM.
build_release_node() {
	RELEASE_TARGET="$CARGO_TARGET_DIR-release"
	CARGO_TARGET_DIR="$RELEASE_TARGET" cargo build --locked --release -p veritas-node --features runtime-benchmarks
	RELEASE_NODE_BIN="$RELEASE_TARGET/release/veritas-node"
	RELEASE_BENCH_WASM="$RELEASE_TARGET/release/wbuild/veritas-runtime/veritas_runtime_benchmarks.wasm"
}
