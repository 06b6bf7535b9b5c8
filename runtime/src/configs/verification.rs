//! Proof verification: one `pallet-verifier-registry` instance per proof system.
//!
//! `Groth16Verifier` (Groth16 over BN254) verifies with the node's native BN254 host functions
//! (`veritas-crypto-host`); its weights are benchmarked on the reference machine
//! (`scripts/run-benchmarks.sh`).

use frame_support::{instances::Instance1, parameter_types};
use pallet_verifier_registry::VerifierWeights;
use veritas_verifier_groth16::{Groth16Host, MAX_BATCH_SIZE, MAX_IC_LEN, MAX_PUBLIC_INPUTS};

use crate::{
	currency::{MICRO_UNIT, MILLI_UNIT},
	Balance, Balances, Runtime, RuntimeHoldReason,
};

/// The largest SCALE encoding of a Groth16 key: α (64), β, γ, δ (128 each), a two-byte length
/// prefix and `MAX_IC_LEN` G1 points of 64 bytes.
const GROTH16_MAX_VK_LEN: u32 = 64 + 3 * 128 + 2 + 64 * MAX_IC_LEN as u32;

parameter_types! {
	/// The fixed part of a Groth16 key's deposit.
	pub const Groth16VkDeposit: Balance = 100 * MILLI_UNIT;
	/// The deposit per byte of a Groth16 key (a 64-input key, 4,610 bytes, holds ≈ 0.56 VRT).
	pub const Groth16ByteDeposit: Balance = 100 * MICRO_UNIT;
	/// Room for the largest valid Groth16 key.
	pub const Groth16MaxVkLen: u32 = GROTH16_MAX_VK_LEN;
	/// The most public inputs of a Groth16 statement.
	pub const Groth16MaxInputs: u32 = MAX_PUBLIC_INPUTS as u32;
	/// The most Groth16 proofs another pallet verifies in one batch.
	pub const Groth16MaxBatchSize: u32 = if MAX_BATCH_SIZE < 128 { MAX_BATCH_SIZE as u32 } else { 128 };
}

impl pallet_verifier_registry::Config<Instance1> for Runtime {
	type Verifier = Groth16Host;
	type OnProofVerified = ();
	type WeightInfo =
		VerifierWeights<crate::weights::pallet_verifier_registry::WeightInfo<Runtime>>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type VkDeposit = Groth16VkDeposit;
	type ByteDeposit = Groth16ByteDeposit;
	type MaxVkLen = Groth16MaxVkLen;
	type MaxInputs = Groth16MaxInputs;
	type MaxBatchSize = Groth16MaxBatchSize;
}
