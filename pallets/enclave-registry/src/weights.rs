//! Weights of `pallet-enclave-registry`.
//!
//! Only the trait and its zero implementation for tests: the benchmarks of this pallet are not
//! written yet, so it is not in the runtime (see the Nitro issue's notes).

use frame_support::weights::Weight;

/// The weights of the pallet's calls.
pub trait WeightInfo {
	/// `add_root`.
	fn add_root() -> Weight;
	/// `remove_root`.
	fn remove_root() -> Weight;
	/// `register_measurement`.
	fn register_measurement() -> Weight;
	/// `revoke_measurement`.
	fn revoke_measurement() -> Weight;
	/// `register_enclave` of a document of `l` bytes.
	fn register_enclave(l: u32) -> Weight;
}

/// Zero weights, for tests.
impl WeightInfo for () {
	fn add_root() -> Weight {
		Weight::zero()
	}
	fn remove_root() -> Weight {
		Weight::zero()
	}
	fn register_measurement() -> Weight {
		Weight::zero()
	}
	fn revoke_measurement() -> Weight {
		Weight::zero()
	}
	fn register_enclave(_l: u32) -> Weight {
		Weight::zero()
	}
}
