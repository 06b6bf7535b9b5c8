#!/usr/bin/env bash
# The second command: installs what is missing, builds everything once (one cargo profile for
# binaries, unit tests and end-to-end tests), then runs every test: unit tests of every crate,
# then the end-to-end tests against real veritas-node processes (one at a time, as they start
# networks of nodes).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

start=$(date +%s)
cargo build --locked --workspace --bins --tests
echo "test.sh: build took $(( $(date +%s) - start )) s"

cargo test --locked --workspace --exclude veritas-e2e
cargo test --locked -p veritas-e2e -- --test-threads=1 --nocapture
echo "test.sh: all tests passed in $(( $(date +%s) - start )) s"
