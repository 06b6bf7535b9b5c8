//! Requests, receipts, verified results, and what the pallet needs from the verifiers.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, BoundedVec};
use scale_info::TypeInfo;
use veritas_primitives::{
	AccountBytes, Commitment, EnclaveKey, Evidence, EvidenceKind, MeasurementId, ModelId,
	OutputMode, ReceiptId, SegmentStatement, Signature, Subject, VkId,
};

/// An open inference request: its fee is escrowed until a verified receipt answers it or its
/// deadline passes.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxInputLen, MaxSegments, MaxAllowedNodes))]
pub struct Request<
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxInputLen: Get<u32>,
	MaxSegments: Get<u32>,
	MaxAllowedNodes: Get<u32>,
> {
	/// Who asked (and paid).
	pub requester: AccountId,
	/// The model version.
	pub model: ModelId,
	/// The commitment to the input tensor.
	pub c_0: Commitment,
	/// The input values, if the requester published them (otherwise the node gets them off
	/// chain and only `c_0` binds them).
	pub input: Option<BoundedVec<i32, MaxInputLen>>,
	/// Whether the receipt publishes the output or only commits to it (`Committed`: only for
	/// requests without `input`).
	pub output: OutputMode,
	/// The evidence kind required for each segment.
	pub policy: BoundedVec<EvidenceKind, MaxSegments>,
	/// The most the requester pays.
	pub max_fee: Balance,
	/// The only nodes that may answer, if the requester named any (`None`: any bonded node).
	/// A policy with a `None` segment must name them: such a segment rests on the answering
	/// node's word alone, so the requester chooses whose word it is.
	pub allowed_nodes: Option<BoundedVec<AccountId, MaxAllowedNodes>>,
	/// The last block at which a receipt is accepted.
	pub deadline: BlockNumber,
	/// The storage deposit escrowed with `max_fee` for as long as the request is stored
	/// (`DepositBase + DepositPerByte ×` its encoded size), returned when it is answered or
	/// expires.
	pub deposit: Balance,
}

/// What a segment's verified evidence rests on.
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
pub enum Trust {
	/// Only the node's word.
	NodeOnly,
	/// AWS Nitro (its root certificate) and the registered enclave measurement.
	Enclave {
		/// The measurement.
		measurement: MeasurementId,
	},
	/// The circuit of the verifying key (and its trusted setup).
	Circuit {
		/// The key.
		vk: VkId,
	},
}

/// An inference receipt: the commitment chain, the output and each segment's evidence.
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxSegments, MaxOutputLen, MaxDocumentLen))]
// `DecodeWithMemTracking`'s derive repeats the parameters' bounds on the fields.
#[allow(clippy::multiple_bound_locations)]
pub struct Receipt<
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	Proof: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxSegments: Get<u32>,
	MaxOutputLen: Get<u32>,
	MaxDocumentLen: Get<u32>,
> {
	/// The request it answers, or the node's own nonce (a direct receipt).
	pub subject: Subject,
	/// The model version.
	pub model: ModelId,
	/// The commitment to the input.
	pub c_0: Commitment,
	/// The commitment to each segment's output (`c_1 … c_n`, one per segment).
	pub c_out: BoundedVec<Commitment, MaxSegments>,
	/// The output tensor (its commitment is `c_n`).
	pub output: BoundedVec<i32, MaxOutputLen>,
	/// Each segment's evidence.
	pub evidence: BoundedVec<Evidence<BoundedVec<u8, MaxDocumentLen>, Proof>, MaxSegments>,
	/// The fee the node asks (at most the request's `max_fee`; 0 for direct receipts).
	pub fee: Balance,
}

/// A verified result: everything needed to re-verify it, and what it rests on.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxSegments, MaxOutputLen, MaxDocumentLen))]
pub struct VerifiedResult<
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	Proof: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxSegments: Get<u32>,
	MaxOutputLen: Get<u32>,
	MaxDocumentLen: Get<u32>,
> {
	/// The receipt as verified.
	pub receipt: Receipt<Balance, Proof, MaxSegments, MaxOutputLen, MaxDocumentLen>,
	/// The node that submitted it.
	pub node: AccountId,
	/// What each segment rests on.
	pub trust: BoundedVec<Trust, MaxSegments>,
	/// The block it was verified in.
	pub verified_at: BlockNumber,
	/// The storage deposit held from the node for as long as the result is stored
	/// (`DepositBase + DepositPerByte ×` its encoded size), released when it is pruned after
	/// `ResultRetention` blocks.
	pub deposit: Balance,
}

/// Where a request stands, as the runtime API tells it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RequestStatus<BlockNumber, Result> {
	/// Open: a receipt is accepted until `deadline` (inclusive).
	Open {
		/// The last block a receipt is accepted.
		deadline: BlockNumber,
	},
	/// Answered: the receipt id and the verified result.
	Answered(ReceiptId, Result),
	/// Made once, and no result is held any more: it expired unanswered, or its result was
	/// pruned after the retention period (its `ReceiptVerified` event stays readable at an
	/// archive node).
	Pruned,
	/// No request has this id.
	Unknown,
}

/// Why a TEE check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeeError {
	/// The key is unknown, expired, or its measurement or root was revoked.
	InvalidKey,
	/// The signature does not verify.
	BadSignature,
	/// The attestation document does not verify, or not for this measurement and statement.
	BadAttestation,
	/// The key was revoked for good.
	KeyRevoked,
}

/// The enclave registry, as receipts need it.
pub trait TeeVerifier {
	/// The operator of `key` if the key is valid now for `measurement` (registered, not
	/// expired or revoked, its measurement and root still trusted).
	fn valid_key_operator(
		key: &EnclaveKey,
		measurement: MeasurementId,
	) -> Result<AccountBytes, TeeError>;

	/// Checks a fresh attestation document from an enclave of `measurement` whose `user_data`
	/// is `user_data`.
	fn verify_attested(
		document: &[u8],
		measurement: MeasurementId,
		user_data: &[u8; 32],
	) -> Result<(), TeeError>;

	/// Whether `measurement` is registered and not revoked: a request whose policy needs it
	/// could not be answered otherwise.
	fn is_measurement_active(measurement: &MeasurementId) -> bool;

	/// The operator of a registered key (expired or not) and whether the key was revoked.
	fn key_operator(key: &EnclaveKey) -> Result<(AccountBytes, bool), TeeError>;

	/// Whether `signature` is `key`'s over `payload`, whatever the key's state.
	fn is_signature_of(key: &EnclaveKey, payload: &[u8], signature: &Signature) -> bool;

	/// Revokes `key` for good (a proven equivocation).
	fn revoke_key(key: &EnclaveKey) -> Result<(), TeeError>;

	/// The weight of a key's first signature in a call: one `valid_key_operator` and one
	/// `is_signature_of`.
	fn signature_weight() -> Weight;
	/// The weight of one more `is_signature_of` by a key already found valid in the call.
	fn signature_check_weight() -> Weight;
	/// The weight of one `verify_attested` of `document`.
	fn attested_weight(document: &[u8]) -> Weight;
}

/// The Groth16 verifier registry, as receipts need it.
pub trait ZkVerifier {
	/// A proof.
	type Proof: Parameter + Member + MaxEncodedLen;

	/// Checks `proof` of the little-endian scalars `inputs` under the registered key `vk`.
	fn verify(vk: &VkId, proof: &Self::Proof, inputs: &[[u8; 32]; 3]) -> bool;

	/// Checks every `(proof, inputs)` of `items` under the registered key `vk` at once (one
	/// answer for all).
	fn verify_batch(vk: &VkId, items: &[(Self::Proof, [[u8; 32]; 3])]) -> bool;

	/// The weight of one `verify`.
	fn weight() -> Weight;

	/// The weight of one `verify_batch` of `n` items.
	fn batch_weight(n: u32) -> Weight;

	/// The most items of one `verify_batch`.
	fn max_batch() -> u32;
}

/// Whether `n` proofs under one key are cheaper checked as one batch than one by one.
pub fn batches<Z: ZkVerifier>(n: u32) -> bool {
	n > 1 && Z::batch_weight(n).ref_time() < Z::weight().saturating_mul(n as u64).ref_time()
}

/// The weight of checking `n` proofs under one key: in chunks of `max_batch`, each chunk as one
/// batch or one by one, whichever is cheaper ([`batches`]).
pub fn zk_group_weight<Z: ZkVerifier>(n: u32) -> Weight {
	let max = Z::max_batch().max(1);
	let chunk = |n: u32| {
		if batches::<Z>(n) {
			Z::batch_weight(n)
		} else {
			Z::weight().saturating_mul(n as u64)
		}
	};
	chunk(max).saturating_mul((n / max) as u64).saturating_add(chunk(n % max))
}

/// The domain of an equivocation report's commitment ([`report_commitment`]).
pub const REPORT_COMMITMENT_DOMAIN: &[u8] = b"veritas/equivocation-report/v1";

/// What a reporter commits to (`commit_report`) at least one block before revealing the
/// report (`report_equivocation`): BLAKE2-256 of [`REPORT_COMMITMENT_DOMAIN`] and the SCALE of
/// the reporter's account and every argument of the report. It names the reporter, so a
/// copied commitment is worth nothing to its copier, and it hides the report, so nobody can
/// reveal it first.
pub fn report_commitment(
	reporter: &AccountBytes,
	key: &EnclaveKey,
	first: &SegmentStatement,
	first_signature: &Signature,
	second: &SegmentStatement,
	second_signature: &Signature,
) -> [u8; 32] {
	let mut message = REPORT_COMMITMENT_DOMAIN.to_vec();
	(reporter, key, first, first_signature, second, second_signature).encode_to(&mut message);
	use sp_runtime::traits::{BlakeTwo256, Hash};
	BlakeTwo256::hash(&message).0
}

/// A reporter's commitment to an equivocation report, stored until it is revealed or withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ReportCommitment<BlockNumber, Balance> {
	/// The block it was made in: a report reveals it only in a later block.
	pub at: BlockNumber,
	/// The storage deposit held from the reporter until it goes.
	pub deposit: Balance,
}
