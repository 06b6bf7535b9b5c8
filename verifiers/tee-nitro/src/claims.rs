//! What a verified document tells: the claims, owned, with the certificates that vouch for them.

use alloc::{collections::BTreeMap, string::String, vec::Vec};

use crate::{document::AttestationDocument, roots::Fingerprint, Digest};

/// The claims of an attestation document whose signature and chain were verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedAttestation {
	/// The enclave's id, e.g. `i-0f1cd77d37fd8bcc9-enc018e7aa61e2040ff`.
	pub module_id: String,
	/// When the NSM produced the document, in Unix milliseconds.
	pub timestamp_ms: u64,
	/// The PCR digest algorithm (always SHA-384).
	pub digest: Digest,
	/// PCR index → value. At most 32 entries of at most 64 bytes each.
	pub pcrs: BTreeMap<u8, Vec<u8>>,
	/// The enclave's public key, if any (at most 1024 bytes).
	pub public_key: Option<Vec<u8>>,
	/// Application data, if any (at most 1024 bytes).
	pub user_data: Option<Vec<u8>>,
	/// The verifier's challenge, if any (at most 1024 bytes).
	pub nonce: Option<Vec<u8>>,
	/// SHA-256 of the leaf certificate that signed the document.
	pub leaf_fingerprint: Fingerprint,
	/// SHA-256 of the trusted root the chain ends at.
	pub root_fingerprint: Fingerprint,
}

impl VerifiedAttestation {
	pub(crate) fn new(
		doc: &AttestationDocument<'_>,
		leaf_fingerprint: Fingerprint,
		root_fingerprint: Fingerprint,
	) -> Self {
		Self {
			module_id: doc.module_id.into(),
			timestamp_ms: doc.timestamp_ms,
			digest: doc.digest,
			pcrs: doc.pcrs.iter().map(|(i, v)| (*i, v.to_vec())).collect(),
			public_key: doc.public_key.map(<[u8]>::to_vec),
			user_data: doc.user_data.map(<[u8]>::to_vec),
			nonce: doc.nonce.map(<[u8]>::to_vec),
			leaf_fingerprint,
			root_fingerprint,
		}
	}

	/// The value of PCR `index`, if the document has it.
	pub fn pcr(&self, index: u8) -> Option<&[u8]> {
		self.pcrs.get(&index).map(Vec::as_slice)
	}
}
