//! Inference settlement: model manifests (`pallet-models`), the money of inference
//! (`pallet-settlement`) and receipts (`pallet-inference-receipts`); the adapters that show them
//! the key, measurement and enclave registries are in [`crate::impls`].

use frame_support::{parameter_types, traits::ConstU32};
use sp_runtime::Perbill;

use crate::{
	currency::{MICRO_UNIT, MILLI_UNIT, UNIT},
	impls::{Groth16Keys, Groth16Proofs, NitroEnclaves, NitroMeasurements},
	time::{DAYS, HOURS},
	Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason,
};

parameter_types! {
	/// The deposit of a model version.
	pub const ModelDeposit: Balance = 100 * MILLI_UNIT;
	/// The deposit per segment of a model version.
	pub const SegmentDeposit: Balance = 10 * MILLI_UNIT;
	/// The smallest bond of an inference node.
	pub const MinNodeBond: Balance = 10 * UNIT;
	/// A leaving node stays bonded (and slashable) for two days: its enclave key may sign for
	/// up to a day after it stopped answering (`KeyLifetimeMs`), and an equivocation may take
	/// as long as a request may stay open (`MaxRequestTtl`) to come to light (L2 of the
	/// security review; `runtime/src/tests.rs` checks the sum).
	pub const NodeUnbondingPeriod: BlockNumber = 48 * HOURS;
	/// The reporter of a proven equivocation receives 10 % of the slashed bond.
	pub const EquivocationReporterReward: Perbill = Perbill::from_percent(10);
	/// A request stays open at most a day.
	pub const MaxRequestTtl: BlockNumber = 24 * HOURS;
	/// The storage deposit of a stored request or result: 1 mVRT, plus
	/// [`RecordDepositPerByte`] per byte of its encoding.
	pub const RecordDepositBase: Balance = MILLI_UNIT;
	/// The storage deposit per stored byte of a request or result: 10 µVRT (about 0.01 VRT a
	/// kilobyte).
	pub const RecordDepositPerByte: Balance = 10 * MICRO_UNIT;
	/// Verified results stay in storage a week, then `on_idle` prunes them (their events stay
	/// at archive nodes).
	pub const ResultRetention: BlockNumber = 7 * DAYS;
}

/// The most receipts of one `submit_receipts`.
pub const MAX_RECEIPT_BATCH: u32 = 64;
/// The most nodes a request may name as the only ones allowed to answer it.
pub const MAX_ALLOWED_NODES: u32 = 16;
/// How many latest results of each model the runtime API serves.
pub const MAX_LATEST_RESULTS: u32 = 32;

/// The most segments a model may have.
pub const MAX_SEGMENTS: u32 = 16;
/// The most values a model's input or output tensor may have.
pub const MAX_TENSOR_LEN: u32 = 4_096;

impl pallet_models::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = frame_system::EnsureRoot<crate::AccountId>;
	type Vks = Groth16Keys;
	type Measurements = NitroMeasurements;
	type Usage = crate::InferenceReceipts;
	type ModelDeposit = ModelDeposit;
	type SegmentDeposit = SegmentDeposit;
	type MaxNameLen = ConstU32<64>;
	type MaxSegments = ConstU32<MAX_SEGMENTS>;
	type MaxTensorLen = ConstU32<MAX_TENSOR_LEN>;
	type WeightInfo = crate::weights::pallet_models::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::Registries;
}

impl pallet_settlement::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinBond = MinNodeBond;
	type UnbondingPeriod = NodeUnbondingPeriod;
	type ReporterReward = EquivocationReporterReward;
	type WeightInfo = crate::weights::pallet_settlement::WeightInfo<Runtime>;
}

impl pallet_inference_receipts::Config for Runtime {
	type Tee = NitroEnclaves;
	type Zk = Groth16Proofs;
	type Poseidon = veritas_crypto_host::Host;
	type MaxDocumentLen = ConstU32<{ veritas_verifier_tee_nitro::limits::MAX_DOCUMENT_LEN as u32 }>;
	type MaxLatest = ConstU32<MAX_LATEST_RESULTS>;
	type MaxTtl = MaxRequestTtl;
	type MaxBatch = ConstU32<MAX_RECEIPT_BATCH>;
	type MaxAllowedNodes = ConstU32<MAX_ALLOWED_NODES>;
	type DepositBase = RecordDepositBase;
	type DepositPerByte = RecordDepositPerByte;
	type ResultRetention = ResultRetention;
	type WeightInfo = crate::weights::pallet_inference_receipts::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::EnclaveKeys;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helpers {
	//! Keys and measurements the models benchmarks can name, written straight into the
	//! registries' storage; enclave keys of the receipts benchmarks in the benchmark's keystore.

	use frame_support::{instances::Instance1, BoundedVec};
	use pallet_verifier_registry::Verifier;
	use sp_core::H256;
	use veritas_primitives::{MeasurementId, VkId};
	use veritas_verifier_groth16::{
		decode::snarkjs, fixtures::MANY_INPUTS, verifier::fold_public_inputs, Groth16Host, Scalar,
	};

	use crate::{AccountId, Runtime};

	const VK: &str = MANY_INPUTS.verification_key;
	const PUBLIC: &str = MANY_INPUTS.public;

	/// Registries for the benchmarks.
	pub struct Registries;

	/// Enclave keys for the receipts benchmarks: ed25519 keys of the benchmark's keystore,
	/// registered straight into the enclave registry under a fresh measurement.
	pub struct EnclaveKeys;

	const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"vbnc");

	impl pallet_inference_receipts::BenchmarkHelper for EnclaveKeys {
		fn enclave_key(
			operator: &veritas_primitives::AccountBytes,
		) -> veritas_primitives::EnclaveKey {
			use pallet_models::BenchmarkHelper;
			let key = sp_io::crypto::ed25519_generate(KEY_TYPE, None).0;
			let measurement = Registries::measurement();
			pallet_enclave_registry::Enclaves::<Runtime>::insert(
				key,
				pallet_enclave_registry::EnclaveInfo {
					operator: AccountId::new(*operator),
					measurement,
					root: [0; 32],
					attested_at_ms: 0,
					expires_at_ms: u64::MAX,
					revoked: false,
					deposit: 0,
				},
			);
			key
		}

		fn sign(
			key: &veritas_primitives::EnclaveKey,
			payload: &[u8],
		) -> veritas_primitives::Signature {
			let message = pallet_enclave_registry::signing_message(payload);
			sp_io::crypto::ed25519_sign(
				KEY_TYPE,
				&sp_core::ed25519::Public::from_raw(*key),
				&message,
			)
			.map(|s| s.0)
			.unwrap_or([0; 64])
		}
	}

	impl pallet_models::BenchmarkHelper for Registries {
		/// The circom fixture's 64-input key with all but three inputs folded into its constant
		/// term; the folded value depends on `i`, so each `i` gives another key.
		fn vk(i: u32) -> VkId {
			let vk = snarkjs::verifying_key(VK.as_bytes()).expect("the fixture key decodes");
			let mut pubs = snarkjs::public_inputs(PUBLIC.as_bytes()).expect("the fixture inputs");
			let mut folded = [0u8; 32];
			folded[..4].copy_from_slice(&i.to_le_bytes());
			pubs.0[3] = Scalar(folded);
			let (vk, _) = fold_public_inputs(&vk, &pubs, 3).expect("three inputs remain");
			let id: H256 = Groth16Host::vk_hash(&vk);
			let owner = AccountId::new([0; 32]);
			pallet_verifier_registry::Vks::<Runtime, Instance1>::insert(
				id,
				pallet_verifier_registry::VkEntry::new(owner, 0, vk, 0),
			);
			id.0
		}

		/// A governance measurement of PCRs no other call returned (the count of measurements
		/// so far in PCR0).
		fn measurement() -> MeasurementId {
			let n = pallet_enclave_registry::Measurements::<Runtime>::iter_keys().count() as u64;
			let mut pcr0 = [1u8; 48];
			pcr0[..8].copy_from_slice(&n.to_le_bytes());
			let (pcr1, pcr2) = ([2; 48], [3; 48]);
			let id = veritas_primitives::measurement_id(&pcr0, &pcr1, &pcr2, None);
			pallet_enclave_registry::Measurements::<Runtime>::insert(
				id,
				pallet_enclave_registry::MeasurementInfo {
					owner: None,
					name: BoundedVec::truncate_from(b"bench".to_vec()),
					version: 1,
					pcr0,
					pcr1,
					pcr2,
					pcr8: None,
					debug: false,
					revoked: false,
					deposit: 0,
					refs: 0,
				},
			);
			id
		}
	}
}
