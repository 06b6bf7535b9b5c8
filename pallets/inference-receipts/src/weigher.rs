//! What a receipt call weighs: [`Pallet::batch_weight`] (declared) and
//! [`Pallet::weights_used`] (charged when a call is refused part way), added up by [`Weigher`].

use alloc::{
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};
use frame_support::pallet_prelude::*;
use veritas_primitives::{EnclaveKey, Evidence, ModelId, Subject};

use crate::*;

impl<T: Config> Pallet<T> {
	/// The weight of `submit_receipt(receipt)`: the benchmarked call without evidence, plus
	/// each segment's evidence check.
	pub fn receipt_weight(receipt: &ReceiptOf<T>) -> Weight {
		Self::batch_weight(core::slice::from_ref(receipt))
	}

	/// The weight of `submit_receipts(receipts)`, following what [`CallContext`] does once
	/// per call:
	/// - a receipt answering a request: its benchmarked `submit_receipt(s)` (every lookup
	///   included, one output value) plus what its further output values cost
	///   (`submit_receipt_output(o)` beyond one value);
	/// - a direct receipt: one receipt's share of `submit_direct_receipts` plus its further
	///   segments and output values (the same two benchmarks beyond one of each), and once per
	///   model of the call, what direct receipts share (the node, the model, the latest
	///   results);
	/// - a TEE segment: the key's lookup and signature the first time the call meets the key,
	///   one more signature check after that;
	/// - the ZK checks grouped by model and segment (an upper bound of the grouping by key
	///   the call does, since a batch of n + m proofs costs no more than a batch of n and one
	///   of m).
	pub fn batch_weight(receipts: &[ReceiptOf<T>]) -> Weight {
		let mut weigher = Weigher::<T>::default();
		receipts.iter().for_each(|r| weigher.add(r));
		weigher.with_zk()
	}

	/// For each `i`, the weight a call that stops at `receipts[i]` (refused by its checks,
	/// before the deferred ZK checks run) used at most: [`Pallet::batch_weight`] of
	/// `receipts[..=i]` without their ZK checks. A refused call is charged this, not the
	/// whole batch's weight.
	pub fn weights_used(receipts: &[ReceiptOf<T>]) -> Vec<Weight> {
		let mut weigher = Weigher::<T>::default();
		receipts
			.iter()
			.map(|r| {
				weigher.add(r);
				weigher.without_zk()
			})
			.collect()
	}
}

/// What [`Pallet::batch_weight`] adds up, receipt by receipt: each receipt's share, each
/// enclave key once, what direct receipts of one model share once, and the ZK checks grouped
/// by model and segment.
pub struct Weigher<T: Config> {
	total: Weight,
	zk_groups: BTreeMap<(ModelId, usize), u32>,
	keys: BTreeSet<EnclaveKey>,
	direct_models: BTreeSet<ModelId>,
	_config: core::marker::PhantomData<T>,
}

impl<T: Config> Default for Weigher<T> {
	fn default() -> Self {
		Self {
			total: Weight::zero(),
			zk_groups: BTreeMap::new(),
			keys: BTreeSet::new(),
			direct_models: BTreeSet::new(),
			_config: core::marker::PhantomData,
		}
	}
}

impl<T: Config> Weigher<T> {
	/// Adds `receipt`.
	pub fn add(&mut self, receipt: &ReceiptOf<T>) {
		type W<T> = <T as Config>::WeightInfo;
		let (s, o) = (receipt.evidence.len() as u32, receipt.output.len() as u32);
		// What its further segments and output values cost beyond one of each.
		let larger =
			W::<T>::submit_receipt(s).saturating_sub(W::<T>::submit_receipt(1)).saturating_add(
				W::<T>::submit_receipt_output(o).saturating_sub(W::<T>::submit_receipt_output(1)),
			);
		let share = match receipt.subject {
			Subject::Request(_) => W::<T>::submit_receipt(1).saturating_add(larger),
			Subject::Direct { .. } => {
				self.direct_models.insert(receipt.model);
				let per_direct = W::<T>::submit_direct_receipts(1)
					.saturating_sub(W::<T>::submit_direct_receipts(0));
				per_direct.saturating_add(larger)
			},
		};
		self.total = self.total.saturating_add(share);
		for (i, e) in receipt.evidence.iter().enumerate() {
			self.total = self.total.saturating_add(match e {
				Evidence::None => Weight::zero(),
				Evidence::Tee { key, .. } if self.keys.insert(*key) => T::Tee::signature_weight(),
				Evidence::Tee { .. } => T::Tee::signature_check_weight(),
				Evidence::TeeAttested { document } => T::Tee::attested_weight(document),
				Evidence::Zk { .. } => {
					*self.zk_groups.entry((receipt.model, i)).or_default() += 1;
					Weight::zero()
				},
			});
		}
	}

	/// The weight so far, without the ZK checks.
	pub fn without_zk(&self) -> Weight {
		let shared = <T as Config>::WeightInfo::submit_direct_receipts(0)
			.saturating_mul(self.direct_models.len() as u64);
		self.total.saturating_add(shared)
	}

	/// The weight so far, with the ZK checks.
	pub fn with_zk(&self) -> Weight {
		self.zk_groups
			.values()
			.fold(self.without_zk(), |w, n| w.saturating_add(zk_group_weight::<T::Zk>(*n)))
	}
}
