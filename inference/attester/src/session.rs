//! The enclave session key and its lifecycle, as the code inside an enclave runs it.
//!
//! - **Generated inside**: [`EnclaveSession::generate`] draws the ed25519 key from the enclave's
//!   own randomness (the OS generator, which in a Nitro enclave is fed by the NSM). The secret
//!   never leaves the session: there is no accessor for it; the session only signs.
//! - **Registered with a fresh nonce**: [`EnclaveSession::registration_document`] asks the
//!   attester for a document binding the public key, the caller's `user_data` (the chain's rule:
//!   `pallet_enclave_registry::user_data_for(genesis, operator)`) and a nonce (a recent block hash,
//!   which the chain checks for freshness). Once the chain has accepted it,
//!   [`EnclaveSession::registered`] records when the key expires there.
//! - **Renewed before expiry**: [`EnclaveSession::needs_registration`] says when to register (never
//!   registered, or within the renewal margin of the expiry); [`EnclaveSession::rotate`] replaces
//!   the key with a fresh one, which must be registered in turn.
//!
//! With the `nsm` backend the session lives in the enclave process; what crosses the enclave
//! boundary is the public key, documents and signatures.

use veritas_primitives::{enclave_signing_message, SegmentStatement};

use crate::{AttestError, AttestationRequest, Attester};

/// How long before its expiry a key is renewed by default: one hour.
pub const DEFAULT_RENEWAL_MARGIN_MS: u64 = 3_600_000;

/// An enclave session: its attester and its current ed25519 key.
pub struct EnclaveSession<A: Attester> {
	attester: A,
	key: ed25519_zebra::SigningKey,
	expires_at_ms: Option<u64>,
	renewal_margin_ms: u64,
}

impl<A: Attester> core::fmt::Debug for EnclaveSession<A> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		// Never the secret key.
		f.debug_struct("EnclaveSession")
			.field("public_key", &self.public_key())
			.field("expires_at_ms", &self.expires_at_ms)
			.finish()
	}
}

fn fresh_key() -> Result<ed25519_zebra::SigningKey, AttestError> {
	let mut seed = [0u8; 32];
	getrandom::getrandom(&mut seed)
		.map_err(|e| AttestError::Unavailable(format!("no randomness: {e}")))?;
	Ok(ed25519_zebra::SigningKey::from(seed))
}

impl<A: Attester> EnclaveSession<A> {
	/// A session with a fresh key, not registered yet.
	pub fn generate(attester: A) -> Result<Self, AttestError> {
		Ok(Self {
			attester,
			key: fresh_key()?,
			expires_at_ms: None,
			renewal_margin_ms: DEFAULT_RENEWAL_MARGIN_MS,
		})
	}

	/// Renews keys `margin_ms` before they expire instead of the default hour.
	pub fn with_renewal_margin(mut self, margin_ms: u64) -> Self {
		self.renewal_margin_ms = margin_ms;
		self
	}

	/// The current key's public half (what the chain registers).
	pub fn public_key(&self) -> [u8; 32] {
		ed25519_zebra::VerificationKey::from(&self.key).into()
	}

	/// An attestation document registering the current key: `user_data` as the chain requires,
	/// `nonce` a recent block hash.
	pub fn registration_document(
		&self,
		user_data: Vec<u8>,
		nonce: [u8; 32],
	) -> Result<Vec<u8>, AttestError> {
		self.attester.attest(&AttestationRequest {
			public_key: Some(self.public_key().to_vec()),
			user_data: Some(user_data),
			nonce: Some(nonce.to_vec()),
		})
	}

	/// The `TeeAttested` evidence of `statement`: a fresh attestation document whose
	/// `user_data` is the statement's (`statement.attestation_user_data()`), which the chain checks
	/// against the segment's measurement.
	pub fn attest_statement(&self, statement: &SegmentStatement) -> Result<Vec<u8>, AttestError> {
		self.attest_user_data(&statement.attestation_user_data())
	}

	/// A fresh attestation document carrying `user_data` and the session's public key (e.g. a
	/// chat exchange's digest, whose domain keeps it apart from segment statements).
	pub fn attest_user_data(&self, user_data: &[u8]) -> Result<Vec<u8>, AttestError> {
		self.attester.attest(&AttestationRequest {
			public_key: Some(self.public_key().to_vec()),
			user_data: Some(user_data.to_vec()),
			nonce: None,
		})
	}

	/// Records that the chain registered the current key until `expires_at_ms`.
	pub fn registered(&mut self, expires_at_ms: u64) {
		self.expires_at_ms = Some(expires_at_ms);
	}

	/// When the chain's record of the current key expires, if it was registered.
	pub fn expires_at_ms(&self) -> Option<u64> {
		self.expires_at_ms
	}

	/// Whether the current key must be (re-)registered at `now_ms`: never registered, or expiring
	/// within the renewal margin.
	pub fn needs_registration(&self, now_ms: u64) -> bool {
		self.expires_at_ms
			.is_none_or(|expiry| now_ms.saturating_add(self.renewal_margin_ms) >= expiry)
	}

	/// Replaces the key with a fresh one (not registered yet). The old key is dropped.
	pub fn rotate(&mut self) -> Result<(), AttestError> {
		self.key = fresh_key()?;
		self.expires_at_ms = None;
		Ok(())
	}

	/// The `Tee` evidence signature of `statement`: ed25519 over
	/// `enclave_signing_message(statement.signing_payload())`, what the chain verifies.
	pub fn sign(&self, statement: &SegmentStatement) -> [u8; 64] {
		self.key.sign(&enclave_signing_message(&statement.signing_payload())).into()
	}
}

#[cfg(test)]
mod tests {
	use veritas_primitives::{Commitment, Subject};
	use veritas_verifier_tee_nitro::verify;

	use super::*;
	use crate::{pcrs_for_image, DevCa, DevEnclave};

	/// 2026-01-01T00:00:00Z.
	const NOW: u64 = 1_767_225_600_000;
	const DAY: u64 = 24 * 3600 * 1000;

	fn ca() -> DevCa {
		DevCa::new([7; 32], NOW - 30 * DAY, NOW + 365 * DAY).unwrap()
	}

	fn session() -> EnclaveSession<DevEnclave> {
		EnclaveSession::generate(DevEnclave::new(ca(), pcrs_for_image(b"image")).at(NOW)).unwrap()
	}

	fn statement() -> SegmentStatement {
		SegmentStatement {
			genesis: [1; 32],
			subject: Subject::Request(4),
			node: [5; 32],
			fee: 10,
			model: 2,
			file_hash: [6; 32],
			model_digest: [7; 32],
			segment: 0,
			c_in: Commitment([3; 32]),
			c_out: Commitment([4; 32]),
		}
	}

	#[test]
	fn the_registration_document_binds_the_key_user_data_and_nonce() {
		let s = session();
		let document = s.registration_document(b"binding".to_vec(), [9; 32]).unwrap();
		let claims = verify(&document, &[ca().root_fingerprint()], NOW).unwrap();
		assert_eq!(claims.public_key.as_deref(), Some(&s.public_key()[..]));
		assert_eq!(claims.user_data.as_deref(), Some(&b"binding"[..]));
		assert_eq!(claims.nonce.as_deref(), Some(&[9u8; 32][..]));
	}

	#[test]
	fn keys_are_fresh_signatures_verify_and_renewal_comes_before_expiry() {
		let mut s = session().with_renewal_margin(1_000);
		assert_ne!(s.public_key(), session().public_key(), "each session draws its own key");
		let signature = ed25519_zebra::Signature::from(s.sign(&statement()));
		let key = ed25519_zebra::VerificationKey::try_from(s.public_key()).unwrap();
		let message = enclave_signing_message(&statement().signing_payload());
		assert!(key.verify(&signature, &message).is_ok());
		let other = SegmentStatement { segment: 1, ..statement() };
		assert!(key
			.verify(&signature, &enclave_signing_message(&other.signing_payload()))
			.is_err());

		assert!(s.needs_registration(NOW));
		s.registered(NOW + 10_000);
		assert_eq!(s.expires_at_ms(), Some(NOW + 10_000));
		assert!(!s.needs_registration(NOW + 8_999));
		assert!(s.needs_registration(NOW + 9_000));
		let old = s.public_key();
		s.rotate().unwrap();
		assert_ne!(s.public_key(), old);
		assert!(s.needs_registration(NOW));
		assert!(!format!("{s:?}").contains(&format!("{:?}", s.key.as_ref())));
	}
}
