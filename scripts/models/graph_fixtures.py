"""ONNX graphs outside the chain of layers the zkML side reads, for the engine's graph tests.

Each graph is written with `onnx.helper` (weights from a seeded NumPy generator, so a second run
writes the same bytes), and its expected output on a fixed input is computed by ONNX's own
reference evaluator (`onnx.reference.ReferenceEvaluator`), which shares no code with tract:
the engine's tests check that tract's typed, decluttered graph gives the same values.

    python graph_fixtures.py OUT_DIR

writes OUT_DIR/NAME.onnx and OUT_DIR/NAME.expected.json ({"input_shape", "input", "output"}) for
the good graphs, and OUT_DIR/bad-NAME.onnx for the ones a served model must refuse.
"""

import json
import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

OPSET = [helper.make_opsetid("", 17)]
ML_OPSET = [helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 1)]


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def model(nodes, inputs, outputs, initializers, opsets=OPSET):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializers)
    m = helper.make_model(graph, opset_imports=opsets, producer_name="veritas-graph-fixtures")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def residual(rng):
    """A dynamic-batch CNN: Conv -> BatchNorm -> Relu, a residual block (Conv -> Add -> Relu), two
    pooled branches (GlobalAveragePool, AveragePool over the whole image) joined by Concat, a
    flatten by a Shape -> Gather -> Concat -> Reshape chain with a Constant node, Gemm, Softmax."""
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 8, 8])
    y = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 3])
    inits = [
        const("w1", rng.normal(0, 0.4, (4, 3, 3, 3))),
        const("b1", rng.normal(0, 0.1, 4)),
        const("bn_scale", rng.uniform(0.5, 1.5, 4)),
        const("bn_bias", rng.normal(0, 0.1, 4)),
        const("bn_mean", rng.normal(0, 0.1, 4)),
        const("bn_var", rng.uniform(0.5, 1.5, 4)),
        const("w2", rng.normal(0, 0.3, (4, 4, 3, 3))),
        const("b2", rng.normal(0, 0.1, 4)),
        const("fc_w", rng.normal(0, 0.5, (3, 8))),
        const("fc_b", rng.normal(0, 0.1, 3)),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node(
            "BatchNormalization",
            ["c1", "bn_scale", "bn_bias", "bn_mean", "bn_var"],
            ["n1"],
            name="bn1",
        ),
        helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "r1"], ["sum"], name="residual"),
        helper.make_node("Relu", ["sum"], ["r2"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["r2"], ["gap"], name="gap"),
        helper.make_node("AveragePool", ["r2"], ["avg"], name="avg", kernel_shape=[8, 8]),
        helper.make_node("Concat", ["gap", "avg"], ["pooled"], name="join", axis=1),
        helper.make_node("Shape", ["pooled"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], name="batch", axis=0),
        helper.make_node(
            "Constant",
            [],
            ["minus_one"],
            name="minus_one",
            value=numpy_helper.from_array(np.array([-1], dtype=np.int64)),
        ),
        helper.make_node("Concat", ["batch", "minus_one"], ["flat_shape"], name="flat_shape", axis=0),
        helper.make_node("Reshape", ["pooled", "flat_shape"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["logits"], name="fc", transB=1),
        helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax", axis=1),
    ]
    return model(nodes, [x], [y], inits)


def binary(rng):
    """skl2onnx's `[None, n]` input; MatMul -> Add -> Tanh -> MatMul -> Add -> Sigmoid."""
    x = helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, 5])
    y = helper.make_tensor_value_info("score", TensorProto.FLOAT, [None, 1])
    inits = [
        const("w1", rng.normal(0, 0.6, (5, 6))),
        const("b1", rng.normal(0, 0.1, 6)),
        const("w2", rng.normal(0, 0.6, (6, 1))),
        const("b2", rng.normal(0, 0.1, 1)),
    ]
    nodes = [
        helper.make_node("MatMul", ["features", "w1"], ["m1"], name="m1"),
        helper.make_node("Add", ["m1", "b1"], ["a1"], name="a1"),
        helper.make_node("Tanh", ["a1"], ["t1"], name="tanh"),
        helper.make_node("MatMul", ["t1", "w2"], ["m2"], name="m2"),
        helper.make_node("Add", ["m2", "b2"], ["a2"], name="a2"),
        helper.make_node("Sigmoid", ["a2"], ["score"], name="sigmoid"),
    ]
    return model(nodes, [x], [y], inits)


def classifier(rng, zipmap):
    """What skl2onnx exports for a linear classifier: `label` (int64, ArgMax) and the
    probabilities, as a tensor or (with ZipMap) as a sequence of maps."""
    x = helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, 4])
    label = helper.make_tensor_value_info("label", TensorProto.INT64, [None])
    inits = [const("coef", rng.normal(0, 1.0, (4, 3))), const("intercept", rng.normal(0, 0.2, 3))]
    nodes = [
        helper.make_node("MatMul", ["float_input", "coef"], ["mul"], name="MatMul"),
        helper.make_node("Add", ["mul", "intercept"], ["scores"], name="Add"),
        helper.make_node("Softmax", ["scores"], ["probabilities"], name="Softmax", axis=1),
        helper.make_node("ArgMax", ["probabilities"], ["label"], name="ArgMax", axis=1, keepdims=0),
    ]
    if zipmap:
        nodes.append(
            helper.make_node(
                "ZipMap",
                ["probabilities"],
                ["output_probability"],
                name="ZipMap",
                domain="ai.onnx.ml",
                classlabels_int64s=[0, 1, 2],
            )
        )
        probs = helper.make_value_info(
            "output_probability",
            helper.make_sequence_type_proto(
                helper.make_map_type_proto(TensorProto.INT64, helper.make_tensor_type_proto(TensorProto.FLOAT, []))
            ),
        )
        return model(nodes, [x], [label, probs], inits, ML_OPSET)
    probs = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 3])
    return model(nodes, [x], [label, probs], inits)


def two_inputs(rng):
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [1, 4])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    return model([helper.make_node("Add", ["a", "b"], ["y"], name="add")], [a, b], [y], [])


def unknown_operator(rng):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    node = helper.make_node("Frobnicate", ["x"], ["y"], name="frob", domain="com.example")
    graph = helper.make_graph([node], "g", [x], [y])
    m = helper.make_model(
        graph, opset_imports=OPSET + [helper.make_opsetid("com.example", 1)], producer_name="veritas"
    )
    m.ir_version = 8
    return m


def integer_input(rng):
    x = helper.make_tensor_value_info("ids", TensorProto.INT64, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    return model([helper.make_node("Cast", ["ids"], ["y"], name="cast", to=TensorProto.FLOAT)], [x], [y], [])


def expected(m, shape, rng, output):
    """The reference evaluator's output named `output` on a seeded input of `shape`."""
    x = rng.uniform(-1.0, 1.0, shape).astype(np.float32)
    feeds = {m.graph.input[0].name: x}
    outputs = ReferenceEvaluator(m).run([output], feeds)
    return {
        "input_shape": list(shape),
        "input": [float(v) for v in x.ravel()],
        "output": [float(v) for v in np.asarray(outputs[0], dtype=np.float32).ravel()],
    }


def main(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    good = [
        ("residual", residual, (1, 3, 8, 8), "probabilities"),
        ("binary", binary, (1, 5), "score"),
        ("classifier", lambda r: classifier(r, False), (1, 4), "probabilities"),
        ("classifier-zipmap", lambda r: classifier(r, True), (1, 4), "probabilities"),
    ]
    for i, (name, make, shape, output) in enumerate(good):
        m = make(np.random.default_rng(i))
        (out / f"{name}.onnx").write_bytes(m.SerializeToString())
        reference = m if name != "classifier-zipmap" else classifier(np.random.default_rng(i), False)
        data = expected(reference, shape, np.random.default_rng(100 + i), output)
        (out / f"{name}.expected.json").write_text(json.dumps(data, indent=1) + "\n")
    for name, make in [
        ("two-inputs", two_inputs),
        ("unknown-operator", unknown_operator),
        ("integer-input", integer_input),
    ]:
        (out / f"bad-{name}.onnx").write_bytes(make(np.random.default_rng(0)).SerializeToString())


if __name__ == "__main__":
    main(sys.argv[1])
