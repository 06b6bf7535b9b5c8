//! # Verifier registry pallet
//!
//! A registry of verifying keys and on-chain proof verification for one proof system, chosen by
//! the runtime through [`Config::Verifier`] (any [`Verifier`]). The pallet is instanceable: one
//! instance per proof system (`Groth16Verifier` is the Groth16 instance). It knows nothing of
//! pairings or attestation formats; all of that is in the verifier crate.
//!
//! ## Terminology
//!
//! - **Verifying key** (`vk`): the verifier's key type; registered once, validated fully then.
//! - **Key id** (`vk_id`): [`Verifier::vk_hash`] of the key, e.g. SHA-256 of its SCALE encoding
//!   for Groth16, so anyone can compute it offline (`veritas groth16 vk-id`).
//! - **Statement**: what a verified proof establishes,
//!   [`statement_hash`]`(vk_id, pubs)` = `H(H(CONTEXT) ‖ vk_id ‖ VERSION ‖ H(pubs))`. It never
//!   depends on the proof bytes: proofs are malleable, statements are not.
//!
//! ## Interface
//!
//! Calls:
//! - `register_vk(vk)`: validates the key, holds a deposit of
//!   `VkDeposit + ByteDeposit × encoded length` from the caller, stores it. Emits `VkRegistered`.
//! - `unregister_vk(vk_id)`: the owner gets the deposit back; an unreferenced key is removed, a
//!   referenced one stays for those who reference it, orphaned (no owner, no deposit), until the
//!   last reference is released: nobody can lock an owner's deposit by referencing the key.
//!   Emits `VkUnregistered`.
//! - `submit_proof(vk_id, proof, pubs)`: verifies a proof under a registered key. Emits
//!   `ProofVerified { vk_id, statement }` and tells [`Config::OnProofVerified`]. A failed
//!   verification is an error: nothing is stored and no event is emitted, but the transaction
//!   fee (for the declared weight) is paid, as FRAME charges it before dispatch.
//!
//! Rust API for other pallets ([`Pallet::verify_proof`], [`Pallet::verify_batch`],
//! [`Pallet::acquire_vk`], [`Pallet::release_vk`]): verify one proof or a batch under a registered
//! key and get the statements; hold references on keys so they stay while in use.
//!
//! ## Hooks
//!
//! - `integrity_test`: the configured limits are sane and within the verifier's own limits.
//! - `try_state`: every key is stored under its own id, within the size limit, and each owner's
//!   held deposit equals the sum of the deposits of the keys they own.
//!
//! ## Complexity
//!
//! `register_vk` is linear in the key's size (validation), `submit_proof` in the number of public
//! inputs, `verify_batch` in the batch size; the benchmarks (`benchmarking.rs`) measure exactly
//! these.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

mod impls;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use impls::VerifierWeights;
pub use pallet::*;
pub use types::VkEntry;
pub use veritas_verifier_traits::{
	statement_hash, OnProofVerified, Verifier, VerifyError, WeightInfo, H256,
};

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::verifier-registry";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Zero;

	/// The in-code storage version. 2: a key's owner is optional (an orphan has none, L1). No
	/// migration from 1: no chain ran it outside development.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	/// The balance type of [`Config::Currency`].
	pub type BalanceOf<T, I = ()> = <<T as Config<I>>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// The verifier of an instance.
	pub type VerifierOf<T, I = ()> = <T as Config<I>>::Verifier;
	/// The verifying-key type of an instance.
	pub type VkOf<T, I = ()> = <VerifierOf<T, I> as Verifier>::Vk;
	/// The proof type of an instance.
	pub type ProofOf<T, I = ()> = <VerifierOf<T, I> as Verifier>::Proof;
	/// The public-inputs type of an instance.
	pub type PubsOf<T, I = ()> = <VerifierOf<T, I> as Verifier>::Pubs;
	/// A stored key with its bookkeeping.
	pub type VkEntryOf<T, I = ()> = VkEntry<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T, I>,
		BlockNumberFor<T>,
		VkOf<T, I>,
	>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T, I = ()>(PhantomData<(T, I)>);

	#[pallet::config]
	pub trait Config<I: 'static = ()>:
		frame_system::Config<RuntimeEvent: From<Event<Self, I>>>
	{
		/// The proof system this instance accepts.
		type Verifier: Verifier;

		/// Told of every statement verified through `submit_proof`.
		type OnProofVerified: OnProofVerified<Self::AccountId>;

		/// Benchmarked weights of the calls for `Self::Verifier` (in a runtime,
		/// [`VerifierWeights`] over the generated weights).
		type WeightInfo: WeightInfo<Self::Verifier>;

		/// The currency the key deposits are held in.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason<I>>;

		/// The fixed part of a key's deposit.
		#[pallet::constant]
		type VkDeposit: Get<BalanceOf<Self, I>>;

		/// The deposit per byte of a key's SCALE encoding.
		#[pallet::constant]
		type ByteDeposit: Get<BalanceOf<Self, I>>;

		/// The longest SCALE encoding of a key that may be registered, in bytes.
		#[pallet::constant]
		type MaxVkLen: Get<u32>;

		/// The most public inputs a statement may have (at most `Verifier::MAX_INPUTS`).
		#[pallet::constant]
		type MaxInputs: Get<u32>;

		/// The most proofs [`Pallet::verify_batch`] takes at once.
		#[pallet::constant]
		type MaxBatchSize: Get<u32>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason<I: 'static = ()> {
		/// The deposit of a registered verifying key.
		VkDeposit,
	}

	/// The registered verifying keys, by id ([`Verifier::vk_hash`]).
	#[pallet::storage]
	pub type Vks<T: Config<I>, I: 'static = ()> =
		StorageMap<_, Blake2_128Concat, H256, VkEntryOf<T, I>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config<I>, I: 'static = ()> {
		/// A verifying key was registered.
		VkRegistered {
			/// The key's id.
			vk_id: H256,
			/// Who registered it (and pays its deposit).
			owner: T::AccountId,
		},
		/// A verifying key was unregistered and its deposit released.
		VkUnregistered {
			/// The key's id.
			vk_id: H256,
			/// Who owned it (and got the deposit back).
			owner: T::AccountId,
		},
		/// A proof was verified.
		ProofVerified {
			/// The id of the key it was verified under.
			vk_id: H256,
			/// The statement it proves ([`statement_hash`]).
			statement: H256,
		},
	}

	#[pallet::error]
	pub enum Error<T, I = ()> {
		/// No verifying key is registered under this id.
		VerificationKeyNotFound,
		/// A verifying key with this id is already registered.
		VerificationKeyAlreadyRegistered,
		/// The key's encoding is longer than `MaxVkLen`.
		VerificationKeyTooLarge,
		/// The verifier refused the key (malformed, off the curve, degenerate, ...).
		InvalidVerificationKey,
		/// The proof is malformed or does not verify.
		InvalidProof,
		/// The public inputs are malformed or do not match the key.
		InvalidInput,
		/// The statement has more public inputs than `MaxInputs`.
		TooManyInputs,
		/// The batch is empty or has more proofs than `MaxBatchSize`.
		BadBatchSize,
		/// The verifier refused the statement by policy.
		VerificationRejected,
		/// The verifier does not support this kind of key or proof.
		UnsupportedByVerifier,
		/// Only the key's owner may do this.
		NotOwner,
		/// The key has no reference to release.
		VerificationKeyNotReferenced,
		/// The key has the most references it can count.
		TooManyReferences,
	}

	impl<T, I> From<VerifyError> for Error<T, I> {
		fn from(e: VerifyError) -> Self {
			match e {
				VerifyError::InvalidInput => Self::InvalidInput,
				VerifyError::InvalidProof => Self::InvalidProof,
				VerifyError::InvalidVk => Self::InvalidVerificationKey,
				VerifyError::Rejected => Self::VerificationRejected,
				VerifyError::Unsupported => Self::UnsupportedByVerifier,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config<I>, I: 'static> Hooks<BlockNumberFor<T>> for Pallet<T, I> {
		fn integrity_test() {
			let max_inputs = T::MaxInputs::get();
			assert!(max_inputs >= 1, "MaxInputs must allow at least one public input");
			assert!(
				max_inputs <= T::Verifier::MAX_INPUTS,
				"MaxInputs ({max_inputs}) exceeds the verifier's limit ({})",
				T::Verifier::MAX_INPUTS
			);
			assert!(T::MaxVkLen::get() > 0, "MaxVkLen must be positive");
			assert!(T::MaxBatchSize::get() > 0, "MaxBatchSize must be positive");
			assert!(
				!(T::VkDeposit::get().is_zero() && T::ByteDeposit::get().is_zero()),
				"a key must cost a deposit, or storage can be filled for free"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config<I>, I: 'static> Pallet<T, I> {
		/// Registers the verifying key `vk`, validated fully, under its id, holding a deposit
		/// from the caller.
		///
		/// Emits `VkRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_vk(vk))]
		pub fn register_vk(origin: OriginFor<T>, vk: Box<VkOf<T, I>>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let vk_id = Self::do_register_vk(&who, *vk)?;
			Self::deposit_event(Event::VkRegistered { vk_id, owner: who });
			Ok(())
		}

		/// Unregisters the caller's key `vk_id` and releases its deposit. While other pallets
		/// reference the key, it stays for them, orphaned (no owner, no deposit), until their last
		/// reference is released.
		///
		/// Emits `VkUnregistered`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unregister_vk())]
		pub fn unregister_vk(origin: OriginFor<T>, vk_id: H256) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unregister_vk(&who, vk_id)?;
			Self::deposit_event(Event::VkUnregistered { vk_id, owner: who });
			Ok(())
		}

		/// Verifies `proof` of the statement `pubs` under the registered key `vk_id`.
		///
		/// Emits `ProofVerified { vk_id, statement }` and tells `OnProofVerified`. On failure
		/// nothing is stored, nothing is emitted, and the fee is paid.
		#[pallet::call_index(2)]
		#[pallet::weight(
			T::WeightInfo::submit_proof(proof, pubs)
				.saturating_add(T::OnProofVerified::weight())
		)]
		pub fn submit_proof(
			origin: OriginFor<T>,
			vk_id: H256,
			proof: Box<ProofOf<T, I>>,
			pubs: Box<PubsOf<T, I>>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (statement, used) = Self::do_verify(&vk_id, &proof, &pubs)?;
			Self::deposit_event(Event::ProofVerified { vk_id, statement });
			T::OnProofVerified::on_proof_verified(&who, &vk_id, &statement);
			Ok(Self::submit_proof_actual_weight(&proof, &pubs, used).into())
		}
	}
}
