# Sourced by the other scripts: where cargo builds, and the node binary it produces.
# The target directory lives outside the clone so that every clone (and CI) builds incrementally.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/veritas/target}"
# One profile for everything (binaries, unit tests, end-to-end tests): the world is built once.
export VERITAS_PROFILE_DIR="$CARGO_TARGET_DIR/debug"
export VERITAS_NODE_BIN="${VERITAS_NODE_BIN:-$VERITAS_PROFILE_DIR/veritas-node}"
# Local (development) powers of tau that scripts/zkey-ceremony.sh made, kept for the next
# ceremony of the tests: preparing one takes minutes.
export VERITAS_PTAU_CACHE="${VERITAS_PTAU_CACHE:-$CARGO_TARGET_DIR/ptau-cache}"

# Clippy's lints run inside every build of this workspace's own crates: cargo hands them to
# scripts/workspace-rustc.sh, which compiles them with clippy-driver (rustc with clippy's lints
# added), and, with VERITAS_DOC_GATE=1 (scripts/test.sh's build), documents them with rustdoc's
# warnings as errors. `cargo clippy` and `cargo doc` would each check every dependency a second
# time, in a build of its own (18 and 8 minutes cold on this machine kind); this way the lints and
# the documentation cost seconds of the crates they check. scripts/test.sh's `build` step fails
# on any warning (`lint_gate`). Set VERITAS_NO_CLIPPY=1 to build with plain rustc (in another
# target directory: the wrapper is part of every workspace crate's fingerprint).
if [ -z "${VERITAS_NO_CLIPPY:-}" ] && [ -z "${RUSTC_WORKSPACE_WRAPPER:-}" ]; then
	RUSTC_WORKSPACE_WRAPPER="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/workspace-rustc.sh"
	export RUSTC_WORKSPACE_WRAPPER
fi

# Builds every binary and test of the workspace. Every script builds with exactly this command:
# another package selection or target set unifies features differently and recompiles much of
# the SDK a second time.
build_all() {
	# --timings: every build leaves its per-crate profile in $CARGO_TARGET_DIR/cargo-timings/
	# (cargo-timing.html): what a cold CI spends its build on, for the CI budget.
	cargo build --locked --workspace --bins --tests --timings
}

# lint_warnings LOG: prints (and succeeds if there are any) the lines of a cargo log that say a
# crate of the workspace has compiler or clippy warnings: cargo prints `warning: `CRATE` (TARGET)
# generated N warnings` for each, and replays the stored warnings of the crates it does not
# recompile, so a warm build reports them too. Dependencies' lints are capped by cargo and never
# count.
lint_warnings() {
	grep -E '^warning: `[^`]+` \(.+\) generated [0-9]+ warnings?' "$1"
}

# build_all, failing on any warning of the workspace's crates (lint_warnings), with the doc gate
# inside it (VERITAS_DOC_GATE: every workspace crate documented, rustdoc's warnings as errors;
# scripts/workspace-rustc.sh).
build_all_linted() {
	local log status=0
	log=$(mktemp)
	VERITAS_DOC_GATE=1 build_all 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	if [ "$status" -eq 0 ] && lint_warnings "$log"; then
		echo "lint gate: the warnings above fail the build (clippy runs inside it; see env.sh)" >&2
		status=1
	fi
	rm -f "$log"
	return "$status"
}

# The benchmark machinery (the node's `benchmark` subcommand, the runtime's benchmarks) is in no
# build of build_all: only a node built with `--features runtime-benchmarks` has it, and it
# embeds (and writes next to itself) the runtime built with them. Such a node is built in a
# target directory of its own, so that its feature set never changes what build_all compiled.

# Both benchmark builds skip the WASM of the SDK's storage-access test runtime (a dependency of
# `frame-benchmarking-cli`, used only by `benchmark storage --mode validate-block`, for
# parachains): its WASM builder looks itself up in this workspace's default-feature metadata
# (WASM_BUILD_WORKSPACE_HINT), where an optional dependency is absent, and panics. A failed
# build returns its status (the functions run inside `step`, where `set -e` does not apply).

# The dev-profile node with `runtime-benchmarks`, in $CARGO_TARGET_DIR-bench: builds it (about
# as long as build_all cold, a few minutes after a runtime change) and sets BENCH_NODE_BIN and
# BENCH_WASM (its runtime, which `benchmark pallet --runtime` measures).
build_bench_node() {
	local target="$CARGO_TARGET_DIR-bench"
	CARGO_TARGET_DIR="$target" SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
		cargo build --locked -p veritas-node --features runtime-benchmarks || return
	BENCH_NODE_BIN="$target/debug/veritas-node"
	# A dev-profile build does not compact the runtime (the WASM builder compacts for release).
	BENCH_WASM="$target/debug/wbuild/veritas-runtime/veritas_runtime.wasm"
}

# The release node (with `runtime-benchmarks`, which `benchmark storage` needs too) that
# production weights are measured with, in its own target directory: builds it (a cold build
# takes about 30 minutes on this machine, an incremental one 3–4) and sets RELEASE_TARGET,
# RELEASE_NODE_BIN and RELEASE_BENCH_WASM.
build_release_node() {
	RELEASE_TARGET="$CARGO_TARGET_DIR-release"
	CARGO_TARGET_DIR="$RELEASE_TARGET" SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
		cargo build --locked --release -p veritas-node --features runtime-benchmarks || return
	RELEASE_NODE_BIN="$RELEASE_TARGET/release/veritas-node"
	RELEASE_BENCH_WASM="$RELEASE_TARGET/release/wbuild/veritas-runtime/veritas_runtime.compact.compressed.wasm"
}

# The feature gate: every workspace crate that has `std`, `runtime-benchmarks` or `try-runtime`
# forwards it to each dependency (normal, dev, build) that has it too (zepter's
# propagate-feature lint, the check polkadot-sdk runs; crates without the feature are not asked to
# grow one). Installs the pinned zepter first if it is missing (about two minutes on a new machine;
# `--debug` was measured no faster: 141 s; outside this workspace's target directory and without
# the clippy wrapper). `zepter lint propagate-feature
# ... --fix` repairs what it reports.
ZEPTER_VERSION=1.88.2
check_features() {
	if ! zepter --version 2>/dev/null | grep -qx "zepter $ZEPTER_VERSION"; then
		env -u CARGO_TARGET_DIR -u RUSTC_WORKSPACE_WRAPPER \
			cargo install --locked --quiet zepter --version "$ZEPTER_VERSION" || return
	fi
	zepter lint propagate-feature --features std,runtime-benchmarks,try-runtime \
		--left-side-feature-missing=ignore --workspace --offline --locked
}

# free_ports N: N free TCP ports on 127.0.0.1 (picked by the OS), space-separated, for test
# networks that must not meet another node already listening on the default ports.
free_ports() {
	python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
' "$1"
}
