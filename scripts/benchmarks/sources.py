#!/usr/bin/env python3
"""Fingerprints the sources a pallet's benchmarks measure: the pallet itself, the crates its calls
run (verifiers, primitives, host functions) and the runtime's configuration of it.

    sources.py PALLET     prints runtime/src/weights/<PALLET>.sources.json's content

run-benchmarks.sh writes it next to the measurements. The runtime's weight tests
(runtime/src/weights/freshness.rs) walk the same roots with the same rules and fail, naming the
pallet and the files, when any of them changed after the measurement: the declared weights would
then cover code that was never measured.

Counted: every `.rs` file under a root directory (or the root file itself), except code compiled
only for tests (the names in EXCLUDED_FILES, files starting with `tests_`, directories named
`tests`). Paths are relative to the repository, with `/`; the hash is SHA-256 of the file's code
lines: the file's bytes without the lines whose first non-blank characters are `//` (comments
and doc comments, which compile to nothing a benchmark measures), so that mending a comment does
not call for new measurements. A comment after code on the same line still counts.
"""
import hashlib
import json
import os
import re
import sys

# What each pallet's benchmarks run, besides the benchmark runner itself.
ROOTS = {
    "pallet_verifier_registry": [
        "pallets/verifier-registry/src",
        "verifiers/groth16/src",
        "primitives/verifier-traits/src",
        "primitives/crypto-host/src",
        "runtime/src/configs/verification.rs",
    ],
    "pallet_enclave_registry": [
        "pallets/enclave-registry/src",
        "verifiers/tee-nitro/src",
        "primitives/primitives/src",
        "primitives/crypto-host/src",
        "runtime/src/configs/attestation.rs",
    ],
    "pallet_models": [
        "pallets/models/src",
        "primitives/primitives/src",
        "runtime/src/configs/inference.rs",
        "runtime/src/impls.rs",
    ],
    "pallet_settlement": [
        "pallets/settlement/src",
        "runtime/src/configs/inference.rs",
    ],
    "pallet_inference_receipts": [
        "pallets/inference-receipts/src",
        "pallets/models/src",
        "pallets/enclave-registry/src",
        "pallets/verifier-registry/src",
        "pallets/settlement/src",
        "verifiers/groth16/src",
        "verifiers/tee-nitro/src",
        "primitives/primitives/src",
        "primitives/verifier-traits/src",
        "primitives/crypto-host/src",
        "runtime/src/configs/inference.rs",
        "runtime/src/impls.rs",
    ],
}

# Modules compiled only for tests (`#[cfg(test)]`), and the pallets' default `WeightInfo`.
EXCLUDED_FILES = [
    "mock.rs",
    "negative_corpus.rs",
    "test_vectors.rs",
    "tests.rs",
    "verifier_should.rs",
    "weights.rs",
]


def code_lines(data):
    """The file's bytes without its whole-line `//` comments (each line keeps its newline)."""
    lines = re.findall(rb"[^\n]*\n|[^\n]+$", data)
    return b"".join(line for line in lines if not line.lstrip().startswith(b"//"))


def counted(name):
    return name.endswith(".rs") and name not in EXCLUDED_FILES and not name.startswith("tests_")


def files_of(root):
    if os.path.isfile(root):
        return [root]
    out = []
    for directory, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "tests"]
        out += [os.path.join(directory, n) for n in names if counted(n)]
    return sorted(out)


def main():
    pallet = sys.argv[1]
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    roots = ROOTS[pallet]
    files = {}
    for root in roots:
        for path in files_of(root):
            files[path.replace(os.sep, "/")] = hashlib.sha256(code_lines(open(path, "rb").read())).hexdigest()
    out = {
        "pallet": pallet,
        "roots": roots,
        "excluded_files": EXCLUDED_FILES,
        "files": dict(sorted(files.items())),
    }
    print(json.dumps(out, indent=1))


main()
