//! What one segment's evidence binds, and the bytes each kind of evidence covers.
//!
//! A [`SegmentStatement`] names the chain (genesis hash), what is answered ([`Subject`]: a
//! request, or a node's own nonce for direct receipts), who answers and for what fee (the
//! submitting node's account and the fee it claims), the model by its chain id *and* its content
//! (the ONNX file's hash and the manifest's digest, [`crate::model_digest`]), the segment and its
//! input and output commitments. Evidence made for one statement is useless for any other: a
//! receipt copied by another node, or with another fee, or evidence an enclave made for another
//! model's content than the chain's model id names, does not verify.
//! - `Tee`: the enclave signs [`SegmentStatement::signing_payload`];
//! - `TeeAttested`: the document's `user_data` is [`SegmentStatement::attestation_user_data`];
//! - `Zk`: the proof's public inputs are [`SegmentStatement::zk_public_inputs`] =
//!   `[c_in, c_out, binding]`, where `binding` hashes everything but the commitments.

use alloc::vec::Vec;
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};

use crate::{AccountBytes, CommitError, Commitment, ModelId, RequestId, SegmentIndex};

/// Domain of [`SegmentStatement::signing_payload`].
pub const SEGMENT_DOMAIN: &[u8] = b"veritas/segment/v2";
/// Domain of [`SegmentStatement::attestation_user_data`].
pub const ATTESTATION_DOMAIN: &[u8] = b"veritas/segment-attestation/v2";
/// Domain of [`SegmentStatement::binding`].
pub const BINDING_DOMAIN: &[u8] = b"veritas/segment-binding/v2";
/// Domain of every enclave-key signature: an enclave key signs
/// [`enclave_signing_message`]`(payload)`, never a bare payload, so that its signatures can never
/// be replayed as signatures over something else.
pub const ENCLAVE_SIGNATURE_DOMAIN: &[u8] = b"veritas/enclave-signature/v1";
/// The number of public inputs of a segment circuit.
pub const ZK_PUBLIC_INPUTS: usize = 3;

/// What a receipt answers.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Subject {
	/// An on-chain inference request.
	Request(RequestId),
	/// A direct receipt (the public audit log): the node and a nonce it never reuses.
	Direct {
		/// The node's account.
		node: AccountBytes,
		/// The node's nonce.
		nonce: u64,
	},
}

/// What the evidence of one segment binds.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SegmentStatement {
	/// The chain's genesis hash.
	pub genesis: [u8; 32],
	/// The request or direct-receipt nonce.
	pub subject: Subject,
	/// The account of the node that submits the receipt (the fee goes to it).
	pub node: AccountBytes,
	/// The fee the node claims for the receipt (0 for a direct receipt).
	pub fee: u128,
	/// The model version's chain id.
	pub model: ModelId,
	/// SHA-256 of the model file the evidence was made with (the manifest's `file_hash`).
	pub file_hash: [u8; 32],
	/// The digest of the model's manifest ([`crate::model_digest`]).
	pub model_digest: [u8; 32],
	/// The segment's index.
	pub segment: SegmentIndex,
	/// The commitment to the segment's input.
	pub c_in: Commitment,
	/// The commitment to the segment's output.
	pub c_out: Commitment,
}

/// `ENCLAVE_SIGNATURE_DOMAIN ‖ payload`: the message an enclave key signs for `payload`.
pub fn enclave_signing_message(payload: &[u8]) -> Vec<u8> {
	let mut out = Vec::with_capacity(ENCLAVE_SIGNATURE_DOMAIN.len() + payload.len());
	out.extend_from_slice(ENCLAVE_SIGNATURE_DOMAIN);
	out.extend_from_slice(payload);
	out
}

impl SegmentStatement {
	/// `SEGMENT_DOMAIN ‖ SCALE(self)`: what an enclave key signs (the enclave registry adds its
	/// own signature domain in front).
	pub fn signing_payload(&self) -> Vec<u8> {
		let mut out = Vec::with_capacity(SEGMENT_DOMAIN.len() + self.encoded_size());
		out.extend_from_slice(SEGMENT_DOMAIN);
		self.encode_to(&mut out);
		out
	}

	/// `SHA-256(ATTESTATION_DOMAIN ‖ SCALE(self))`: the `user_data` of a per-segment Nitro
	/// attestation document.
	pub fn attestation_user_data(&self) -> [u8; 32] {
		let mut h = Sha256::new();
		h.update(ATTESTATION_DOMAIN);
		h.update(self.encode());
		h.finalize().into()
	}

	/// `SHA-256(BINDING_DOMAIN ‖ SCALE(genesis, subject, node, fee, model, file_hash,
	/// model_digest, segment))`, its first 31 bytes read big-endian: a scalar (below 2²⁴⁸ < r)
	/// binding a proof to this chain, request, submitting node and fee, model (by id and
	/// content) and segment: everything but the commitments, which are public inputs of their own.
	pub fn binding(&self) -> Fr {
		let mut h = Sha256::new();
		h.update(BINDING_DOMAIN);
		h.update(
			(
				self.genesis,
				self.subject,
				self.node,
				self.fee,
				self.model,
				self.file_hash,
				self.model_digest,
				self.segment,
			)
				.encode(),
		);
		let digest: [u8; 32] = h.finalize().into();
		Fr::from_be_bytes_mod_order(&digest[..31])
	}

	/// The public inputs of the segment's circuit: `[c_in, c_out, binding]`.
	pub fn zk_public_inputs(&self) -> Result<[Fr; ZK_PUBLIC_INPUTS], CommitError> {
		Ok([self.c_in.to_field()?, self.c_out.to_field()?, self.binding()])
	}

	/// [`SegmentStatement::zk_public_inputs`] as 32-byte little-endian scalars (the Groth16
	/// verifier registry's encoding).
	pub fn zk_public_inputs_le(&self) -> Result<[[u8; 32]; ZK_PUBLIC_INPUTS], CommitError> {
		Ok(self.zk_public_inputs()?.map(|f| {
			let mut out = [0u8; 32];
			out.copy_from_slice(&f.into_bigint().to_bytes_le());
			out
		}))
	}
}
