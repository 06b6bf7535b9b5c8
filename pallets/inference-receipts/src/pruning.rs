//! What `on_idle` removes: expired requests, by deadline, and results past the retention
//! period, by block; and each model's usage count, which they and new records keep.

use frame_support::pallet_prelude::*;
use sp_runtime::traits::Saturating;
use veritas_primitives::{ModelId, ReceiptId, Subject};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Walks the passed deadlines from `ExpiryFrom`, removing (and refunding) the requests
	/// still open at each, until `max` entries were looked at (a deadline without entries
	/// counts as one). Returns how many it looked at.
	pub fn expire_requests(max: u32) -> u32 {
		let now = frame_system::Pallet::<T>::block_number();
		let mut deadline = ExpiryFrom::<T>::get();
		let mut looked = 0;
		while looked < max && deadline < now {
			looked += 1;
			let Some((id, ())) = Expiring::<T>::iter_prefix(deadline).next() else {
				deadline = deadline.saturating_add(1u32.into());
				continue;
			};
			Expiring::<T>::remove(deadline, id);
			if let Some(request) = Requests::<T>::get(id) {
				// A refund of what was held for it cannot fail (try_state checks it).
				let _ = Self::expire(id, &request);
			}
		}
		ExpiryFrom::<T>::put(deadline);
		looked
	}

	/// Prunes up to `max` results verified `ResultRetention` or more blocks ago, oldest
	/// block first, releasing their deposits; an empty block counts as one. Returns how many
	/// it looked at.
	pub fn prune_results(max: u32) -> u32 {
		let now = frame_system::Pallet::<T>::block_number();
		let retention = T::ResultRetention::get();
		if now < retention {
			return 0;
		}
		let last = now.saturating_sub(retention);
		let mut block = PruneFrom::<T>::get();
		let mut looked = 0u32;
		while looked < max && block <= last {
			let Some((first, ids)) = ResultsOfBlock::<T>::iter_prefix(block).next() else {
				looked += 1;
				block = block.saturating_add(1u32.into());
				continue;
			};
			ResultsOfBlock::<T>::remove(block, first);
			let take = ids.len().min((max - looked) as usize);
			ids[..take].iter().for_each(Self::prune_result);
			looked = looked.saturating_add(take as u32);
			if let Some(rest) = ids.get(take..).filter(|r| !r.is_empty()) {
				ResultsOfBlock::<T>::insert(
					block,
					rest[0],
					BoundedVec::truncate_from(rest.to_vec()),
				);
			}
		}
		PruneFrom::<T>::put(block);
		looked
	}

	pub(crate) fn prune_result(id: &ReceiptId) {
		let Some(result) = Results::<T>::take(id) else { return };
		pallet_settlement::Pallet::<T>::release_deposit(
			pallet_settlement::HoldReason::ResultDeposit,
			&result.node,
			result.deposit,
		);
		if let Subject::Request(request) = result.receipt.subject {
			ResultOfRequest::<T>::remove(request);
		}
		Self::remove_usage(result.receipt.model);
		Self::deposit_event(Event::ResultPruned { id: *id });
	}

	pub(crate) fn add_usage(model: ModelId, n: u32) {
		Usage::<T>::mutate(model, |u| *u = u.saturating_add(n));
	}

	pub(crate) fn remove_usage(model: ModelId) {
		Usage::<T>::mutate_exists(model, |u| {
			*u = u.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
	}

	/// Whether `model` has open requests or stored results.
	pub fn is_model_in_use(model: ModelId) -> bool {
		Usage::<T>::get(model) > 0
	}
}
