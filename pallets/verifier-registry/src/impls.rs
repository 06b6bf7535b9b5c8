//! The pallet's logic behind its calls (`do_*`), the Rust API other pallets call, and the
//! adapter from generated weights to [`WeightInfo`].

use alloc::vec::Vec;
use codec::Encode;
use core::marker::PhantomData;
use frame_support::{
	dispatch::DispatchResult,
	ensure,
	traits::{fungible::MutateHold, tokens::Precision, Get},
	weights::Weight,
};
use sp_runtime::traits::{Saturating, Zero};
use veritas_verifier_traits::{statement_hash, OnProofVerified, Verifier, WeightInfo, H256};

use crate::{
	pallet::{BalanceOf, ProofOf, PubsOf, VkOf},
	weights, Config, Error, Event, HoldReason, Pallet, VkEntry, Vks, LOG_TARGET,
};

impl<T: Config<I>, I: 'static> Pallet<T, I> {
	/// The deposit a key of `len` encoded bytes costs: `VkDeposit + ByteDeposit × len`.
	pub fn deposit_for(len: u32) -> BalanceOf<T, I> {
		T::VkDeposit::get().saturating_add(T::ByteDeposit::get().saturating_mul(len.into()))
	}

	/// Validates `vk`, holds its deposit from `who` and stores it; returns its id.
	pub(crate) fn do_register_vk(
		who: &T::AccountId,
		vk: VkOf<T, I>,
	) -> Result<H256, sp_runtime::DispatchError> {
		let len = vk.encoded_size();
		ensure!(len <= T::MaxVkLen::get() as usize, Error::<T, I>::VerificationKeyTooLarge);
		let vk_id = T::Verifier::vk_hash(&vk);
		ensure!(!Vks::<T, I>::contains_key(vk_id), Error::<T, I>::VerificationKeyAlreadyRegistered);
		T::Verifier::validate_vk(&vk).map_err(|e| {
			log::debug!(target: LOG_TARGET, "key {vk_id:?} refused: {e:?}");
			Error::<T, I>::InvalidVerificationKey
		})?;
		let deposit = Self::deposit_for(len as u32);
		T::Currency::hold(&HoldReason::VkDeposit.into(), who, deposit)?;
		let now = frame_system::Pallet::<T>::block_number();
		Vks::<T, I>::insert(vk_id, VkEntry::new(who.clone(), deposit, vk, now));
		Ok(vk_id)
	}

	/// Releases the deposit of `who`'s key `vk_id` and removes the key, or, while other pallets
	/// reference it, orphans it (no owner, no deposit) until the last reference is released: a
	/// reference taken by anyone never locks the owner's deposit (L1).
	pub(crate) fn do_unregister_vk(who: &T::AccountId, vk_id: H256) -> DispatchResult {
		let mut entry = Vks::<T, I>::get(vk_id).ok_or(Error::<T, I>::VerificationKeyNotFound)?;
		ensure!(entry.owner.as_ref() == Some(who), Error::<T, I>::NotOwner);
		T::Currency::release(
			&HoldReason::VkDeposit.into(),
			who,
			entry.deposit,
			Precision::BestEffort,
		)?;
		if entry.refcount == 0 {
			Vks::<T, I>::remove(vk_id);
		} else {
			entry.owner = None;
			entry.deposit = Zero::zero();
			Vks::<T, I>::insert(vk_id, entry);
		}
		Ok(())
	}

	/// Verifies one proof under the registered key `vk_id`; returns the statement and the
	/// verifier's actual weight, if it reported one. Reads storage, writes nothing.
	pub(crate) fn do_verify(
		vk_id: &H256,
		proof: &ProofOf<T, I>,
		pubs: &PubsOf<T, I>,
	) -> Result<(H256, Option<Weight>), Error<T, I>> {
		ensure!(T::Verifier::pubs_count(pubs) <= T::MaxInputs::get(), Error::<T, I>::TooManyInputs);
		let entry = Vks::<T, I>::get(vk_id).ok_or(Error::<T, I>::VerificationKeyNotFound)?;
		let used = T::Verifier::verify_validated(&entry.vk, proof, pubs)?;
		Ok((statement_hash::<T::Verifier>(vk_id, pubs), used))
	}

	/// The weight `submit_proof` is charged after dispatch: the declared weight, lowered when the
	/// verifier reported its actual cost (`used`) plus the key read and the hook.
	pub(crate) fn submit_proof_actual_weight(
		proof: &ProofOf<T, I>,
		pubs: &PubsOf<T, I>,
		used: Option<Weight>,
	) -> Option<Weight> {
		let declared =
			T::WeightInfo::submit_proof(proof, pubs).saturating_add(T::OnProofVerified::weight());
		used.map(|w| {
			let overhead = T::DbWeight::get().reads(1).saturating_add(T::OnProofVerified::weight());
			declared.min(w.saturating_add(overhead))
		})
	}

	/// Verifies `proof` of `pubs` under the registered key `vk_id` and returns the statement.
	///
	/// For other pallets. Emits `ProofVerified`, but does not call `OnProofVerified`: the caller
	/// is the consumer. Its weight is `T::WeightInfo::submit_proof(proof, pubs)`; the caller
	/// charges it.
	pub fn verify_proof(
		vk_id: &H256,
		proof: &ProofOf<T, I>,
		pubs: &PubsOf<T, I>,
	) -> Result<H256, Error<T, I>> {
		let (statement, _) = Self::do_verify(vk_id, proof, pubs)?;
		Self::deposit_event(Event::ProofVerified { vk_id: *vk_id, statement });
		Ok(statement)
	}

	/// Verifies every `(proof, pubs)` of `items` under the registered key `vk_id` at once and
	/// returns their statements, in order; fails if any one fails (the verifier may not say which).
	///
	/// For other pallets. Emits one `ProofVerified` per item on success, does not call
	/// `OnProofVerified`. Takes 1 to `MaxBatchSize` items; its weight is
	/// `T::WeightInfo::verify_batch(items)`.
	pub fn verify_batch(
		vk_id: &H256,
		items: &[(ProofOf<T, I>, PubsOf<T, I>)],
	) -> Result<Vec<H256>, Error<T, I>> {
		ensure!(
			!items.is_empty() && items.len() <= T::MaxBatchSize::get() as usize,
			Error::<T, I>::BadBatchSize
		);
		let max_inputs = T::MaxInputs::get();
		ensure!(
			items.iter().all(|(_, pubs)| T::Verifier::pubs_count(pubs) <= max_inputs),
			Error::<T, I>::TooManyInputs
		);
		let entry = Vks::<T, I>::get(vk_id).ok_or(Error::<T, I>::VerificationKeyNotFound)?;
		T::Verifier::verify_batch_validated(&entry.vk, items)?;
		let statements: Vec<H256> =
			items.iter().map(|(_, pubs)| statement_hash::<T::Verifier>(vk_id, pubs)).collect();
		for statement in &statements {
			Self::deposit_event(Event::ProofVerified { vk_id: *vk_id, statement: *statement });
		}
		Ok(statements)
	}

	/// Takes a reference on the key `vk_id`, so it cannot be unregistered until released.
	pub fn acquire_vk(vk_id: &H256) -> DispatchResult {
		Vks::<T, I>::try_mutate(vk_id, |entry| {
			let entry = entry.as_mut().ok_or(Error::<T, I>::VerificationKeyNotFound)?;
			entry.refcount =
				entry.refcount.checked_add(1).ok_or(Error::<T, I>::TooManyReferences)?;
			Ok(())
		})
	}

	/// Releases a reference taken with [`Self::acquire_vk`]; an orphan goes with its last one.
	pub fn release_vk(vk_id: &H256) -> DispatchResult {
		Vks::<T, I>::try_mutate_exists(vk_id, |slot| {
			let entry = slot.as_mut().ok_or(Error::<T, I>::VerificationKeyNotFound)?;
			entry.refcount =
				entry.refcount.checked_sub(1).ok_or(Error::<T, I>::VerificationKeyNotReferenced)?;
			if entry.refcount == 0 && entry.owner.is_none() {
				*slot = None;
			}
			Ok(())
		})
	}

	/// The registered key `vk_id`, if any.
	pub fn vk(vk_id: &H256) -> Option<VkOf<T, I>> {
		Vks::<T, I>::get(vk_id).map(|entry| entry.vk)
	}

	/// The invariants of the pallet's storage:
	/// - every key is stored under its own id and within `MaxVkLen`;
	/// - each owner's deposit held for this instance equals the sum of their keys' deposits.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		let mut held: BTreeMap<T::AccountId, BalanceOf<T, I>> = BTreeMap::new();
		for (vk_id, entry) in Vks::<T, I>::iter() {
			ensure!(T::Verifier::vk_hash(&entry.vk) == vk_id, "a key is stored under a wrong id");
			ensure!(
				entry.vk.encoded_size() <= T::MaxVkLen::get() as usize,
				"a stored key is longer than MaxVkLen"
			);
			let Some(owner) = entry.owner else {
				ensure!(entry.refcount > 0, "an orphaned key without references");
				ensure!(entry.deposit.is_zero(), "an orphaned key with a deposit");
				continue;
			};
			let sum = held.entry(owner).or_insert_with(BalanceOf::<T, I>::zero);
			*sum = sum.saturating_add(entry.deposit);
		}
		for (owner, sum) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::VkDeposit.into(), &owner) == sum,
				"an owner's held deposit differs from the sum of their keys' deposits"
			);
		}
		Ok(())
	}
}

/// Turns the pallet's generated [`weights::WeightInfo`] (by key length, input count and batch
/// size) into the [`WeightInfo`] of any verifier `V`, measuring each argument cheaply.
pub struct VerifierWeights<W>(PhantomData<W>);

impl<V: Verifier, W: weights::WeightInfo> WeightInfo<V> for VerifierWeights<W> {
	fn register_vk(vk: &V::Vk) -> Weight {
		W::register_vk(vk.encoded_size().try_into().unwrap_or(u32::MAX))
	}

	fn unregister_vk() -> Weight {
		W::unregister_vk()
	}

	fn submit_proof(_proof: &V::Proof, pubs: &V::Pubs) -> Weight {
		W::submit_proof(V::pubs_count(pubs))
	}

	fn verify_batch(items: &[(V::Proof, V::Pubs)]) -> Weight {
		let b = items.len().try_into().unwrap_or(u32::MAX);
		let n = items.iter().map(|(_, pubs)| V::pubs_count(pubs)).max().unwrap_or(0);
		W::verify_batch(b, n)
	}
}
