//! gnark binary key and proof decoders: never panic; what decodes re-validates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veritas_verifier_groth16::decode::gnark;

fuzz_target!(|data: &[u8]| {
	if let Ok(vk) = gnark::verifying_key(data) {
		assert!(vk.to_ark().is_ok());
	}
	if let Ok(proof) = gnark::proof(data) {
		assert!(proof.to_ark().is_ok());
	}
});
