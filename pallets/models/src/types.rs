//! The manifest of a model, its stored record, and what the pallet needs from the registries.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
pub use veritas_primitives::SegmentSpec;
use veritas_primitives::{commitment::MAX_RANK, MeasurementId, VkId};

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
pub trait VkRegistry {
	/// The number of public inputs of the registered key `vk`, or `None` if unknown.
	fn input_count(vk: &VkId) -> Option<u32>;
	/// Takes a reference on `vk` so it cannot be unregistered.
	fn acquire(vk: &VkId) -> DispatchResult;
}

/// The enclave registry, as this pallet needs it.
pub trait MeasurementRegistry {
	/// Whether `id` is a registered, unrevoked measurement.
	fn is_active(id: &MeasurementId) -> bool;
	/// Takes a reference on the active measurement `id` (a segment names it), so that its owner
	/// can no longer revoke it.
	fn acquire(id: &MeasurementId) -> DispatchResult;
}
