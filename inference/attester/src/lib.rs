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
//! The document maker under the DevEnclave (the CA, the COSE signature, the payload) is
//! `veritas_verifier_tee_nitro::dev`, `no_std`, which the runtime's benchmarks use too; this
//! crate is `std`: the system clock, the session key's randomness, the NSM device.

mod dev_enclave;
#[cfg(feature = "nsm")]
mod nsm;
#[cfg(feature = "session")]
pub mod session;

#[cfg(feature = "session")]
pub use dev_enclave::dev_image_measurement_id;
#[cfg(feature = "nsm")]
pub use nsm::NsmAttester;
#[cfg(feature = "session")]
pub use session::EnclaveSession;
pub use veritas_verifier_tee_nitro::dev::{
	pcrs_for_image, Alteration, AttestError, AttestationRequest, DevCa, DevEnclave, DevFaults,
	LEAF_LIFETIME_MS, MAX_FIELD_LEN, STANDARD_SEED, STANDARD_VALIDITY_MS,
};

/// Produces attestation documents.
pub trait Attester {
	/// An attestation document (the raw COSE_Sign1 bytes) binding `request`.
	fn attest(&self, request: &AttestationRequest) -> Result<Vec<u8>, AttestError>;
}

/// A boxed attester (a backend chosen at run time) attests like the one it holds.
impl<A: Attester + ?Sized> Attester for Box<A> {
	fn attest(&self, request: &AttestationRequest) -> Result<Vec<u8>, AttestError> {
		(**self).attest(request)
	}
}
