"""Trains the models Veritas ships and exports them as ONNX, with their held-out test sets.

Nothing is downloaded: the digits come with scikit-learn (`sklearn.datasets.load_digits`, the UCI
optical digits test set, 1,797 8x8 images) and the text model learns from the Zen of Python
(`import this`) and the docstrings of a few standard-library modules, which ship with CPython.

The multilayer perceptrons (`MLPClassifier`, ReLU hidden layers) are exported as
`Gemm (transB = 1) -> Relu -> ... -> Gemm` from input `input` [1, n] to output `logits` [1, k]; the
convolutional network `digits-cnn` (trained by `cnn.py`, NumPy) as
`Conv -> Relu -> MaxPool -> Flatten -> Gemm` from `input` [1, 1, 8, 8]. These are the layers
`veritas-engine` quantizes and `veritas-prover` proves. Each model directory gets:

- `model.onnx`;
- `test-set.json`: the held-out inputs (floats, as the model takes them), their labels, the
  float model's accuracy, and the float logits of the first inputs (a check on the export);
- `text.json` (text model only): its alphabet and context length.

Usage: python3 train.py OUT_DIR   (scripts/train-models.sh runs it in a pinned virtualenv)
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

import cnn

SEED = 0
OPSET = 13
LOGIT_CHECKS = 8


def forward(mlp, x):
    """The float logits, computed layer by layer as the ONNX graph does."""
    a = x
    for i, (w, b) in enumerate(zip(mlp.coefs_, mlp.intercepts_)):
        a = a @ w + b
        if i + 1 < len(mlp.coefs_):
            a = np.maximum(a, 0.0)
    return a


def export(mlp, name, inputs, path):
    """Writes `mlp` as Gemm/Relu ONNX: weights stored out x in (transB = 1), float32."""
    nodes, inits = [], []
    prev = "input"
    last = len(mlp.coefs_) - 1
    for i, (w, b) in enumerate(zip(mlp.coefs_, mlp.intercepts_)):
        wn, bn = f"layer{i}.weight", f"layer{i}.bias"
        inits.append(numpy_helper.from_array(w.T.astype(np.float32), wn))
        inits.append(numpy_helper.from_array(b.astype(np.float32), bn))
        out = "logits" if i == last else f"gemm{i}"
        nodes.append(helper.make_node("Gemm", [prev, wn, bn], [out], name=f"gemm{i}", transB=1))
        if i < last:
            nodes.append(helper.make_node("Relu", [out], [f"relu{i}"], name=f"relu{i}"))
            out = f"relu{i}"
        prev = out
    outputs = mlp.coefs_[-1].shape[1]
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, inputs])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, outputs])],
        inits,
    )
    model = helper.make_model(
        graph, producer_name="veritas scripts/models/train.py", opset_imports=[helper.make_opsetid("", OPSET)]
    )
    save_model(model, path)


def save_model(model, path):
    """Checks and writes an ONNX model (IR version 8, so that older runtimes read it)."""
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def save(out_dir, name, mlp, x_test, y_test, extra=None):
    """Exports the MLP `mlp` and its held-out set."""
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    export(mlp, name, x_test.shape[1], os.path.join(d, "model.onnx"))
    sizes = [mlp.coefs_[0].shape[0]] + [w.shape[1] for w in mlp.coefs_]
    write_test_set(d, name, forward(mlp, x_test), x_test, y_test, f"layers {sizes}", extra)


def write_test_set(d, name, logits, x_test, y_test, layers, extra=None):
    """`test-set.json` (and `text.json` when `extra` is given) of the model in directory `d`."""
    accuracy = float(np.mean(np.argmax(logits, axis=1) == y_test))
    test_set = {
        "model": name,
        "inputs": [[round(float(v), 6) for v in row] for row in x_test],
        "labels": [int(v) for v in y_test],
        "float_accuracy": round(accuracy, 6),
        "float_logits": [[round(float(v), 5) for v in row] for row in logits[:LOGIT_CHECKS]],
    }
    with open(os.path.join(d, "test-set.json"), "w") as f:
        json.dump(test_set, f, separators=(",", ":"))
        f.write("\n")
    if extra is not None:
        with open(os.path.join(d, "text.json"), "w") as f:
            json.dump(extra, f, indent=1)
            f.write("\n")
    print(f"{name}: {layers}, held-out accuracy {accuracy:.4f} on {len(y_test)} inputs")


def digits(out_dir):
    data = load_digits()
    x = data.data.astype(np.float64) / 16.0
    x_train, x_test, y_train, y_test = train_test_split(
        x, data.target, test_size=0.25, random_state=SEED, stratify=data.target
    )
    for name, hidden in [("digits-mlp", (32,)), ("digits-mlp-large", (128, 64))]:
        mlp = MLPClassifier(hidden_layer_sizes=hidden, max_iter=600, random_state=SEED, alpha=1e-3)
        mlp.fit(x_train, y_train)
        save(out_dir, name, mlp, x_test, y_test)
    digits_cnn(out_dir, x_train, x_test, y_train, y_test)


CNN_CHANNELS = 8


def digits_cnn(out_dir, x_train, x_test, y_train, y_test):
    """`digits-cnn`: Conv(1 -> 8, 3x3, pad 1) -> Relu -> MaxPool(2x2) -> Flatten -> Gemm(128 -> 10),
    trained by `cnn.py` on the same split as the MLPs. The ONNX input is the image, [1, 1, 8, 8];
    the test set keeps its 64 pixels flat, row by row (the engine flattens tensors row-major)."""
    net = cnn.train(x_train, y_train, CNN_CHANNELS, 10, SEED)
    name = "digits-cnn"
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    k = cnn.KERNEL
    inits = [
        numpy_helper.from_array(net.conv_w.reshape(CNN_CHANNELS, 1, k, k).astype(np.float32), "conv.weight"),
        numpy_helper.from_array(net.conv_b.astype(np.float32), "conv.bias"),
        numpy_helper.from_array(net.dense_w.astype(np.float32), "dense.weight"),
        numpy_helper.from_array(net.dense_b.astype(np.float32), "dense.bias"),
    ]
    nodes = [
        helper.make_node("Conv", ["input", "conv.weight", "conv.bias"], ["conv"], name="conv",
                         kernel_shape=[k, k], pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["conv"], ["relu"], name="relu"),
        helper.make_node("MaxPool", ["relu"], ["pool"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["pool"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "dense.weight", "dense.bias"], ["logits"], name="dense", transB=1),
    ]
    side = cnn.SIDE
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, side, side])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])],
        inits,
    )
    model = helper.make_model(
        graph, producer_name="veritas scripts/models/train.py", opset_imports=[helper.make_opsetid("", OPSET)]
    )
    save_model(model, os.path.join(d, "model.onnx"))
    layers = f"conv 3x3 1 -> {CNN_CHANNELS} (ReLU, max pool 2x2) -> {CNN_CHANNELS * 16} -> 10"
    write_test_set(d, name, net.forward(x_test), x_test, y_test, layers)


ALPHABET = "abcdefghijklmnopqrstuvwxyz .,'-!"
CONTEXT = 3


def corpus():
    """The Zen of Python and a few standard-library docstrings, reduced to ALPHABET."""
    import codecs
    import contextlib
    import io
    import textwrap
    import json as json_module
    import string

    with contextlib.redirect_stdout(io.StringIO()):
        import this  # its text is rot13 in `this.s`; importing it prints the Zen once

    zen = codecs.decode(this.s, "rot13")
    text = " ".join([zen, textwrap.__doc__ or "", json_module.__doc__ or "", string.__doc__ or ""])
    text = text.lower()
    kept = "".join(c if c in ALPHABET else " " for c in text)
    return " ".join(kept.split())


def text(out_dir):
    t = corpus()
    index = {c: i for i, c in enumerate(ALPHABET)}
    n = len(ALPHABET)
    xs, ys = [], []
    for i in range(len(t) - CONTEXT):
        row = np.zeros(CONTEXT * n)
        for k, c in enumerate(t[i : i + CONTEXT]):
            row[k * n + index[c]] = 1.0
        xs.append(row)
        ys.append(index[t[i + CONTEXT]])
    x, y = np.array(xs), np.array(ys)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.1, random_state=SEED)
    mlp = MLPClassifier(hidden_layer_sizes=(64,), max_iter=300, random_state=SEED, alpha=1e-4)
    mlp.fit(x_train, y_train)
    extra = {"alphabet": ALPHABET, "context": CONTEXT, "corpus_chars": len(t)}
    save(out_dir, "text-char-mlp", mlp, x_test, y_test, extra)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "models"
    import warnings

    warnings.filterwarnings("ignore")
    digits(out_dir)
    text(out_dir)


if __name__ == "__main__":
    main()
