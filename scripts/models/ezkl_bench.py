"""Proves the shipped models with EZKL (PyPI `ezkl`, Halo2/KZG) and prints its proving times.

The comparison `scripts/bench-inference.sh` prints: the same ONNX file and held-out inputs as
Veritas' own prover, with the same visibility (input and output hashed with Poseidon, weights
fixed in the circuit). The SRS is generated locally by `ezkl.gen_srs` (no download; not secure,
which does not change the proving time).

Usage: python3 ezkl_bench.py MODELS_DIR WORK_DIR PROOFS MODEL...
Prints one line per model: `ezkl MODEL logrows=N prove_s=MEDIAN proofs=PROOFS proof_bytes=B
setup_s=S`, the median over PROOFS timed proofs after one warm-up proof, each timed from the
witness to the proof on disk (keys and SRS read from disk by `ezkl.prove`).
"""

import asyncio
import json
import os
import statistics
import sys
import time

import ezkl


def call(f, *args, **kwargs):
    """Calls an ezkl function, awaiting it when this ezkl version made it asynchronous."""
    result = f(*args, **kwargs)
    if asyncio.iscoroutine(result) or hasattr(result, "__await__"):
        async def wait():
            return await result

        result = asyncio.run(wait())
    return result


def bench(models_dir, work, proofs, name):
    model = os.path.join(models_dir, name, "model.onnx")
    with open(os.path.join(models_dir, name, "test-set.json")) as f:
        test_set = json.load(f)
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    p = lambda f: os.path.join(d, f)  # noqa: E731
    data = p("input.json")
    with open(data, "w") as f:
        json.dump({"input_data": [test_set["inputs"][0]]}, f)

    args = ezkl.PyRunArgs()
    args.input_visibility = "hashed"
    args.output_visibility = "hashed"
    args.param_visibility = "fixed"
    t0 = time.monotonic()
    assert call(ezkl.gen_settings, model, p("settings.json"), py_run_args=args)
    call(ezkl.calibrate_settings, data, model, p("settings.json"), "resources")
    assert call(ezkl.compile_circuit, model, p("model.compiled"), p("settings.json"))
    with open(p("settings.json")) as f:
        logrows = json.load(f)["run_args"]["logrows"]
    srs = p(f"kzg{logrows}.srs")
    if not os.path.exists(srs):
        call(ezkl.gen_srs, srs, logrows)
    assert call(ezkl.setup, p("model.compiled"), p("vk.key"), p("pk.key"), srs_path=srs)
    setup_s = time.monotonic() - t0

    # One warm-up proof, then `proofs` timed ones. Timed like Veritas' `zk_disk`: the witness
    # (EZKL's gen_witness: Veritas synthesizes its witness inside proving) and the proof, with
    # the proving key and SRS read from disk and the proof written to disk by `ezkl.prove`.
    times = []
    for i in range(proofs + 1):
        with open(data, "w") as f:
            json.dump({"input_data": [test_set["inputs"][i % len(test_set["inputs"])]]}, f)
        t = time.monotonic()
        call(ezkl.gen_witness, data, p("model.compiled"), p("witness.json"), p("vk.key"), srs)
        call(ezkl.prove, p("witness.json"), p("model.compiled"), p("pk.key"), p("proof.json"), srs)
        if i > 0:
            times.append(time.monotonic() - t)
        assert call(ezkl.verify, p("proof.json"), p("settings.json"), p("vk.key"), srs)
    with open(p("proof.json")) as f:
        proof = json.load(f)
    proof_bytes = len(bytes.fromhex(proof["hex_proof"][2:])) if "hex_proof" in proof else -1
    print(
        f"ezkl {name} logrows={logrows} prove_s={statistics.median(times):.3f} proofs={proofs} "
        f"proof_bytes={proof_bytes} setup_s={setup_s:.1f}",
        flush=True,
    )


def main():
    models_dir, work, proofs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for name in sys.argv[4:]:
        bench(models_dir, work, proofs, name)


if __name__ == "__main__":
    main()
