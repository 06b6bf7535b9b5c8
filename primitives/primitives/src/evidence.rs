//! The evidence a receipt carries for one segment, and which kinds a segment accepts.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{EnclaveKey, Signature};

/// The levels of evidence, weakest first.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum EvidenceKind {
	/// Nothing: only the node's word.
	None,
	/// An ed25519 signature by an enclave key registered through a verified attestation.
	Tee,
	/// A Nitro attestation document for this very segment (its `user_data` binds it).
	TeeAttested,
	/// A Groth16 proof under the segment's verifying key.
	Zk,
}

impl EvidenceKind {
	/// Every kind, weakest first.
	pub const ALL: [EvidenceKind; 4] = [Self::None, Self::Tee, Self::TeeAttested, Self::Zk];

	/// The kind's name, the one every client writes (`none`, `tee`, `tee_attested`, `zk`): in
	/// manifests, request policies, the node's HTTP API and the CLI's output.
	pub const fn name(self) -> &'static str {
		match self {
			Self::None => "none",
			Self::Tee => "tee",
			Self::TeeAttested => "tee_attested",
			Self::Zk => "zk",
		}
	}

	/// The kind named `name` ([`EvidenceKind::name`]), exactly (case included).
	pub fn from_name(name: &str) -> Option<Self> {
		Self::ALL.into_iter().find(|k| k.name() == name)
	}

	const fn bit(self) -> u8 {
		match self {
			Self::None => 1,
			Self::Tee => 2,
			Self::TeeAttested => 4,
			Self::Zk => 8,
		}
	}
}

/// A set of evidence kinds (what a model's segment accepts), one bit per kind.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct EvidenceSet(pub u8);

impl EvidenceSet {
	/// The set of `kinds`.
	pub fn of(kinds: &[EvidenceKind]) -> Self {
		Self(kinds.iter().fold(0, |bits, k| bits | k.bit()))
	}

	/// Whether `kind` is in the set.
	pub fn contains(self, kind: EvidenceKind) -> bool {
		self.0 & kind.bit() != 0
	}

	/// Whether the set is non-empty and has no unknown bits.
	pub fn is_valid(self) -> bool {
		self.0 != 0 && self.0 & !0x0f == 0
	}

	/// The kinds in the set, weakest first.
	pub fn kinds(self) -> impl Iterator<Item = EvidenceKind> {
		EvidenceKind::ALL.into_iter().filter(move |k| self.contains(*k))
	}
}

/// The evidence for one segment. `Document` and `Proof` are byte containers (bounded ones on
/// chain, `Vec<u8>` off chain).
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Evidence<Document, Proof> {
	/// No evidence.
	None,
	/// `signature` by the registered enclave key `key` over the segment's signing payload
	/// ([`crate::SegmentStatement::signing_payload`], with the enclave registry's domain
	/// prefix).
	Tee {
		/// The enclave key.
		key: EnclaveKey,
		/// The ed25519 signature.
		signature: Signature,
	},
	/// A Nitro attestation document whose `user_data` is
	/// [`crate::SegmentStatement::attestation_user_data`].
	TeeAttested {
		/// The COSE_Sign1 document bytes.
		document: Document,
	},
	/// A Groth16 proof (the verifier registry's encoding) of the public inputs
	/// [`crate::SegmentStatement::zk_public_inputs`].
	Zk {
		/// The proof bytes.
		proof: Proof,
	},
}

impl<D, P> Evidence<D, P> {
	/// The kind of this evidence.
	pub fn kind(&self) -> EvidenceKind {
		match self {
			Self::None => EvidenceKind::None,
			Self::Tee { .. } => EvidenceKind::Tee,
			Self::TeeAttested { .. } => EvidenceKind::TeeAttested,
			Self::Zk { .. } => EvidenceKind::Zk,
		}
	}
}
