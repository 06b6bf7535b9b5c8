#!/usr/bin/env bash
# Inference node benchmark (not a test), in one run on this machine, for each shipped model:
#   - TEE-mode latency (run + commitments + enclave signatures) against plain tract inference;
#   - ZK proving time (Groth16, veritas-prover) against plain inference;
#   - Veritas' proving time against EZKL's (PyPI `ezkl`) on the same ONNX file and inputs;
#   - constraints per segment, proof and key sizes.
#
#   scripts/bench-inference.sh [--inputs N] [--proofs M]     (defaults 200 and 3)
# EZKL_MODELS (default: all three) limits the models EZKL proves; EZKL=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
build_all
out="$(mktemp)"
"$VERITAS_PROFILE_DIR/inference-bench" "$@" | tee "$out"
[ "${EZKL:-1}" = 0 ] && exit 0

venv="$HOME/.cache/veritas/venv-ezkl"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q ezkl==23.0.5 onnx==1.23.2
proofs=3
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	[ "${args[$i]}" = "--proofs" ] && proofs="${args[$((i + 1))]}"
done
work="$HOME/.cache/veritas/ezkl-work"
# shellcheck disable=SC2086
"$venv/bin/python" scripts/models/ezkl_bench.py models "$work" "$proofs" \
	${EZKL_MODELS:-digits-mlp digits-mlp-large text-char-mlp} 2>"$work.log" | grep '^ezkl ' | tee -a "$out"
python3 - "$out" <<'PY'
import re, sys
ours, theirs = {}, {}
for line in open(sys.argv[1]):
    if m := re.match(r"veritas (\S+) zk_s=([\d.]+)", line):
        ours[m[1]] = float(m[2])
    if m := re.match(r"ezkl (\S+) logrows=\d+ prove_s=([\d.]+)", line):
        theirs[m[1]] = float(m[2])
print("proving time, EZKL / Veritas (same model, same machine, same run):")
for name, t in theirs.items():
    if name in ours:
        print(f"  {name:<17} EZKL {t:8.3f} s   Veritas {ours[name]:8.3f} s   EZKL/Veritas {t / ours[name]:6.1f}x")
PY
