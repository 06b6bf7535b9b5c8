//! Weights of `pallet-settlement`.
//!
//! The trait and its zero implementation for tests. The benchmarked implementation is GENERATED
//! by `scripts/run-benchmarks.sh` into the runtime's `weights/` folder.

use frame_support::weights::Weight;

/// The weights of the pallet's calls.
pub trait WeightInfo {
	/// `register_node` (a new node or a top-up).
	fn register_node() -> Weight;
	/// `unregister_node` (the costlier of its two steps: releasing the bond).
	fn unregister_node() -> Weight;
}

/// Zero weights, for tests.
impl WeightInfo for () {
	fn register_node() -> Weight {
		Weight::zero()
	}
	fn unregister_node() -> Weight {
		Weight::zero()
	}
}
