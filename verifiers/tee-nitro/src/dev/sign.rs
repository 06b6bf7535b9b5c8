//! COSE_Sign1 with ES384, as the NSM writes it: an untagged array of the protected header
//! (`{1: -35}` as a byte string), an empty unprotected map, the payload, and a 96-byte `r‖s`
//! signature over `Sig_structure = ["Signature1", protected, h'', payload]`.

use alloc::vec::Vec;
use minicbor::Encoder;
use p384::ecdsa::{signature::Signer, Signature, SigningKey};

/// COSE algorithm id of ES384.
pub(crate) const ES384: i64 = -35;

/// Unwraps an encoding into a `Vec`, which cannot fail: the writer is infallible and only
/// plain values are encoded (no user `Encode` impl that could raise a custom error).
fn infallible<T>(r: Result<T, minicbor::encode::Error<core::convert::Infallible>>) -> T {
	r.expect("CBOR encoding into a Vec cannot fail")
}

/// The protected header `{1: alg}` as CBOR bytes.
pub(crate) fn protected_header(alg: i64) -> Vec<u8> {
	let mut out = Vec::new();
	infallible(
		Encoder::new(&mut out).map(1).and_then(|e| e.u8(1)).and_then(|e| e.i64(alg)).map(|_| ()),
	);
	out
}

/// The bytes ES384 signs: `["Signature1", protected, h'', payload]`.
pub(crate) fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
	let mut out = Vec::new();
	let mut e = Encoder::new(&mut out);
	infallible(
		e.array(4)
			.and_then(|e| e.str("Signature1"))
			.and_then(|e| e.bytes(protected))
			.and_then(|e| e.bytes(&[]))
			.and_then(|e| e.bytes(payload))
			.map(|_| ()),
	);
	out
}

/// Signs `payload` under `protected` with `key` and assembles the COSE_Sign1 array.
pub(crate) fn sign1(key: &SigningKey, protected: &[u8], payload: &[u8]) -> Vec<u8> {
	let signature: Signature = key.sign(&sig_structure(protected, payload));
	assemble(protected, payload, &signature.to_bytes())
}

/// The COSE_Sign1 array from its parts.
pub(crate) fn assemble(protected: &[u8], payload: &[u8], signature: &[u8]) -> Vec<u8> {
	let mut out = Vec::new();
	let mut e = Encoder::new(&mut out);
	infallible(
		e.array(4)
			.and_then(|e| e.bytes(protected))
			.and_then(|e| e.map(0))
			.and_then(|e| e.bytes(payload))
			.and_then(|e| e.bytes(signature))
			.map(|_| ()),
	);
	out
}
