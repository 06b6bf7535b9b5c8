//! The manifest of a model, its stored record, and what the pallet needs from the registries.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
pub use veritas_primitives::SegmentSpec;
use veritas_primitives::{commitment::MAX_RANK, MeasurementId, ModelId, VkId};

/// A tensor shape (at most the commitment rule's `MAX_RANK` dimensions).
pub type Shape = BoundedVec<u32, ConstU32<{ MAX_RANK as u32 }>>;

/// What a model owner registers.
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
#[scale_info(skip_type_params(MaxNameLen, MaxSegments))]
pub struct ModelManifest<MaxNameLen: Get<u32>, MaxSegments: Get<u32>> {
	/// The model's name (UTF-8); versions of one model share it.
	pub name: BoundedVec<u8, MaxNameLen>,
	/// SHA-256 of the model file (ONNX).
	pub file_hash: [u8; 32],
	/// The quantization scale: a real number `x` is the integer `round(x · scale)`.
	pub scale: u32,
	/// The shape of the model's input tensor.
	pub input_shape: Shape,
	/// The shape of the model's output tensor.
	pub output_shape: Shape,
	/// The pipeline, in order; at least one segment.
	pub segments: BoundedVec<SegmentSpec, MaxSegments>,
	/// Made with development trust anchors (keys from the public development setup seed, a
	/// development enclave image): what its results rest on proves nothing, and clients say so.
	pub development: bool,
}

impl<MaxNameLen: Get<u32>, MaxSegments: Get<u32>> ModelManifest<MaxNameLen, MaxSegments> {
	/// The digest of the model's content ([`veritas_primitives::model_digest`]): what evidence
	/// names besides the model's id, so that it settles only the model the enclave or prover ran.
	pub fn digest(&self) -> [u8; 32] {
		veritas_primitives::model_digest(
			&self.file_hash,
			self.scale,
			&self.input_shape,
			&self.output_shape,
			&self.segments,
			self.development,
		)
	}
}

/// Whether new requests may use a model.
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
pub enum ModelStatus {
	/// Usable.
	Active,
	/// Deprecated by its owner or governance: no new requests. Its record and key references
	/// stay, so past results remain re-verifiable.
	Deprecated,
}

/// A registered model version.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxNameLen, MaxSegments))]
pub struct ModelInfo<
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxNameLen: Get<u32>,
	MaxSegments: Get<u32>,
> {
	/// Who registered it (and may deprecate it or publish the next version).
	pub owner: AccountId,
	/// 1 for the first version of a name, then one more per version.
	pub version: u32,
	/// The previous version, if any.
	pub previous: Option<veritas_primitives::ModelId>,
	/// The manifest.
	pub manifest: ModelManifest<MaxNameLen, MaxSegments>,
	/// The deposit held from the owner while the model is active.
	pub deposit: Balance,
	/// Active or deprecated.
	pub status: ModelStatus,
}

/// The verifying-key registry, as this pallet needs it.
pub trait VkRegistry<AccountId, Balance> {
	/// The number of public inputs of the registered key `vk`, or `None` if unknown.
	fn input_count(vk: &VkId) -> Option<u32>;
	/// Takes a reference on `vk` so it cannot be unregistered.
	fn acquire(vk: &VkId) -> DispatchResult;
	/// Releases a reference taken with `acquire` (a model naming `vk` was removed).
	fn release(vk: &VkId) -> DispatchResult;
	/// What `vk`'s storage costs (its registration deposit) when `who` does not own it; zero
	/// when `who` does. A model naming another account's key pays this too, so that the key's
	/// storage stays paid for after its owner unregisters it and it lives on as an orphan
	/// while the model references it (L1 of the security review).
	fn foreign_deposit(vk: &VkId, who: &AccountId) -> Balance;
}

/// The enclave registry, as this pallet needs it.
pub trait MeasurementRegistry {
	/// Whether `id` is a registered, unrevoked measurement.
	fn is_active(id: &MeasurementId) -> bool;
	/// Takes a reference on the active measurement `id` (a segment names it), so that its owner
	/// can no longer revoke it.
	fn acquire(id: &MeasurementId) -> DispatchResult;
	/// Releases a reference taken with `acquire` (a model naming `id` was removed).
	fn release(id: &MeasurementId) -> DispatchResult;
}

/// Who knows whether a model is still used: the receipts pallet (open requests, stored
/// results). A model in use cannot be removed.
pub trait ModelUsage {
	/// Whether `model` has open requests or stored results.
	fn is_in_use(model: ModelId) -> bool;
}

/// No usage is known: every model may be removed once deprecated (for tests).
impl ModelUsage for () {
	fn is_in_use(_model: ModelId) -> bool {
		false
	}
}

/// A name's owner, its latest version and how many of its versions are stored.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct NameInfo<AccountId> {
	/// The account that registered the name first; only it publishes versions.
	pub owner: AccountId,
	/// The id of the latest version (it may have been removed).
	pub latest: ModelId,
	/// The latest version's number: the next one is this plus one.
	pub latest_version: u32,
	/// How many versions are stored; the name is free again when none is.
	pub stored: u32,
}
