#!/usr/bin/env bash
# The first command: installs what is missing, builds, and runs a development chain (one
# validator, Alice) on its embedded defaults. Extra arguments go to veritas-node.
#   JSON-RPC: ws://127.0.0.1:9944   Prometheus: http://127.0.0.1:9615/metrics
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
build_all
exec "$VERITAS_NODE_BIN" --dev "$@"
