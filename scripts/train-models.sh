#!/usr/bin/env bash
# Trains the models Veritas ships (models/*/model.onnx, their held-out test sets) with
# scripts/models/train.py, in a virtualenv of pinned PyPI packages under ~/.cache/veritas.
# Deterministic: a second run reproduces the same files byte for byte (same package versions).
# The trained files are committed; the tests read them, nothing trains at test time.
#   scripts/train-models.sh [OUT_DIR]   (default: models/)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$HOME/.cache/veritas/venv-models"
if [ ! -x "$venv/bin/python" ]; then
	python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q scikit-learn==1.9.1 onnx==1.23.2 numpy==2.4.6 scipy==1.17.1
"$venv/bin/python" scripts/models/train.py "${1:-models}"
# The independent NumPy reference of each model's fixed-point outputs (fixed-reference.json),
# which the engine's tests must reproduce exactly.
"$venv/bin/python" scripts/models/fixed_reference.py "${1:-models}"/*/
