#!/usr/bin/env python3
"""Writes the negative corpus next to this file from the real fixtures one folder up, and
MANIFEST.tsv naming, for each file, the check it goes through and the exact error expected
(Rust `Debug` form of `Groth16Error`). Deterministic; run from anywhere:
    python3 generate.py
"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
UP = os.path.dirname(HERE)
Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583
R = 21888242871839275222246405745257275088548364400416034343698204186575808495617

def read(name, mode="rb"):
    with open(os.path.join(UP, name), mode) as f:
        return f.read()

def sp1_raw_proof(wrapper):
    """raw_proof (324 bytes) out of a bincode SP1ProofWithPublicValues v3.0.0, Groth16 variant."""
    pos = 4
    def field():
        nonlocal pos
        n = int.from_bytes(wrapper[pos:pos + 8], "little"); pos += 8
        out = wrapper[pos:pos + n]; pos += n
        return out
    field(); field()          # public inputs (decimal strings)
    field()                   # encoded_proof (hex)
    return bytes.fromhex(field().decode())

VK = read("sp1-v3.0.0__groth16_vk.bin")
VK_JSON = json.loads(read("sp1-v3.0.0__groth16_vk.snarkjs.json", "r"))
PROOF = sp1_raw_proof(read("sp1-v3.0.0__fibonacci-groth16.bin"))
PROOF_JSON = json.loads(read("sp1-v3.0.0__fibonacci-groth16.proof.snarkjs.json", "r"))
INPUTS = json.loads(read("sp1-v3.0.0__fibonacci-groth16.public.snarkjs.json", "r"))
assert len(VK) == 396 and len(PROOF) == 324

entries = []
def out(name, data, check, expected):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    entries.append((name, check, expected))

def js(v):
    return json.dumps(v, indent=1)

def patch(b, at, new):
    b = bytearray(b); b[at:at + len(new)] = new; return bytes(b)

# gnark binary key
out("gnark_vk_truncated.bin", VK[:-1], "gnark-vk", "WrongLength { expected: 396, actual: 395 }")
out("gnark_vk_oversized.bin", VK + b"\0", "gnark-vk", "WrongLength { expected: 396, actual: 397 }")
out("gnark_vk_commitment_keys.bin", patch(VK, 395, b"\x01"), "gnark-vk", "UnsupportedCommitments")
out("gnark_vk_committed_public.bin", patch(VK, 391, b"\x01"), "gnark-vk", "UnsupportedCommitments")
out("gnark_vk_too_many_inputs.bin", patch(VK, 288, (66).to_bytes(4, "big")), "gnark-vk", "TooManyInputs")
out("gnark_vk_alpha_identity.bin", patch(VK, 0, b"\x40" + b"\0" * 31), "gnark-vk", "IdentityPoint(VerifyingKey)")
out("gnark_vk_alpha_x_ge_q.bin", patch(VK, 0, bytes([VK[0] | 0x3f]) + b"\xff" * 31), "gnark-vk",
    "CoordinateNotCanonical(VerifyingKey)")
# α.x replaced by the smallest x ≥ 1 for which x³ + 3 is not a square: no point has it.
x = next(x for x in range(1, 100) if pow(x ** 3 + 3, (Q - 1) // 2, Q) == Q - 1)
out("gnark_vk_alpha_not_on_curve.bin", patch(VK, 0, bytes([VK[0] & 0xc0]) + x.to_bytes(32, "big")[1:]),
    "gnark-vk", "PointNotOnCurve(VerifyingKey)")
out("gnark_vk_uncompressed_flag.bin", patch(VK, 0, bytes([VK[0] & 0x3f])), "gnark-vk",
    "MalformedBytes(VerifyingKey)")

# gnark raw proof
out("gnark_proof_truncated.bin", PROOF[:-1], "gnark-proof", "WrongLength { expected: 324, actual: 323 }")
out("gnark_proof_oversized.bin", PROOF + b"\0", "gnark-proof", "WrongLength { expected: 324, actual: 325 }")
out("gnark_proof_a_byte_flip.bin", patch(PROOF, 40, bytes([PROOF[40] ^ 1])), "gnark-proof",
    "PointNotOnCurve(Proof)")
out("gnark_proof_b_byte_flip.bin", patch(PROOF, 100, bytes([PROOF[100] ^ 1])), "gnark-proof",
    "PointNotOnCurve(Proof)")
out("gnark_proof_c_y_ge_q.bin", patch(PROOF, 224, (Q + 1).to_bytes(32, "big")), "gnark-proof",
    "CoordinateNotCanonical(Proof)")
out("gnark_proof_pok_nonzero.bin", patch(PROOF, 300, b"\x01"), "gnark-proof", "MalformedBytes(Proof)")
out("gnark_proof_a_identity.bin", patch(PROOF, 0, b"\0" * 64), "gnark-proof", "IdentityPoint(Proof)")
ay = int.from_bytes(PROOF[32:64], "big")
out("gnark_proof_a_negated.bin", patch(PROOF, 32, (Q - ay).to_bytes(32, "big")), "verify-gnark-proof",
    "InvalidProof")
out("gnark_proof_a_c_swapped.bin", PROOF[192:256] + PROOF[64:192] + PROOF[0:64] + PROOF[256:],
    "verify-gnark-proof", "InvalidProof")

# public inputs (verified against the fibonacci proof under the SP1 v3.0.0 key)
x0 = int(INPUTS[0])
out("inputs_equal_to_r.json", js([str(R), INPUTS[1]]), "verify-inputs", "ScalarNotCanonical")
out("inputs_plus_r.json", js([str(x0 + R), INPUTS[1]]), "verify-inputs", "ScalarNotCanonical")
out("inputs_hex_plus_r.json", js([hex(x0 + R), INPUTS[1]]), "verify-inputs", "ScalarNotCanonical")
out("inputs_wrong_value.json", js([str(x0 + 1), INPUTS[1]]), "verify-inputs", "InvalidProof")
out("inputs_one_missing.json", js(INPUTS[:1]), "verify-inputs", "WrongInputCount { expected: 2, actual: 1 }")
out("inputs_one_extra.json", js(INPUTS + ["0"]), "verify-inputs", "WrongInputCount { expected: 2, actual: 3 }")
out("inputs_too_many.json", js(["1"] * 65), "verify-inputs", "TooManyInputs")
out("inputs_negative.json", js(["-1", INPUTS[1]]), "verify-inputs", "ScalarNotCanonical")
out("inputs_numbers_not_strings.json", "[1, 2]", "verify-inputs", "MalformedJson(Inputs)")

# snarkjs JSON
p = json.loads(json.dumps(PROOF_JSON)); p["pi_a"][1] = "1"
out("snarkjs_proof_a_off_curve.json", js(p), "snarkjs-proof", "PointNotOnCurve(Proof)")
# B replaced by a point on the twist outside the r-torsion: x = 2 + 1·u, the first x = i + u with
# a y whose point is outside the subgroup (verifier_should.rs::fixtures::g2_outside_subgroup
# finds the same point; its y was computed there).
p = json.loads(json.dumps(PROOF_JSON))
p["pi_b"] = [["2", "1"],
             ["14595674994315963642025310148506558912261528724429140238175392059877349915513",
              "2228967120479639056306104054682125507366679660565043519150459338359302888809"],
             ["1", "0"]]
out("snarkjs_proof_b_off_subgroup.json", js(p), "snarkjs-proof", "PointNotInSubgroup(Proof)")
p = json.loads(json.dumps(PROOF_JSON)); p["pi_c"] = ["0", "1", "0"]
out("snarkjs_proof_c_identity.json", js(p), "snarkjs-proof", "IdentityPoint(Proof)")
p = json.loads(json.dumps(PROOF_JSON)); p["pi_b"][0] = p["pi_b"][0][::-1]
out("snarkjs_proof_b_c0_c1_swapped.json", js(p), "snarkjs-proof", "PointNotOnCurve(Proof)")
v = json.loads(json.dumps(VK_JSON)); v["vk_delta_2"] = v["vk_gamma_2"]
out("snarkjs_vk_gamma_equals_delta.json", js(v), "snarkjs-vk", "DegenerateKey")
v = json.loads(json.dumps(VK_JSON)); v["protocol"] = "plonk"
out("snarkjs_vk_plonk.json", js(v), "snarkjs-vk", "UnsupportedProtocol")
v = json.loads(json.dumps(VK_JSON)); v["IC"][1] = ["0", "1", "0"]
out("snarkjs_vk_ic_identity.json", js(v), "snarkjs-vk", "IdentityPoint(VerifyingKey)")
v = json.loads(json.dumps(VK_JSON)); v["nPublic"] = 3
out("snarkjs_vk_n_public_mismatch.json", js(v), "snarkjs-vk", "MalformedJson(VerifyingKey)")

# wrong format
out("wrong_format_json_to_gnark_proof.json", js(PROOF_JSON), "gnark-proof",
    "WrongLength { expected: 324, actual: %d }" % len(js(PROOF_JSON)))
out("wrong_format_gnark_vk_to_snarkjs.bin", VK, "snarkjs-vk", "MalformedJson(VerifyingKey)")

with open(os.path.join(HERE, "MANIFEST.tsv"), "w") as f:
    f.write("# file\tcheck\texpected error (Debug form); written by generate.py\n")
    for e in entries:
        f.write("\t".join(e) + "\n")
print(len(entries), "files")
