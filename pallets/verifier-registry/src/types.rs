//! The SCALE types the pallet stores.

use codec::{Decode, Encode, MaxEncodedLen};
use core::fmt::Debug;
use scale_info::TypeInfo;

/// A registered verifying key and its bookkeeping.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct VkEntry<AccountId, Balance, BlockNumber, Vk> {
	/// Who registered the key, pays its deposit and may unregister it; `None` once its owner
	/// unregistered it while other pallets still referenced it (an orphan: kept, with no
	/// deposit, until its last reference is released).
	pub owner: Option<AccountId>,
	/// The deposit held from `owner` for as long as the key is registered (0 for an orphan).
	pub deposit: Balance,
	/// The key, in the verifier's canonical form; validated once, at registration.
	pub vk: Vk,
	/// The block in which the key was registered.
	pub registered_at: BlockNumber,
	/// How many references other pallets hold on the key (for example models whose segments
	/// accept proofs under it). Unregistering a key with references orphans it.
	pub refcount: u32,
}

impl<AccountId, Balance, BlockNumber, Vk> VkEntry<AccountId, Balance, BlockNumber, Vk> {
	/// A new entry, with no references.
	pub const fn new(
		owner: AccountId,
		deposit: Balance,
		vk: Vk,
		registered_at: BlockNumber,
	) -> Self {
		Self { owner: Some(owner), deposit, vk, registered_at, refcount: 0 }
	}
}
