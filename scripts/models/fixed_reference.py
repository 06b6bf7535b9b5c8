#!/usr/bin/env python3
"""An independent reference of the fixed-point semantics Veritas proves, for the shipped models.

It shares no code with `veritas-engine` (Rust): it reads the ONNX graph with the `onnx` package,
quantizes the weights itself and evaluates every layer with NumPy integer arithmetic, in the
order of the float model (linear → rescale → ReLU → max pool, where the engine pools before it
rescales: the two orders agree only if the engine's commutation argument holds). For every input
of a model's held-out set it writes the output of every segment (one segment per layer) to
`<model dir>/fixed-reference.json`; `inference/engine/tests/models.rs` asserts that the engine
gives exactly these values.

The semantics, at `bits` fractional bits (scale S = 2^bits, the manifest's `scale`):
- an input value is a float32; it becomes round(x·S), rounding half away from zero;
- a weight becomes round(w·S), a bias round(b·S²);
- a linear layer (Gemm with transB either way, MatMul + Add, Conv with explicit pads and
  strides) sums in 64-bit integers; every sum must fit an int32 (else the model is refused);
- rescale: floor((v + 2^(bits-1)) / 2^bits);
- ReLU: max(v, 0); MaxPool: the largest value of each window (no padding);
- Flatten and the layer boundaries keep the row-major order (channel, row, column).

    fixed_reference.py MODEL_DIR...      (needs numpy and onnx: scripts/train-models.sh's venv)
"""
import hashlib
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def quantize(values, bits):
    """round(v · 2^bits), half away from zero, of float32 values (exact in float64: a float32
    times a power of two plus one half needs far fewer than 53 bits at these magnitudes)."""
    scaled = np.asarray(values, dtype=np.float32).astype(np.float64) * float(1 << bits)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    if not np.all(np.isfinite(rounded)) or np.any(np.abs(rounded) > 2**31 - 1):
        raise ValueError("a value does not fit an int32 at this scale")
    return rounded.astype(np.int64)


def fits_int32(v, what):
    if np.any(v > 2**31 - 1) or np.any(v < -(2**31)):
        raise ValueError(f"{what}: a sum does not fit an int32")
    return v


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


class Graph:
    def __init__(self, path):
        model = onnx.load(path)
        self.graph = model.graph
        self.constants = {t.name: numpy_helper.to_array(t) for t in self.graph.initializer}
        dims = self.graph.input[0].type.tensor_type.shape.dim
        self.input_shape = [d.dim_value for d in dims][1:]

    def layers(self):
        """The nodes grouped into layers: a linear node and what follows it up to the next one."""
        groups = []
        for node in self.graph.node:
            if node.op_type in ("Gemm", "MatMul", "Conv"):
                groups.append([node])
            elif groups:
                groups[-1].append(node)
            else:
                raise ValueError(f"{node.op_type} before any linear node")
        return groups


def linear(x, node, following, consts, bits):
    """The integer sum of the layer's linear node (and an Add of a constant after a MatMul)."""
    if node.op_type == "Gemm":
        assert attr(node, "alpha", 1.0) == 1.0 and attr(node, "beta", 1.0) == 1.0
        assert attr(node, "transA", 0) == 0
        w = quantize(consts[node.input[1]], bits)
        if attr(node, "transB", 0) == 0:
            w = w.T
        b = quantize(consts[node.input[2]], 2 * bits)
        return w @ x.reshape(-1) + b
    if node.op_type == "MatMul":
        add = following.pop(0)
        assert add.op_type == "Add", "a MatMul must be followed by an Add of a constant"
        w = quantize(consts[node.input[1]], bits)
        b = quantize(consts[add.input[1]], 2 * bits)
        return x.reshape(-1) @ w + b
    # Conv: the definition, window by window.
    assert attr(node, "group", 1) == 1
    assert all(d == 1 for d in attr(node, "dilations", [1, 1]))
    w = quantize(consts[node.input[1]], bits)  # [out, in, kh, kw]
    b = quantize(consts[node.input[2]], 2 * bits) if len(node.input) > 2 else 0
    top, left, bottom, right = attr(node, "pads", [0, 0, 0, 0])
    sh, sw = attr(node, "strides", [1, 1])
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right)))
    out_c, _, kh, kw = w.shape
    h = (padded.shape[1] - kh) // sh + 1
    wd = (padded.shape[2] - kw) // sw + 1
    y = np.zeros((out_c, h, wd), dtype=np.int64)
    for o in range(out_c):
        for i in range(h):
            for j in range(wd):
                window = padded[:, i * sh:i * sh + kh, j * sw:j * sw + kw]
                y[o, i, j] = int(np.sum(window * w[o])) + (b[o] if np.ndim(b) else 0)
    return y


def max_pool(x, node):
    kh, kw = attr(node, "kernel_shape")
    sh, sw = attr(node, "strides", [kh, kw])
    assert all(p == 0 for p in attr(node, "pads", [0, 0, 0, 0])) and attr(node, "ceil_mode", 0) == 0
    c, h, w = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    y = np.empty((c, oh, ow), dtype=np.int64)
    for i in range(oh):
        for j in range(ow):
            y[:, i, j] = x[:, i * sh:i * sh + kh, j * sw:j * sw + kw].reshape(c, -1).max(axis=1)
    return y


def run(graph, x, bits):
    """Every layer's output (flattened) for the quantized input `x`."""
    shift = bits
    outputs = []
    for group in graph.layers():
        node, following = group[0], list(group[1:])
        y = fits_int32(linear(x, node, following, graph.constants, bits), node.name)
        y = (y + (1 << (shift - 1))) >> shift  # arithmetic shift: floor division
        for op in following:
            if op.op_type == "Relu":
                y = np.maximum(y, 0)
            elif op.op_type == "MaxPool":
                y = max_pool(y, op)
            elif op.op_type == "Flatten":
                assert attr(op, "axis", 1) == 1
                y = y.reshape(-1)
            else:
                raise ValueError(f"unsupported node {op.op_type}")
        outputs.append(y.reshape(-1))
        x = y
    return outputs


def digest(values):
    return hashlib.sha256(np.asarray(values, dtype="<i4").tobytes()).hexdigest()


def main():
    for model_dir in sys.argv[1:]:
        manifest = json.load(open(os.path.join(model_dir, "manifest.json")))
        test_set = json.load(open(os.path.join(model_dir, "test-set.json")))
        bits = int(math.log2(manifest["scale"]))
        assert 1 << bits == manifest["scale"]
        graph = Graph(os.path.join(model_dir, "model.onnx"))
        outputs, segment_sha256 = [], []
        for values in test_set["inputs"]:
            x = quantize(values, bits).reshape(graph.input_shape)
            layers = run(graph, x, bits)
            outputs.append([int(v) for v in layers[-1]])
            segment_sha256.append([digest(layer) for layer in layers])
        out = {
            "model": test_set["model"],
            "bits": bits,
            "generated_by": "scripts/models/fixed_reference.py (NumPy "
            + np.__version__ + ", onnx " + onnx.__version__ + ")",
            "outputs": outputs,
            "segment_sha256": segment_sha256,
        }
        path = os.path.join(model_dir, "fixed-reference.json")
        with open(path, "w") as f:
            f.write("{\n")
            f.write(f' "model": {json.dumps(out["model"])},\n "bits": {bits},\n')
            f.write(f' "generated_by": {json.dumps(out["generated_by"])},\n')
            f.write(' "segment_sha256_format": "SHA-256 of each segment\'s output as little-endian int32",\n')
            f.write(' "outputs": [\n  ' + ",\n  ".join(json.dumps(o) for o in outputs) + "\n ],\n")
            f.write(' "segment_sha256": [\n  '
                    + ",\n  ".join(json.dumps(s) for s in segment_sha256) + "\n ]\n}\n")
        print(f"{path}: {len(outputs)} inputs, {len(segment_sha256[0])} segments each")


main()
