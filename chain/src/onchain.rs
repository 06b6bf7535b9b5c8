//! What the clients read from the chain, at one finalized block: Veritas's storage items and
//! the receipts runtime API, each through its address generated from the runtime's metadata
//! ([`crate::runtime::api`]), converted into mirrors of the runtime's types.
//!
//! The generated types are the runtime's as its metadata describes them; the mirrors are what a
//! client works with: vectors for bounded vectors, `[u8; 32]` accounts, `u128` balances, `u32`
//! block numbers, and the types of the runtime's own crates (`veritas_primitives`, the Groth16
//! verifier's keys and proofs) instead of generated copies of them. Each mirror is converted from
//! its generated type field by field ([`from_generated`]), so a field the runtime adds, drops or
//! renames stops this crate from compiling once `chain/metadata/veritas.scale` is written again
//! (`tests/metadata.rs` fails until it is); and subxt checks each address's types against the
//! node's metadata before reading, so a node running another runtime is refused
//! ([`ChainError::Unreachable`], naming the item) instead of misread.

use codec::{Decode, Encode};
use subxt::client::{ClientAtBlock, OnlineClientAtBlockImpl};
use subxt::storage::Address;
use subxt::utils::{AccountId32, H256};
use subxt::PolkadotConfig;
use veritas_primitives::{
	Commitment, Evidence, EvidenceKind, ModelId, OutputMode, ReceiptId, RequestId, Subject,
};
use veritas_verifier_groth16::{Proof, VerifyingKey};

use crate::{runtime::api, ChainError, Client, Manifest};

pub mod from_generated;

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

/// `pallet.item[key]` of one of the SDK's pallets (`System`, `Timestamp`, …), which the generated
/// metadata leaves out, decoded as `V`; `None` if absent. Veritas's own items are read with the
/// typed functions below.
pub async fn fetch_sdk<V: Decode>(
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

/// The value at the generated address `addr` and `key`, decoded as its generated type; `None`
/// if absent (the item's default, if it has one, for a `ValueQuery` item).
async fn read<A: Address>(
	at: &AtBlock,
	addr: A,
	key: A::KeyParts,
) -> Result<Option<A::Value>, ChainError> {
	let name = format!("{}.{}", addr.pallet_name(), addr.entry_name());
	let cannot =
		|e: &dyn std::fmt::Display| ChainError::unreachable(format!("cannot read {name}: {e}"));
	let entry = at.storage().entry(addr).map_err(|e| cannot(&e))?;
	let value = match entry.try_fetch(key).await.map_err(|e| cannot(&e))? {
		Some(value) => Some(value),
		None => entry.default_value(),
	};
	value.map(|v| v.decode()).transpose().map_err(|e| cannot(&e))
}

/// `Models.NextModelId`: the id the next registered model takes.
pub async fn next_model_id(at: &AtBlock) -> Result<ModelId, ChainError> {
	Ok(read(at, api::storage().models().next_model_id(), ()).await?.unwrap_or_default())
}

/// `Models.Models[id]`: model version `id`.
pub async fn model(at: &AtBlock, id: ModelId) -> Result<Option<ModelInfo>, ChainError> {
	read(at, api::storage().models().models(), (id,)).await?.map(TryInto::try_into).transpose()
}

/// `Groth16Verifier.Vks[id]`: the verifying key `id`.
pub async fn vk(at: &AtBlock, id: [u8; 32]) -> Result<Option<VkEntry>, ChainError> {
	read(at, api::storage().groth16_verifier().vks(), (H256(id),))
		.await?
		.map(TryInto::try_into)
		.transpose()
}

/// `EnclaveRegistry.Enclaves[key]`: an enclave key.
pub async fn enclave(at: &AtBlock, key: [u8; 32]) -> Result<Option<EnclaveInfo>, ChainError> {
	Ok(read(at, api::storage().enclave_registry().enclaves(), (key,)).await?.map(Into::into))
}

/// `EnclaveRegistry.Measurements[id]`: a measurement, by the digest of its PCRs.
pub async fn measurement(
	at: &AtBlock,
	id: [u8; 32],
) -> Result<Option<MeasurementInfo>, ChainError> {
	Ok(read(at, api::storage().enclave_registry().measurements(), (id,)).await?.map(Into::into))
}

/// `EnclaveRegistry.TrustedRoots`: the fingerprints of the trusted attestation roots.
pub async fn trusted_roots(at: &AtBlock) -> Result<Vec<[u8; 32]>, ChainError> {
	Ok(read(at, api::storage().enclave_registry().trusted_roots(), ()).await?.unwrap_or_default())
}

/// `EnclaveRegistry.DevelopmentRoots`: the trusted roots the genesis marked as development ones.
pub async fn development_roots(at: &AtBlock) -> Result<Vec<[u8; 32]>, ChainError> {
	Ok(read(at, api::storage().enclave_registry().development_roots(), ())
		.await?
		.unwrap_or_default())
}

/// `Settlement.Escrowed[who]`: the fees `who` has escrowed for its open requests.
pub async fn escrowed(at: &AtBlock, who: [u8; 32]) -> Result<u128, ChainError> {
	Ok(read(at, api::storage().settlement().escrowed(), (AccountId32(who),))
		.await?
		.unwrap_or_default())
}

/// `InferenceReceipts.NextRequestId`: the id the next request takes.
pub async fn next_request_id(at: &AtBlock) -> Result<RequestId, ChainError> {
	Ok(read(at, api::storage().inference_receipts().next_request_id(), ())
		.await?
		.unwrap_or_default())
}

/// `InferenceReceipts.Requests[id]`: request `id` while it is open.
pub async fn request(at: &AtBlock, id: RequestId) -> Result<Option<Request>, ChainError> {
	read(at, api::storage().inference_receipts().requests(), (id,))
		.await?
		.map(TryInto::try_into)
		.transpose()
}

/// `InferenceReceipts.Results[id]`: the result stored under receipt id `id`.
pub async fn result_by_id(
	at: &AtBlock,
	id: &ReceiptId,
) -> Result<Option<VerifiedResult>, ChainError> {
	read(at, api::storage().inference_receipts().results(), (*id,))
		.await?
		.map(TryInto::try_into)
		.transpose()
}

/// `InferenceReceipts.LatestResults[model]`: the receipt ids of the model's latest results,
/// oldest first (some may have been pruned since).
pub async fn latest_results(at: &AtBlock, model: ModelId) -> Result<Vec<ReceiptId>, ChainError> {
	Ok(read(at, api::storage().inference_receipts().latest_results(), (model,))
		.await?
		.unwrap_or_default())
}

/// Calls the runtime API `payload` at `at`, decoded as its generated type.
async fn call_api<P: subxt::runtime_apis::Payload>(
	at: &AtBlock,
	payload: P,
) -> Result<P::ReturnType, ChainError> {
	let name = format!("{}_{}", payload.trait_name(), payload.method_name());
	at.runtime_apis()
		.call(payload)
		.await
		.map_err(|e| ChainError::unreachable(format!("{name}: {e}")))
}

/// The result that answered request `id`, through the runtime API.
pub async fn result_of_request(
	at: &AtBlock,
	id: RequestId,
) -> Result<Option<(ReceiptId, VerifiedResult)>, ChainError> {
	let answer = call_api(at, api::runtime_apis().inference_receipts_api().result(id)).await?;
	answer.map(|(receipt, result)| Ok((receipt, result.try_into()?))).transpose()
}

/// Where request `id` stands, through the runtime API (API version 2).
pub async fn request_status(at: &AtBlock, id: RequestId) -> Result<RequestStatus, ChainError> {
	call_api(at, api::runtime_apis().inference_receipts_api().request_status(id)).await?.try_into()
}

/// The block hash of `at`.
pub fn block_hash(at: &AtBlock) -> [u8; 32] {
	at.block_hash().0
}
