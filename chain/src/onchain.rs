//! What the client reads from the chain, at one finalized block: storage items by their raw keys
//! and the receipts runtime API, decoded into mirrors of the runtime's types.
//!
//! The mirrors repeat the SCALE layout of the runtime's stored types (bounded vectors encode as
//! vectors; `Balance` is u128, `BlockNumber` u32, accounts 32 bytes). The end-to-end tests decode
//! what a real node stores with them.

use codec::{Decode, Encode};
use subxt::client::{ClientAtBlock, OnlineClientAtBlockImpl};
use subxt::PolkadotConfig;
use veritas_primitives::{
	Commitment, Evidence, EvidenceKind, ModelId, OutputMode, ReceiptId, RequestId, Subject,
};
use veritas_verifier_groth16::{Proof, VerifyingKey};

use crate::{pallets, ChainError, Client, Manifest};

/// The chain at one block.
pub type AtBlock = ClientAtBlock<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>;

/// A receipt as stored (`pallet_inference_receipts::Receipt`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Receipt {
	/// The request answered, or the node's own nonce.
	pub subject: Subject,
	/// The model version.
	pub model: ModelId,
	/// The commitment to the input.
	pub c_0: Commitment,
	/// The commitment to each segment's output.
	pub c_out: Vec<Commitment>,
	/// The output tensor.
	pub output: Vec<i32>,
	/// Each segment's evidence.
	pub evidence: Vec<Evidence<Vec<u8>, Proof>>,
	/// The fee paid.
	pub fee: u128,
}

/// An open request as stored (`pallet_inference_receipts::Request`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Request {
	/// Who asked.
	pub requester: [u8; 32],
	/// The model version.
	pub model: ModelId,
	/// The commitment to the input.
	pub c_0: Commitment,
	/// The input values, if published.
	pub input: Option<Vec<i32>>,
	/// Whether the receipt publishes the output or only commits to it.
	pub output: OutputMode,
	/// The evidence kind of each segment.
	pub policy: Vec<EvidenceKind>,
	/// The most the requester pays.
	pub max_fee: u128,
	/// The only nodes allowed to answer, if the requester named any.
	pub allowed_nodes: Option<Vec<[u8; 32]>>,
	/// The last block a receipt is accepted.
	pub deadline: u32,
	/// The storage deposit escrowed with the fee.
	pub deposit: u128,
}

/// What a segment's verified evidence rests on (`pallet_inference_receipts::Trust`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Trust {
	/// Only the node's word.
	NodeOnly,
	/// AWS Nitro and the registered measurement.
	Enclave {
		/// The measurement's id (the digest of its PCRs).
		measurement: [u8; 32],
	},
	/// The circuit of the verifying key and its setup.
	Circuit {
		/// The key id.
		vk: [u8; 32],
	},
}

/// A verified result as stored (`pallet_inference_receipts::VerifiedResult`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct VerifiedResult {
	/// The receipt.
	pub receipt: Receipt,
	/// The node's account.
	pub node: [u8; 32],
	/// What each segment rests on.
	pub trust: Vec<Trust>,
	/// The block it was verified in.
	pub verified_at: u32,
	/// The storage deposit held from the node until the result is pruned.
	pub deposit: u128,
}

/// Where a request stands (`pallet_inference_receipts::RequestStatus`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum RequestStatus {
	/// Open until `deadline` (inclusive).
	Open {
		/// The last block a receipt is accepted.
		deadline: u32,
	},
	/// Answered, with the receipt id and the result.
	Answered(ReceiptId, VerifiedResult),
	/// It expired unanswered, or its result was pruned after the retention period.
	Pruned,
	/// No request has this id.
	Unknown,
}

/// A model version as stored (`pallet_models::ModelInfo`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ModelInfo {
	/// Its owner.
	pub owner: [u8; 32],
	/// Its version number.
	pub version: u32,
	/// The previous version.
	pub previous: Option<ModelId>,
	/// The manifest.
	pub manifest: Manifest,
	/// The deposit held.
	pub deposit: u128,
	/// 0 active, 1 deprecated.
	pub status: u8,
}

/// An enclave key as stored (`pallet_enclave_registry::EnclaveInfo`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct EnclaveInfo {
	/// The operator that registered it.
	pub operator: [u8; 32],
	/// The measurement its document matched (the digest of its PCRs).
	pub measurement: [u8; 32],
	/// The root its document's chain ended at.
	pub root: [u8; 32],
	/// The document's time (Unix ms).
	pub attested_at_ms: u64,
	/// Its expiry (Unix ms).
	pub expires_at_ms: u64,
	/// Revoked for equivocation.
	pub revoked: bool,
	/// The deposit held from the operator.
	pub deposit: u128,
}

/// A measurement as stored (`pallet_enclave_registry::MeasurementInfo`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct MeasurementInfo {
	/// Its owner (`None`: governance).
	pub owner: Option<[u8; 32]>,
	/// Its name.
	pub name: Vec<u8>,
	/// Its version.
	pub version: u32,
	/// PCR0.
	pub pcr0: [u8; 48],
	/// PCR1.
	pub pcr1: [u8; 48],
	/// PCR2.
	pub pcr2: [u8; 48],
	/// PCR8, if pinned.
	pub pcr8: Option<[u8; 48]>,
	/// A dev-only debug measurement.
	pub debug: bool,
	/// Revoked by governance.
	pub revoked: bool,
	/// The deposit held.
	pub deposit: u128,
	/// How many model segments name it.
	pub refs: u32,
}

/// A verifying key as stored (`pallet_verifier_registry::VkEntry`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct VkEntry {
	/// Its owner; `None` for an orphan (unregistered by its owner while still referenced).
	pub owner: Option<[u8; 32]>,
	/// The deposit held.
	pub deposit: u128,
	/// The key.
	pub vk: VerifyingKey,
	/// The block it was registered in.
	pub registered_at: u32,
	/// References held on it.
	pub refcount: u32,
}

/// The raw key of `pallet.item[key]` in a `Blake2_128Concat` map (a plain value without `key`).
pub fn storage_key(pallet: &str, item: &str, key: Option<&[u8]>) -> Vec<u8> {
	let mut out = sp_crypto_hashing::twox_128(pallet.as_bytes()).to_vec();
	out.extend_from_slice(&sp_crypto_hashing::twox_128(item.as_bytes()));
	if let Some(key) = key {
		out.extend_from_slice(&sp_crypto_hashing::blake2_128(key));
		out.extend_from_slice(key);
	}
	out
}

/// The chain at its latest finalized block.
pub async fn finalized(client: &Client) -> Result<AtBlock, ChainError> {
	client
		.at_current_block()
		.await
		.map_err(|e| ChainError::unreachable(format!("cannot read the finalized block: {e}")))
}

/// `pallet.item[key]` at `at`, decoded; `None` if absent.
pub async fn fetch<V: Decode>(
	at: &AtBlock,
	pallet: &str,
	item: &str,
	key: Option<&[u8]>,
) -> Result<Option<V>, ChainError> {
	let bytes = match at.storage().fetch_raw(storage_key(pallet, item, key)).await {
		Ok(bytes) => bytes,
		Err(subxt::error::StorageError::NoValueFound) => return Ok(None),
		Err(e) => return Err(ChainError::unreachable(format!("cannot read {pallet}.{item}: {e}"))),
	};
	V::decode(&mut &bytes[..])
		.map(Some)
		.map_err(|e| ChainError::unreachable(format!("{pallet}.{item} does not decode: {e}")))
}

/// The result that answered request `id`, through the runtime API (`state_call`).
pub async fn result_of_request(
	at: &AtBlock,
	id: RequestId,
) -> Result<Option<(ReceiptId, VerifiedResult)>, ChainError> {
	let bytes = at
		.runtime_apis()
		.call_raw("InferenceReceiptsApi_result", Some(&id.encode()))
		.await
		.map_err(|e| ChainError::unreachable(format!("InferenceReceiptsApi_result: {e}")))?;
	Option::<(ReceiptId, VerifiedResult)>::decode(&mut &bytes[..]).map_err(|e| {
		ChainError::unreachable(format!("InferenceReceiptsApi_result does not decode: {e}"))
	})
}

/// Where request `id` stands, through the runtime API (`state_call`, API version 2).
pub async fn request_status(at: &AtBlock, id: RequestId) -> Result<RequestStatus, ChainError> {
	let bytes = at
		.runtime_apis()
		.call_raw("InferenceReceiptsApi_request_status", Some(&id.encode()))
		.await
		.map_err(|e| {
			ChainError::unreachable(format!("InferenceReceiptsApi_request_status: {e}"))
		})?;
	RequestStatus::decode(&mut &bytes[..]).map_err(|e| {
		ChainError::unreachable(format!("InferenceReceiptsApi_request_status does not decode: {e}"))
	})
}

/// The result stored under receipt id `id`.
pub async fn result_by_id(
	at: &AtBlock,
	id: &ReceiptId,
) -> Result<Option<VerifiedResult>, ChainError> {
	fetch(at, pallets::RECEIPTS, "Results", Some(&id[..])).await
}

/// The block hash of `at`.
pub fn block_hash(at: &AtBlock) -> [u8; 32] {
	at.block_hash().0
}
