//! arkworks decoders: never panic; decode(encode(x)) == x; encodings are unique.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veritas_verifier_groth16::decode::arkworks::{self, Compression};

fuzz_target!(|data: &[u8]| {
	let Some((mode, data)) = data.split_first() else { return };
	let c = if mode & 1 == 0 { Compression::No } else { Compression::Yes };
	if let Ok(vk) = arkworks::verifying_key(data, c) {
		let bytes = arkworks::encode_verifying_key(&vk, c).expect("a decoded key encodes");
		assert_eq!(bytes, data, "one encoding per key");
	}
	if let Ok(proof) = arkworks::proof(data, c) {
		let bytes = arkworks::encode_proof(&proof, c).expect("a decoded proof encodes");
		assert_eq!(bytes, data, "one encoding per proof");
	}
	if let Ok(inputs) = arkworks::public_inputs(data) {
		assert_eq!(arkworks::encode_public_inputs(&inputs).expect("canonical"), data);
	}
});
