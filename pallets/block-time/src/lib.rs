//! # Block time pallet
//!
//! The chain's block time: the duration of an Aura slot, in milliseconds, fixed when the chain
//! is created. Production chains keep the default, [`Config::DefaultSlotDuration`] (six seconds);
//! a development chain may set a shorter one in its genesis (`veritas-node --dev
//! --dev-block-time MS`), so that end-to-end tests and local work do not wait on six-second
//! slots while Aura and GRANDPA still run as on a real chain.
//!
//! ## Interface
//! - Genesis: `slot_duration_ms` (JSON `"blockTime": {"slotDurationMs": N}`), an even number of
//!   milliseconds in [`MIN_SLOT_DURATION_MS`]`..=`[`MAX_SLOT_DURATION_MS`]; absent, the default.
//! - [`MinimumPeriod`]: half the slot duration, for `pallet_timestamp::Config::MinimumPeriod`, from
//!   which Aura derives its slot duration (`pallet_aura::MinimumPeriodTimesTwo`).
//!
//! There is no call: a live chain cannot change its slot duration (Aura's slot numbers, and
//! with them every block's author, would change under it).
//!
//! ## Caveat
//! `pallet_timestamp::MinimumPeriod` and `pallet_aura::SlotDuration` are metadata constants, read
//! here from storage: on a chain with a non-default block time the metadata names that chain's
//! value, so it differs from the metadata whose hash the runtime was built with, and a signer
//! that uses `CheckMetadataHash`'s hash mode (an offline signer) is refused there. Chains on the
//! default block time have the built metadata.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

#[cfg(test)]
mod tests;

use frame_support::traits::Get;
pub use pallet::*;

/// The shortest slot a genesis may set: below it, authoring (two thirds of a slot) and GRANDPA's
/// gossip (a third of a second) cannot keep up.
pub const MIN_SLOT_DURATION_MS: u64 = 100;
/// The longest slot a genesis may set.
pub const MAX_SLOT_DURATION_MS: u64 = 60_000;

/// Whether `ms` is a slot duration a genesis may set: even (Aura's slot is twice the timestamp's
/// minimum period) and within [`MIN_SLOT_DURATION_MS`]`..=`[`MAX_SLOT_DURATION_MS`].
pub fn is_valid_slot_duration(ms: u64) -> bool {
	ms.is_multiple_of(2) && (MIN_SLOT_DURATION_MS..=MAX_SLOT_DURATION_MS).contains(&ms)
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::BlockNumberFor;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The slot duration of a chain whose genesis sets none, in milliseconds.
		#[pallet::constant]
		type DefaultSlotDuration: Get<u64>;
	}

	/// [`Config::DefaultSlotDuration`], the value of [`SlotDuration`] until genesis sets one.
	#[pallet::type_value]
	pub fn DefaultSlotDurationValue<T: Config>() -> u64 {
		T::DefaultSlotDuration::get()
	}

	/// The slot duration in milliseconds, set once at genesis.
	#[pallet::storage]
	pub type SlotDuration<T: Config> =
		StorageValue<_, u64, ValueQuery, DefaultSlotDurationValue<T>>;

	/// The genesis: an optional slot duration.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The slot duration in milliseconds; `None` keeps [`Config::DefaultSlotDuration`].
		pub slot_duration_ms: Option<u64>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(ms) = self.slot_duration_ms {
				assert!(
					is_valid_slot_duration(ms),
					"genesis: blockTime.slotDurationMs must be even and within \
					 {MIN_SLOT_DURATION_MS}..={MAX_SLOT_DURATION_MS}, not {ms}"
				);
				SlotDuration::<T>::put(ms);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				is_valid_slot_duration(T::DefaultSlotDuration::get()),
				"DefaultSlotDuration must be even and within the bounds"
			);
		}
	}
}

/// Half the chain's slot duration: `pallet_timestamp`'s minimum period between blocks, from which
/// `pallet_aura::MinimumPeriodTimesTwo` gives Aura its slot duration back.
pub struct MinimumPeriod<T>(core::marker::PhantomData<T>);

impl<T: Config> Get<u64> for MinimumPeriod<T> {
	fn get() -> u64 {
		SlotDuration::<T>::get() / 2
	}
}
