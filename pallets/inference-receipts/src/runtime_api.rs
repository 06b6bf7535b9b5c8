//! The runtime API clients call through `state_call`: results by request, where a request
//! stands, and the latest results of a model.

use alloc::vec::Vec;
use codec::Codec;
use veritas_primitives::{ModelId, ReceiptId, RequestId};

use crate::RequestStatus;

sp_api::decl_runtime_apis! {
	/// Verified inference results. `Result` is the runtime's `VerifiedResult` type,
	/// `BlockNumber` its block number.
	///
	/// Version 2 adds `request_status`: since results are pruned after a retention period,
	/// "no result" no longer tells an unanswered request from a pruned one.
	#[api_version(2)]
	pub trait InferenceReceiptsApi<Result: Codec, BlockNumber: Codec> {
		/// The result that answered request `request`, with its receipt id (`None` while open,
		/// after it expired, or once its result was pruned).
		fn result(request: RequestId) -> Option<(ReceiptId, Result)>;
		/// The latest `limit` results of `model` (at most `MaxLatest`), newest first.
		fn latest_results(model: ModelId, limit: u32) -> Vec<(ReceiptId, Result)>;
		/// Where request `request` stands: open, answered (with its result), pruned or unknown.
		#[api_version(2)]
		fn request_status(request: RequestId) -> RequestStatus<BlockNumber, Result>;
	}
}
