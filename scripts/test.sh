#!/usr/bin/env bash
# The second command: installs what is missing, builds everything once, then runs every test.
#
# One cargo profile and one package selection (`--workspace`) for every step, so that feature
# unification is identical and nothing is compiled twice: the binaries the end-to-end tests spawn
# are the ones built here. Tests run one at a time: the end-to-end tests start networks of real
# nodes, whose block timing must not compete with other tests for this machine's two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

start=$(date +%s)
build_all
echo "test.sh: build took $(( $(date +%s) - start )) s"

cargo test --locked --workspace -- --test-threads=1

# The Nitro (NSM) backend of the inference node only runs inside an AWS Nitro enclave: at least
# keep it compiling.
cargo check --locked -p veritas-inference --features nsm

# Off-the-shelf clients (@polkadot/api, polkadot-api, py-substrate-interface) against a dev node.
scripts/check-clients.sh

# The first command's whole stack (chain + inference node, models registered), one receipt
# verified by the CLI.
scripts/dev.sh --smoke
echo "test.sh: build and tests took $(( $(date +%s) - start )) s"
