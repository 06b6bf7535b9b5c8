//! Weights of `pallet-models`.
//!
//! The trait and its zero implementation for tests. The benchmarked implementation is GENERATED
//! by `scripts/run-benchmarks.sh` into the runtime's `weights/` folder.

use frame_support::weights::Weight;

/// The weights of the pallet's calls.
pub trait WeightInfo {
	/// `register_model` of a manifest with `s` segments (each a key and a measurement looked up).
	fn register_model(s: u32) -> Weight;
	/// `deprecate_model`.
	fn deprecate_model() -> Weight;
	/// `remove_model` of a model with `s` segments (each a key and a measurement released).
	fn remove_model(s: u32) -> Weight;
}

/// Zero weights, for tests.
impl WeightInfo for () {
	fn register_model(_s: u32) -> Weight {
		Weight::zero()
	}
	fn deprecate_model() -> Weight {
		Weight::zero()
	}
	fn remove_model(_s: u32) -> Weight {
		Weight::zero()
	}
}
