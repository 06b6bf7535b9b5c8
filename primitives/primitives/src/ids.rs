//! Ids. Numbers count up in their pallet; 32-byte ids are hashes or public keys.

/// A registered model version (`pallet-models`).
pub type ModelId = u32;
/// An inference request (`pallet-inference-receipts`).
pub type RequestId = u64;
/// The index of a segment in its model's pipeline, from 0.
pub type SegmentIndex = u8;
/// An enclave measurement (`pallet-enclave-registry`): [`crate::measurement_id`] of its PCRs.
pub type MeasurementId = [u8; 32];
/// A Groth16 verifying key's id in the verifier registry.
pub type VkId = [u8; 32];
/// An enclave's ed25519 session key (registered through an attestation document).
pub type EnclaveKey = [u8; 32];
/// An ed25519 signature.
pub type Signature = [u8; 64];
/// A receipt's id: [`crate::receipt_id`] of its statement.
pub type ReceiptId = [u8; 32];
/// An account, as the 32 bytes of an `AccountId32`.
pub type AccountBytes = [u8; 32];
