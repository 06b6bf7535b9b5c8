//! JSON decoders (snarkjs, gnark JSON, public inputs): never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veritas_verifier_groth16::decode::{self, gnark_json, snarkjs};

fuzz_target!(|data: &[u8]| {
	if let Ok(vk) = snarkjs::verifying_key(data) {
		assert!(vk.to_ark().is_ok());
	}
	if let Ok(proof) = snarkjs::proof(data) {
		assert!(proof.to_ark().is_ok());
	}
	if let Ok(inputs) = decode::public_inputs_json(data) {
		assert!(inputs.to_ark().is_ok());
	}
	let _ = gnark_json::verifying_key(data);
	let _ = gnark_json::proof(data);
});
