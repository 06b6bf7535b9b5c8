//! Weights of `pallet-inference-receipts`.
//!
//! The trait and its zero implementation for tests. The benchmarked implementation is GENERATED
//! by `scripts/run-benchmarks.sh` into the runtime's `weights/` folder. The evidence checks of a
//! receipt are weighed by the verifiers ([`crate::TeeVerifier`], [`crate::ZkVerifier`]) and added
//! to `submit_receipt`.

use frame_support::weights::Weight;

/// The weights of the pallet's calls.
pub trait WeightInfo {
	/// `request_inference` with `n` input values (committed by the runtime; 0: only `c_0`).
	fn request_inference(n: u32) -> Weight;
	/// `submit_receipt` of `s` segments and one output value, without the evidence checks.
	fn submit_receipt(s: u32) -> Weight;
	/// `submit_receipt` of one segment and `o` output values, without the evidence checks
	/// (with `submit_receipt`: [`crate::Weigher`] adds what the further values cost).
	fn submit_receipt_output(o: u32) -> Weight;
	/// `submit_receipts` of `b` direct receipts of one model (one segment, evidence `None`, one
	/// output value): what the call's receipts share once (the node, the model, the latest
	/// results), each receipt's own work (checks, commitment, result) `b` times.
	fn submit_direct_receipts(b: u32) -> Weight;
	/// `reclaim_expired`.
	fn reclaim_expired() -> Weight;
	/// `report_equivocation` (two enclave signatures checked, the key revoked, the reporter's
	/// commitment consumed and its deposit released, a bond slashed).
	fn report_equivocation() -> Weight;
	/// `commit_report` (a deposit held, a commitment stored).
	fn commit_report() -> Weight;
	/// `withdraw_report` (a commitment removed, its deposit released).
	fn withdraw_report() -> Weight;
	/// `on_idle`'s removal of expired requests: `r` request ids looked at, each an expired
	/// request of the largest input (refunded and removed).
	fn expire_requests(r: u32) -> Weight;
	/// `on_idle`'s pruning of results: `p` results past retention, each of the largest size
	/// (deposit released, its request's answer removed).
	fn prune_results(p: u32) -> Weight;
}

/// Zero weights, for tests.
impl WeightInfo for () {
	fn request_inference(_n: u32) -> Weight {
		Weight::zero()
	}
	fn submit_receipt(_s: u32) -> Weight {
		Weight::zero()
	}
	fn submit_receipt_output(_o: u32) -> Weight {
		Weight::zero()
	}
	fn submit_direct_receipts(_b: u32) -> Weight {
		Weight::zero()
	}
	fn reclaim_expired() -> Weight {
		Weight::zero()
	}
	fn report_equivocation() -> Weight {
		Weight::zero()
	}
	fn commit_report() -> Weight {
		Weight::zero()
	}
	fn withdraw_report() -> Weight {
		Weight::zero()
	}
	fn expire_requests(_r: u32) -> Weight {
		Weight::zero()
	}
	fn prune_results(_p: u32) -> Weight {
		Weight::zero()
	}
}
