#!/usr/bin/env bash
# Regenerates primitives/primitives/resources/commitment_vectors.json: tensor commitments computed by
# a circom circuit (scripts/commitments/tensor_commit.circom, circomlib's Poseidon(4)), compiled
# by circom2 and evaluated by snarkjs, with the pinned toolchain of scripts/groth16-fixtures (npm
# registry only). The Rust tests of veritas-primitives must reproduce every vector.
# The output is deterministic: CHECK=1 fails if the committed file differs from a fresh run.
set -euo pipefail
cd "$(dirname "$0")/.."

toolchain=scripts/groth16-fixtures
out=primitives/primitives/resources/commitment_vectors.json
(cd "$toolchain" && npm ci --no-audit --no-fund --loglevel=error)
if [ "${CHECK:-0}" = 1 ]; then
	fresh=$(mktemp)
	trap 'rm -f "$fresh"' EXIT
	node scripts/commitments/generate.mjs "$toolchain" "$fresh"
	diff -u "$out" "$fresh" && echo "gen-commitment-vectors: $out is up to date"
else
	mkdir -p "$(dirname "$out")"
	node scripts/commitments/generate.mjs "$toolchain" "$out"
fi
