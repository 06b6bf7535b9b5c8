//! The runtime API clients call (through `state_call`) to ask whether an enclave key may sign now.

sp_api::decl_runtime_apis! {
	/// Enclave keys, for clients. Version 2: measurements are named by the 32-byte digest of their
	/// PCRs (`veritas_primitives::measurement_id`), no longer by a number.
	#[api_version(2)]
	pub trait EnclaveRegistryApi {
		/// Whether the ed25519 enclave `key` is valid now for `measurement`: registered, not
		/// expired, its measurement not revoked and its root still trusted.
		fn is_key_valid(key: [u8; 32], measurement: [u8; 32]) -> bool;
	}
}
