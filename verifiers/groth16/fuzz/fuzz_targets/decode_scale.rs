//! SCALE decoding of the canonical types, then validation: never panics, bounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity_scale_codec::{Decode, Encode};
use veritas_verifier_groth16::{prepare, Proof, PublicInputs, VerifyingKey};

fuzz_target!(|data: &[u8]| {
	if let Ok(vk) = VerifyingKey::decode(&mut &data[..]) {
		assert_eq!(VerifyingKey::decode(&mut &vk.encode()[..]).ok(), Some(vk.clone()));
		let _ = prepare(&vk);
	}
	if let Ok(proof) = Proof::decode(&mut &data[..]) {
		let _ = proof.to_ark();
	}
	if let Ok(inputs) = PublicInputs::decode(&mut &data[..]) {
		let _ = inputs.to_ark();
	}
});
