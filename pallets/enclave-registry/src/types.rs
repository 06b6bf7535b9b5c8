//! What the pallet stores: measurements and enclave keys.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use scale_info::TypeInfo;

/// SHA-256 of a root certificate's DER.
pub type Fingerprint = [u8; 32];
/// A measurement's id: [`veritas_primitives::measurement_id`] of its PCRs.
pub use veritas_primitives::MeasurementId;
/// A SHA-384 PCR value.
pub use veritas_primitives::Pcr;
/// An enclave's ed25519 session key.
pub type EnclaveKey = [u8; 32];

/// An enclave image's measurement: the PCRs a document must report, and its bookkeeping.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxName))]
pub struct MeasurementInfo<AccountId, Balance, MaxName: Get<u32>> {
	/// Who registered it and holds its deposit; `None` for governance.
	pub owner: Option<AccountId>,
	/// A human name, e.g. `digits-mlp`.
	pub name: BoundedVec<u8, MaxName>,
	/// The owner's version number of the image.
	pub version: u32,
	/// PCR0: the enclave image.
	pub pcr0: Pcr,
	/// PCR1: the kernel and bootstrap.
	pub pcr1: Pcr,
	/// PCR2: the application.
	pub pcr2: Pcr,
	/// PCR8: the image's signing certificate, if pinned.
	pub pcr8: Option<Pcr>,
	/// A dev-only measurement of debug-mode enclaves (all-zero PCRs); only on chains whose
	/// genesis allows them.
	pub debug: bool,
	/// Revoked by governance: no key may be registered under it, every key under it is
	/// invalid, and its PCRs can never be registered again.
	pub revoked: bool,
	/// The deposit held from `owner` (released when governance revokes it).
	pub deposit: Balance,
	/// How many model segments name it. While any does, only governance may revoke it.
	pub refs: u32,
}

/// A registered enclave key.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct EnclaveInfo<AccountId, Balance> {
	/// The inference node's operator that registered it (bound in the document's `user_data`).
	pub operator: AccountId,
	/// The measurement the enclave's PCRs matched.
	pub measurement: MeasurementId,
	/// The root its document's chain ended at.
	pub root: Fingerprint,
	/// The document's time (Unix milliseconds); a renewal needs a later document.
	pub attested_at_ms: u64,
	/// When the key stops being valid without a renewal (Unix milliseconds).
	pub expires_at_ms: u64,
	/// Revoked for a proven equivocation: invalid for good, never renewed.
	pub revoked: bool,
	/// The storage deposit held from `operator` since the first registration (not taken again
	/// at renewals), released by `remove_enclave` once the key has expired and its grace has
	/// passed; a revoked key's record stays (it may never be registered again), and so does its
	/// deposit.
	pub deposit: Balance,
}

/// The prefix of `user_data` in a registration document: `user_data` is this, the genesis hash
/// (32 bytes) and the operator's SCALE-encoded account id.
pub const USER_DATA_DOMAIN: &[u8] = b"veritas/enclave/v1";

/// The `user_data` a document registering a key for `operator` on the chain `genesis` carries.
pub fn user_data_for<AccountId: Encode>(
	genesis: &[u8; 32],
	operator: &AccountId,
) -> alloc::vec::Vec<u8> {
	let mut out = USER_DATA_DOMAIN.to_vec();
	out.extend_from_slice(genesis);
	operator.encode_to(&mut out);
	out
}

/// The domain-separated message an enclave key signs for `payload` (so an enclave signature can
/// never be replayed as a signature over something else): `veritas_primitives`'
/// `enclave_signing_message`, which off-chain verifiers use too.
pub use veritas_primitives::enclave_signing_message as signing_message;
