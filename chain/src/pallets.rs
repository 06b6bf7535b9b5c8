//! The runtime's pallets by the names its metadata gives them: the one place clients name them.

/// The Groth16 instance of the verifier registry (`pallet-verifier-registry`).
pub const GROTH16: &str = "Groth16Verifier";
/// Attestation roots, measurements and enclave keys (`pallet-enclave-registry`).
pub const ENCLAVES: &str = "EnclaveRegistry";
/// Model manifests (`pallet-models`).
pub const MODELS: &str = "Models";
/// Node bonds and fee escrow (`pallet-settlement`).
pub const SETTLEMENT: &str = "Settlement";
/// Requests, receipts and verified results (`pallet-inference-receipts`).
pub const RECEIPTS: &str = "InferenceReceipts";
/// The SDK's batching pallet.
pub const UTILITY: &str = "Utility";
