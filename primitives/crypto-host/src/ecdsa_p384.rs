//! ECDSA over NIST P-384 with a SHA-384 prehash (the signatures of AWS Nitro attestation
//! documents and of their X.509 certificates): [`P384Engine`] and its two implementations.
//!
//! The caller hashes (SHA-384 is cheap in WASM); the engine does the elliptic-curve work (which
//! is not). Keys are SEC1 encodings, signatures the fixed 96-byte `r‖s` form.

use codec::{Decode, Encode};
use p384::ecdsa::{signature::hazmat::PrehashVerifier, Signature, VerifyingKey};

use crate::{interface::veritas_p384, Host};

/// Length of a SHA-384 digest.
pub const PREHASH_LEN: usize = 48;
/// Length of a fixed-size `r‖s` P-384 signature.
pub const SIGNATURE_LEN: usize = 96;
/// The longest SEC1 encoding of a P-384 point (uncompressed: `04‖x‖y`).
pub const MAX_KEY_LEN: usize = 97;

/// Why a P-384 verification refused its input (a signature that simply does not verify is
/// `Ok(false)`, not an error).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum P384Error {
	/// The key is not the SEC1 encoding of a point on P-384 (or is the identity).
	MalformedKey,
	/// The signature is not 96 bytes, or `r` or `s` is zero or not below the group order.
	MalformedSignature,
	/// The digest is not 48 bytes.
	MalformedPrehash,
}

/// ECDSA P-384 verification of a SHA-384 digest.
///
/// Every implementation gives the same answer for the same input, errors included.
pub trait P384Engine {
	/// Whether `signature` (`r‖s`) is valid for `prehash` (a SHA-384 digest) under
	/// `public_key` (SEC1, compressed or uncompressed).
	fn verify_prehash(
		public_key: &[u8],
		prehash: &[u8; PREHASH_LEN],
		signature: &[u8; SIGNATURE_LEN],
	) -> Result<bool, P384Error>;
}

/// RustCrypto's `p384`, computed wherever this code runs (inside the WASM runtime: the pure-WASM
/// fallback).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RustCrypto;

impl P384Engine for RustCrypto {
	fn verify_prehash(
		public_key: &[u8],
		prehash: &[u8; PREHASH_LEN],
		signature: &[u8; SIGNATURE_LEN],
	) -> Result<bool, P384Error> {
		verify(public_key, prehash, signature)
	}
}

impl P384Engine for Host {
	fn verify_prehash(
		public_key: &[u8],
		prehash: &[u8; PREHASH_LEN],
		signature: &[u8; SIGNATURE_LEN],
	) -> Result<bool, P384Error> {
		if public_key.len() > MAX_KEY_LEN {
			// Refused before crossing into the host, with the host's own answer.
			return Err(P384Error::MalformedKey);
		}
		veritas_p384::verify_prehash(public_key, prehash, signature)
	}
}

/// The byte-level operation the host runs: decode, check lengths, verify.
pub fn verify(public_key: &[u8], prehash: &[u8], signature: &[u8]) -> Result<bool, P384Error> {
	let key = VerifyingKey::from_sec1_bytes(public_key).map_err(|_| P384Error::MalformedKey)?;
	if signature.len() != SIGNATURE_LEN {
		return Err(P384Error::MalformedSignature);
	}
	let signature = Signature::from_slice(signature).map_err(|_| P384Error::MalformedSignature)?;
	if prehash.len() != PREHASH_LEN {
		return Err(P384Error::MalformedPrehash);
	}
	Ok(key.verify_prehash(prehash, &signature).is_ok())
}
