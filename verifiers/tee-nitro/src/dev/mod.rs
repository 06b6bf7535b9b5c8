//! Documents in AWS Nitro's exact format, signed by a development CA (feature `dev`): what the
//! inference node's DevEnclave attests with off Nitro hardware, and what the enclave registry's
//! benchmarks register inside the WASM runtime (`no_std`, so the time is always given).
//!
//! - [`DevCa`]: a chain of AWS's shape (root → three intermediates → a short-lived leaf per
//!   document), derived from a seed; only development chain specs trust its root.
//! - [`DevEnclave`]: chosen PCRs, documents made at a given time ([`DevEnclave::attest_at`]);
//!   [`DevFaults`] makes documents that break one rule at a time, for negative tests.
//!
//! Nothing here is needed to verify; `veritas-attester` (std) wraps [`DevEnclave`] as an
//! attester on the system clock.

use alloc::{string::String, vec::Vec};

mod ca;
mod enclave;
mod sign;
#[cfg(test)]
mod tests;

pub use ca::{DevCa, STANDARD_SEED, STANDARD_VALIDITY_MS};
pub use enclave::{pcrs_for_image, Alteration, DevEnclave, DevFaults, LEAF_LIFETIME_MS};

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
