//! # Veritas verifier for AWS Nitro Enclave attestation documents
//!
//! A pure, `no_std` (+ `alloc`) verifier shared by the runtime and the `veritas` CLI.
//!
//! [`verify`] takes the raw bytes of an attestation document (a CBOR `COSE_Sign1`, tagged or
//! not), a set of trusted root fingerprints and a verification time in Unix milliseconds, and
//! returns the [`VerifiedAttestation`] claims or a [`NitroError`] naming the failed check:
//!
//! 1. [`CoseSign1::decode`]: size limit, COSE_Sign1 structure, protected header exactly
//!    `{1: -35}` (ES384), empty unprotected header, 96-byte signature.
//! 2. [`AttestationDocument::decode`]: the payload map (definite or indefinite length) with the
//!    fields AWS specifies, each checked for type and size.
//! 3. The certificate path `certificate → cabundle[n-1] → … → cabundle[0]`, where `cabundle[0]`
//!    must be byte-identical to a trusted root (see the `chain` module's documentation).
//! 4. The ES384 signature over `Sig_structure` with the leaf certificate's key.
//!
//! The elliptic-curve arithmetic of steps 3 and 4 (ECDSA P-384 over SHA-384 digests) is done by
//! a [`P384Engine`]: [`verify`] uses RustCrypto's `p384` in-process; [`verify_with`] takes the
//! engine, so the runtime can pass `veritas_crypto_host::Host` and have the node do it natively.
//! Both give identical results.
//!
//! The time is the caller's: this crate never reads a clock. The runtime passes the document's
//! own timestamp (and checks that against block time); the CLI defaults to the same.
//!
//! [`verify_with_known`] skips the certificate signatures of a path the caller verified before
//! ([`known_paths`]): a document whose bundle is known costs its leaf certificate's and its COSE
//! signatures only, every other check unchanged.
//!
//! [`policy`] compares the verified PCRs with an expected [`Measurement`] and refuses
//! debug-mode enclaves.
//!
//! ```
//! use veritas_verifier_tee_nitro::{verify, NitroError, AWS_ROOTS};
//! assert_eq!(verify(&[0x80], AWS_ROOTS, 0), Err(NitroError::MalformedCose));
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
#![deny(missing_docs)]

extern crate alloc;

mod cbor;
mod chain;
mod claims;
mod cose;
#[cfg(any(test, feature = "dev"))]
pub mod dev;
mod document;
mod error;
pub mod known_paths;
pub mod limits;
pub mod policy;
mod roots;

#[cfg(test)]
mod test_vectors;
#[cfg(test)]
mod verifier_should;

pub use claims::VerifiedAttestation;
pub use cose::CoseSign1;
pub use document::{AttestationDocument, Digest};
pub use error::{CertRole, ErrorClass, NitroError};
pub use known_paths::{path_id, KnownPaths, NewPath, PathId, PathReport};
pub use policy::{check_measurement, check_measurement_with, is_debug_mode, Measurement};
pub use roots::{
	fingerprint, Fingerprint, AWS_NITRO_ROOT_G1_DER, AWS_NITRO_ROOT_G1_FINGERPRINT, AWS_ROOTS,
	DEV_CA_ROOT_FINGERPRINT,
};
pub use veritas_crypto_host::{P384Engine, RustCrypto};

/// A document whose envelope and payload were decoded and checked for shape, not yet verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedDocument<'a> {
	/// The COSE_Sign1 envelope.
	pub cose: CoseSign1<'a>,
	/// The decoded payload.
	pub document: AttestationDocument<'a>,
}

/// Decodes an attestation document without verifying anything cryptographic.
pub fn parse(bytes: &[u8]) -> Result<ParsedDocument<'_>, NitroError> {
	let cose = CoseSign1::decode(bytes)?;
	let document = AttestationDocument::decode(cose.payload)?;
	Ok(ParsedDocument { cose, document })
}

/// Verifies an attestation document at `at_ms` (Unix milliseconds) against `trusted_roots`
/// (SHA-256 fingerprints of root certificates' DER; [`AWS_ROOTS`] for production).
///
/// Returns the verified claims. It does not check freshness (compare
/// [`VerifiedAttestation::timestamp_ms`] with your clock), the nonce, `user_data` or the PCRs
/// (see [`policy`]).
pub fn verify(
	bytes: &[u8],
	trusted_roots: &[Fingerprint],
	at_ms: u64,
) -> Result<VerifiedAttestation, NitroError> {
	verify_with::<RustCrypto>(bytes, trusted_roots, at_ms)
}

/// [`verify`] with the signature arithmetic done by `E` (same checks, same results).
pub fn verify_with<E: P384Engine>(
	bytes: &[u8],
	trusted_roots: &[Fingerprint],
	at_ms: u64,
) -> Result<VerifiedAttestation, NitroError> {
	verify_with_known::<E, ()>(bytes, trusted_roots, at_ms, &()).map(|(claims, _)| claims)
}

/// [`verify_with`], skipping the certificate signatures of the longest path of the document's
/// bundle that `known` knows; also returns which paths it verified that `known` did not know
/// (for the caller to remember). The verdict is the same as [`verify_with`]'s whenever `known`
/// holds only paths that were verified.
pub fn verify_with_known<E: P384Engine, K: KnownPaths + ?Sized>(
	bytes: &[u8],
	trusted_roots: &[Fingerprint],
	at_ms: u64,
	known: &K,
) -> Result<(VerifiedAttestation, PathReport), NitroError> {
	if trusted_roots.len() > limits::MAX_TRUSTED_ROOTS {
		return Err(NitroError::FieldTooLarge("trusted roots"));
	}
	let ParsedDocument { cose, document } = parse(bytes)?;
	let (chain, report) = chain::verify_chain::<E, K>(
		document.certificate,
		&document.cabundle,
		trusted_roots,
		at_ms,
		known,
	)?;
	cose.verify_signature::<E>(&chain.leaf_key)?;
	let claims =
		VerifiedAttestation::new(&document, chain.leaf_fingerprint, chain.root_fingerprint);
	Ok((claims, report))
}
