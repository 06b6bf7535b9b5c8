#!/usr/bin/env bash
# Inference node benchmark (not a test), in one run on this machine, for each shipped model:
#   - TEE-mode latency (run + commitments + enclave signatures) against plain tract inference;
#   - ZK proving time (Groth16, veritas-prover) against plain inference;
#   - Veritas' proving time against EZKL's (PyPI `ezkl`) on the same ONNX file and inputs;
#   - constraints per segment, proof and key sizes.
#
#   scripts/bench-inference.sh [--inputs N] [--proofs M]     (defaults 200 and 7)
# EZKL_MODELS (default: all four) limits the models EZKL proves; EZKL=0 skips it.
# Both provers are timed the same way for the comparison: one warm-up proof, then M proofs, each
# from the witness to the proof written to disk, the proving keys (and EZKL's SRS) read from
# disk inside the timed region; Veritas' in-memory time is printed too. Every figure of the
# table comes from this one run; the date is printed first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
build_all
out="$(mktemp)"
echo "bench-inference.sh: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD), $(nproc) cores" | tee "$out"
"$VERITAS_PROFILE_DIR/inference-bench" "$@" | tee -a "$out"
[ "${EZKL:-1}" = 0 ] && exit 0

venv="$HOME/.cache/veritas/venv-ezkl"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q ezkl==23.0.5 onnx==1.23.2
proofs=7
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	[ "${args[$i]}" = "--proofs" ] && proofs="${args[$((i + 1))]}"
done
work="$HOME/.cache/veritas/ezkl-work"
# shellcheck disable=SC2086
"$venv/bin/python" scripts/models/ezkl_bench.py models "$work" "$proofs" \
	${EZKL_MODELS:-digits-mlp digits-mlp-large text-char-mlp digits-cnn} 2>"$work.log" | grep '^ezkl ' | tee -a "$out"
python3 - "$out" <<'PY'
import re, sys
ours, theirs = {}, {}
for line in open(sys.argv[1]):
    if m := re.match(r"veritas (\S+) zk_s=([\d.]+) zk_disk_s=([\d.]+)", line):
        ours[m[1]] = (float(m[2]), float(m[3]))
    if m := re.match(r"ezkl (\S+) logrows=(\d+) prove_s=([\d.]+)", line):
        theirs[m[1]] = (int(m[2]), float(m[3]))
print("proving time, witness to proof on disk, keys read from disk (same model, machine, run):")
for name, (logrows, t) in theirs.items():
    if name in ours:
        memory, disk = ours[name]
        print(f"  {name:<17} EZKL {t:8.3f} s (logrows {logrows})   Veritas {disk:8.3f} s "
              f"(keys in memory {memory:.3f} s)   EZKL/Veritas {t / disk:6.1f}x")
PY
