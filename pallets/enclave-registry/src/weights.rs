//! Weights of `pallet-enclave-registry`.
//!
//! The trait and its zero implementation for tests. The benchmarked implementation is GENERATED
//! by `scripts/run-benchmarks.sh` into the runtime's `weights/` folder.

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
	/// `register_enclave` of a document whose `cabundle` holds `c` certificates (each one more
	/// signature to verify); see `checks::chain_len`.
	fn register_enclave(c: u32) -> Weight;
	/// `register_enclave` of such a document whose bundle is a path a registration verified
	/// before: its leaf certificate's and COSE signatures only.
	fn register_enclave_cached(c: u32) -> Weight;
	/// `remove_enclave`: an expired key's record removed, its deposit released.
	fn remove_enclave() -> Weight;
	/// Not a call: `on_idle` looking at `n` remembered certificate paths, all expired.
	fn prune_expired_paths(n: u32) -> Weight;
	/// Not a call: one `verify_enclave_signature` (what other pallets charge per enclave
	/// signature they check).
	fn verify_enclave_signature() -> Weight;
	/// Not a call: one `is_signature_of` (what other pallets charge per further signature of a
	/// key whose validity they already checked in the same call).
	fn check_enclave_signature() -> Weight;
	/// Reference only, not a call's weight: verifying a document with `c` certificates in its
	/// `cabundle`, P-384 arithmetic by the node's host functions.
	fn verify_document_with_host_functions(c: u32) -> Weight;
	/// Reference only, not a call's weight: the same verification with the P-384 arithmetic in
	/// the runtime itself (RustCrypto compiled to WASM).
	fn verify_document_without_host_functions(c: u32) -> Weight;
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
	fn register_enclave(_c: u32) -> Weight {
		Weight::zero()
	}
	fn register_enclave_cached(_c: u32) -> Weight {
		Weight::zero()
	}
	fn remove_enclave() -> Weight {
		Weight::zero()
	}
	fn prune_expired_paths(_n: u32) -> Weight {
		Weight::zero()
	}
	fn verify_enclave_signature() -> Weight {
		Weight::zero()
	}
	fn check_enclave_signature() -> Weight {
		Weight::zero()
	}
	fn verify_document_with_host_functions(_c: u32) -> Weight {
		Weight::zero()
	}
	fn verify_document_without_host_functions(_c: u32) -> Weight {
		Weight::zero()
	}
}
