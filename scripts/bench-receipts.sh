#!/usr/bin/env bash
# Load benchmark: verified receipts per block on a dev chain, by evidence type (TEE; ZK one by
# one; ZK in batches of 32; hybrid TEE → ZK → TEE), with the block weight used. Not a test: it
# prints what it measured.
#
#   scripts/bench-receipts.sh [SCENARIO=COUNT]...    e.g. tee=6400 zk-batch=1600
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
build_all
"$VERITAS_PROFILE_DIR/receipts-load" "$@"
