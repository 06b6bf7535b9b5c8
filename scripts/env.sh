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
