//! The host functions on arbitrary bytes (what a runtime could pass them): never panic; the
//! answer is a typed error or a well-formed encoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veritas_crypto_host::{ecdsa_p384, ops, wire};

fuzz_target!(|data: &[u8]| {
	// The first byte splits the rest into the two arguments.
	let Some((&split, rest)) = data.split_first() else { return };
	let at = (split as usize * rest.len()) / 256;
	let (a, b) = rest.split_at(at);
	if let Ok(f) = ops::multi_miller_loop(a, b) {
		assert_eq!(f.len(), wire::FQ12_LEN);
		let _ = ops::final_exponentiation(&f);
	}
	let _ = ops::final_exponentiation(rest);
	if let Ok(p) = ops::msm_g1(a, b) {
		assert_eq!(p.len(), wire::G1_LEN);
	}
	let _ = ops::g2_in_subgroup(rest);
	// P-384: the key from the first part, a digest and a signature from the second.
	let (prehash, signature) = b.split_at(b.len().min(ecdsa_p384::PREHASH_LEN));
	let _ = ecdsa_p384::verify(a, prehash, signature);
});
