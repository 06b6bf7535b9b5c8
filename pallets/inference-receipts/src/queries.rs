//! What clients read: the chain's genesis, a request's status and result, a model's latest
//! results (the runtime API answers with these).

use alloc::vec::Vec;
use frame_system::pallet_prelude::*;
use veritas_primitives::{ModelId, ReceiptId, RequestId};

use crate::*;

impl<T: Config> Pallet<T> {
	/// This chain's genesis hash.
	pub fn genesis() -> [u8; 32] {
		let mut out = [0u8; 32];
		let hash = frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::default());
		let bytes = hash.as_ref();
		if bytes.len() == 32 {
			out.copy_from_slice(bytes);
		}
		out
	}

	/// Where request `id` stands (the runtime API's `request_status`).
	pub fn request_status(id: RequestId) -> RequestStatus<BlockNumberFor<T>, ResultOf<T>> {
		if let Some(request) = Requests::<T>::get(id) {
			return RequestStatus::Open { deadline: request.deadline };
		}
		match Self::result_of_request(id) {
			Some((receipt, result)) => RequestStatus::Answered(receipt, result),
			None if id < NextRequestId::<T>::get() => RequestStatus::Pruned,
			None => RequestStatus::Unknown,
		}
	}

	/// The result that answered request `id`, if any.
	pub fn result_of_request(id: RequestId) -> Option<(ReceiptId, ResultOf<T>)> {
		let receipt = ResultOfRequest::<T>::get(id)?;
		Results::<T>::get(receipt).map(|r| (receipt, r))
	}

	/// The latest `limit` results of `model`, newest first.
	pub fn latest_results(model: ModelId, limit: u32) -> Vec<(ReceiptId, ResultOf<T>)> {
		LatestResults::<T>::get(model)
			.iter()
			.rev()
			.take(limit as usize)
			.filter_map(|id| Results::<T>::get(id).map(|r| (*id, r)))
			.collect()
	}
}
