//! verify and batch_verify on a real SP1 key, with a fuzzed proof (gnark's 256-byte form) and
//! fuzzed inputs: never panics, never accepts anything but the genuine statement, and the batch
//! agrees with verifying one by one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use veritas_verifier_groth16::{
	batch_verify,
	decode::{self, gnark},
	prepare, verify, PreparedVerifyingKey, Proof, PublicInputs,
};

const VK: &[u8] = include_bytes!("../../src/resources/sp1-v3.0.0__groth16_vk.bin");
const PROOF: &str =
	include_str!("../../src/resources/sp1-v3.0.0__fibonacci-groth16.proof.snarkjs.json");
const INPUTS: &str =
	include_str!("../../src/resources/sp1-v3.0.0__fibonacci-groth16.public.snarkjs.json");

fn genuine() -> &'static (PreparedVerifyingKey, Proof, PublicInputs) {
	static G: OnceLock<(PreparedVerifyingKey, Proof, PublicInputs)> = OnceLock::new();
	G.get_or_init(|| {
		let vk = prepare(&gnark::verifying_key(VK).expect("fixture")).expect("fixture");
		let proof = decode::snarkjs::proof(PROOF.as_bytes()).expect("fixture");
		let inputs = decode::snarkjs::public_inputs(INPUTS.as_bytes()).expect("fixture");
		(vk, proof, inputs)
	})
}

fuzz_target!(|data: &[u8]| {
	let (vk, good_proof, good_inputs) = genuine();
	if data.len() < 256 {
		return;
	}
	let (proof_bytes, input_bytes) = data.split_at(256);
	let Ok(proof) = gnark::proof(proof_bytes) else { return };
	let inputs = decode::public_inputs_json(input_bytes).unwrap_or_else(|_| good_inputs.clone());
	let single = verify(vk, &proof, &inputs);
	if single.is_ok() {
		assert_eq!((&proof, &inputs), (good_proof, good_inputs), "a second valid statement");
	}
	let batch = batch_verify(vk, &[(*good_proof, good_inputs.clone()), (proof, inputs)]);
	assert_eq!(batch.is_ok(), single.is_ok(), "batch and single verification disagree");
});
