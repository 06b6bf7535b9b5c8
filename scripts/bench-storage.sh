#!/usr/bin/env bash
# Measures the runtime's database weights (`DbWeight`: one read, one write) with the node's
# `benchmark storage` command on a populated dev state, and writes runtime/src/weights/db_weights.rs
# (from scripts/benchmarks/db-weight-template.hbs).
#
#   scripts/bench-storage.sh [SCENARIO=COUNT]...    passed to receipts-load (default tee=12800)
#
# The state: a dev chain that `receipts-load` filled with verified receipts (results, the
# latest-results index, events, accounts), so that the trie has the depth a busy chain's has. The
# node: a release node (built as `RELEASE=1 scripts/run-benchmarks.sh` builds it, in
# $CARGO_TARGET_DIR-release), since the weights are for production nodes. Writes are measured in
# batches of BATCH keys (default 1000; a full block writes tens of thousands), each key's cost
# including its share of the batch's trie-root computation; the weight is the METRIC (default
# p99) of all keys' times.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

build_release_node
node="$RELEASE_NODE_BIN"
build_all

state="$CARGO_TARGET_DIR/storage-benchmark-state"
rm -rf "$state"
load=("$@")
if [ ${#load[@]} -eq 0 ]; then
	load=(tee=12800 zk-single=0 zk-batch=0 hybrid=0)
fi
echo "== filling a dev chain at $state: receipts-load ${load[*]}"
VERITAS_NODE_BIN="$node" VERITAS_LOAD_BASE_PATH="$state" "$VERITAS_PROFILE_DIR/receipts-load" "${load[@]}"

echo "== benchmark storage"
"$node" benchmark storage \
	--dev \
	--base-path "$state" \
	--state-version 1 \
	--batch-size "${BATCH:-1000}" \
	--metric "${METRIC:-p99}" \
	--template-path scripts/benchmarks/db-weight-template.hbs \
	--weight-path runtime/src/weights/db_weights.rs \
	--json-read-path "$CARGO_TARGET_DIR/benchmarks/storage-read.json" \
	--json-write-path "$CARGO_TARGET_DIR/benchmarks/storage-write.json"
echo "weights written to runtime/src/weights/db_weights.rs; rebuild and run the tests (scripts/test.sh)"
