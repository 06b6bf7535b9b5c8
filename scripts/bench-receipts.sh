#!/usr/bin/env bash
# Load benchmark: verified receipts per block on a dev chain, by evidence type (TEE; ZK one by
# one; ZK in batches of 32; hybrid TEE → ZK → TEE), with the block weight used. Not a test: it
# prints what it measured.
#
#   scripts/bench-receipts.sh [SCENARIO=COUNT]...    e.g. tee=6400 zk-batch=1600
#
# RELEASE=1 runs the chain on the release node (see scripts/env.sh, build_release_node), the
# node the runtime's weights are measured with; by default it runs on the dev-profile node of
# build_all, which executes blocks several times slower than those weights assume
# (scripts/bench-node-profiles.sh), so that its blocks may end at the block-production deadline
# before they reach the weight limit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
build_all
if [ "${RELEASE:-0}" = 1 ]; then
	build_release_node
	export VERITAS_NODE_BIN="$RELEASE_NODE_BIN"
fi
"$VERITAS_PROFILE_DIR/receipts-load" "$@"
