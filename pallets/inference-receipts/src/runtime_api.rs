//! The runtime API clients call through `state_call`: results by request and the latest results
//! of a model.

use alloc::vec::Vec;
use codec::Codec;
use veritas_primitives::{ModelId, ReceiptId, RequestId};

sp_api::decl_runtime_apis! {
	/// Verified inference results. `Result` is the runtime's `VerifiedResult` type.
	pub trait InferenceReceiptsApi<Result: Codec> {
		/// The result that answered request `request`, with its receipt id.
		fn result(request: RequestId) -> Option<(ReceiptId, Result)>;
		/// The latest `limit` results of `model` (at most `MaxLatest`), newest first.
		fn latest_results(model: ModelId, limit: u32) -> Vec<(ReceiptId, Result)>;
	}
}
