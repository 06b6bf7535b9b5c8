//! # Attesters: AWS Nitro attestation documents for Veritas inference nodes
//!
//! An [`Attester`] produces an attestation document (COSE_Sign1, ES384, CBOR payload, exactly as
//! the AWS Nitro Secure Module does) that binds an enclave session key (`public_key`), chain data
//! (`user_data`: genesis hash and operator account) and a freshness `nonce` (a recent block hash)
//! to the enclave's measurements (PCRs).
//!
//! - [`DevEnclave`]: for development and tests, anywhere. Signs with a [`DevCa`]: a chain of the
//!   same shape as AWS's (root → three intermediates → a short-lived leaf per document), with
//!   chosen PCRs and time. Its root is trusted only by dev/local chain specs. [`DevFaults`] makes
//!   documents that break one rule at a time, for negative tests.
//! - `NsmAttester` (feature `nsm`): the real Nitro Secure Module, through
//!   `aws-nitro-enclaves-nsm-api`. It works only inside a Nitro enclave (it opens `/dev/nsm`);
//!   elsewhere it compiles and [`NsmAttester::open`] fails with [`AttestError::Unavailable`].
//!
//! - [`EnclaveSession`] (feature `session`, default): the enclave's ed25519 session key, generated
//!   inside, registered with a fresh nonce, renewed before it expires, used to sign segment
//!   statements; the secret never leaves it.
//!
//! Nothing here verifies: `veritas-verifier-tee-nitro` does, on chain and off.
//!
//! `no_std` (+ `alloc`) without the default `std` feature, so the runtime's benchmarks can make
//! documents inside the WASM runtime.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::{string::String, vec::Vec};

mod cose;
mod dev_ca;
mod dev_enclave;
#[cfg(feature = "nsm")]
mod nsm;
#[cfg(feature = "session")]
pub mod session;

pub use dev_ca::{DevCa, STANDARD_SEED, STANDARD_VALIDITY_MS};
#[cfg(feature = "session")]
pub use dev_enclave::dev_image_measurement_id;
pub use dev_enclave::{pcrs_for_image, Alteration, DevEnclave, DevFaults, LEAF_LIFETIME_MS};
#[cfg(feature = "nsm")]
pub use nsm::NsmAttester;
#[cfg(feature = "session")]
pub use session::EnclaveSession;

/// What a document must bind: each field goes into the payload field of the same name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttestationRequest {
	/// The enclave's public key (for Veritas, its ed25519 session key).
	pub public_key: Option<Vec<u8>>,
	/// Application data (for Veritas, the binding of genesis hash and operator account).
	pub user_data: Option<Vec<u8>>,
	/// The verifier's challenge (for Veritas, a recent block hash).
	pub nonce: Option<Vec<u8>>,
}

/// Why no document was produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttestError {
	/// A field is longer than the 1,024 bytes the NSM accepts.
	FieldTooLarge(&'static str),
	/// The attestation device is not available (not inside a Nitro enclave).
	Unavailable(String),
	/// The device or the signer failed.
	Failed(String),
}

impl core::fmt::Display for AttestError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::FieldTooLarge(field) => write!(f, "{field} is longer than 1024 bytes"),
			Self::Unavailable(why) => write!(f, "attestation device unavailable: {why}"),
			Self::Failed(why) => write!(f, "attestation failed: {why}"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for AttestError {}

/// The largest `public_key`, `user_data` or `nonce` the NSM accepts.
pub const MAX_FIELD_LEN: usize = 1024;

impl AttestationRequest {
	/// Checks the field sizes the NSM enforces.
	pub fn check(&self) -> Result<(), AttestError> {
		for (name, field) in [
			("public_key", &self.public_key),
			("user_data", &self.user_data),
			("nonce", &self.nonce),
		] {
			if field.as_ref().is_some_and(|f| f.len() > MAX_FIELD_LEN) {
				return Err(AttestError::FieldTooLarge(name));
			}
		}
		Ok(())
	}
}

/// Produces attestation documents.
pub trait Attester {
	/// An attestation document (the raw COSE_Sign1 bytes) binding `request`.
	fn attest(&self, request: &AttestationRequest) -> Result<Vec<u8>, AttestError>;
}

/// A boxed attester (a backend chosen at run time) attests like the one it holds.
impl<A: Attester + ?Sized> Attester for alloc::boxed::Box<A> {
	fn attest(&self, request: &AttestationRequest) -> Result<Vec<u8>, AttestError> {
		(**self).attest(request)
	}
}

#[cfg(test)]
mod tests;
