//! The invariants `try_state` checks.

use frame_support::pallet_prelude::*;
use sp_runtime::traits::Saturating;
use veritas_primitives::{ModelId, Subject};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Every open request's escrow and deposit are held (the settlement pallet's records
	/// sum them per requester), every node's held result deposit is the sum of its stored
	/// results' deposits and every reporter's held report deposit that of its commitments,
	/// every answered request points at a stored result, every stored
	/// result is indexed for pruning once, and each model's usage counts its open requests
	/// and stored results.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		let mut escrowed: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut usage: BTreeMap<ModelId, u32> = BTreeMap::new();
		for (id, r) in Requests::<T>::iter() {
			ensure!(Expiring::<T>::contains_key(r.deadline, id), "an open request never expires");
			let e = escrowed.entry(r.requester.clone()).or_default();
			*e = e.saturating_add(r.max_fee).saturating_add(r.deposit);
			*usage.entry(r.model).or_default() += 1;
		}
		for (who, amount) in escrowed {
			ensure!(
				pallet_settlement::Escrowed::<T>::get(&who) == amount,
				"escrow records differ from the open requests' fees and deposits"
			);
		}
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut results = 0usize;
		for (_, r) in Results::<T>::iter() {
			let e = deposits.entry(r.node.clone()).or_default();
			*e = e.saturating_add(r.deposit);
			*usage.entry(r.receipt.model).or_default() += 1;
			results += 1;
		}
		Self::ensure_held(
			pallet_settlement::HoldReason::ResultDeposit,
			deposits,
			"a node's held result deposit differs from its results' deposits",
		)?;
		let mut reports: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (reporter, _, record) in ReportCommitments::<T>::iter() {
			let e = reports.entry(reporter).or_default();
			*e = e.saturating_add(record.deposit);
		}
		Self::ensure_held(
			pallet_settlement::HoldReason::ReportDeposit,
			reports,
			"a reporter's held deposit differs from its commitments' deposits",
		)?;
		let mut indexed = 0usize;
		for (_, _, ids) in ResultsOfBlock::<T>::iter() {
			for id in ids.iter() {
				ensure!(Results::<T>::contains_key(id), "a pruning index names no result");
			}
			indexed += ids.len();
		}
		ensure!(indexed == results, "results and the pruning index differ");
		for (model, n) in Usage::<T>::iter() {
			ensure!(usage.remove(&model) == Some(n), "a model's usage is miscounted");
		}
		ensure!(usage.is_empty(), "a used model has no usage count");
		for (request, receipt) in ResultOfRequest::<T>::iter() {
			ensure!(!Requests::<T>::contains_key(request), "an answered request is still open");
			let r = Results::<T>::get(receipt).ok_or("an answer without its result")?;
			ensure!(r.receipt.subject == Subject::Request(request), "an answer of another request");
		}
		Ok(())
	}

	/// Each account of `expected` holds exactly its amount for `reason`.
	fn ensure_held(
		reason: pallet_settlement::HoldReason,
		expected: alloc::collections::btree_map::BTreeMap<T::AccountId, BalanceOf<T>>,
		difference: &'static str,
	) -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectHold;
		let reason = reason.into();
		for (who, amount) in expected {
			ensure!(
				<T as pallet_settlement::Config>::Currency::balance_on_hold(&reason, &who)
					== amount,
				difference
			);
		}
		Ok(())
	}
}
