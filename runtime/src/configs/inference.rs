//! Inference settlement: model manifests (`pallet-models`), the money of inference
//! (`pallet-settlement`) and receipts (`pallet-inference-receipts`), with the adapters that show
//! them the key, measurement and enclave registries.

use alloc::vec::Vec;
use frame_support::{
	instances::Instance1, parameter_types, traits::ConstU32, weights::Weight, BoundedVec,
};
use pallet_inference_receipts::{TeeError, TeeVerifier, ZkVerifier};
use sp_core::H256;
use sp_runtime::{DispatchResult, Perbill};
use veritas_primitives::{AccountBytes, EnclaveKey, MeasurementId, Signature, VkId};
use veritas_verifier_groth16::{Proof, PublicInputs, Scalar};

use crate::{
	configs::verification::Groth16MaxBatchSize,
	currency::{MICRO_UNIT, MILLI_UNIT, UNIT},
	time::{DAYS, HOURS},
	Balance, Balances, BlockNumber, EnclaveRegistry, Groth16Verifier, Runtime, RuntimeHoldReason,
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

/// `EnclaveRegistry`'s keys and documents, as receipts need them.
pub struct NitroEnclaves;

type EnclaveError = pallet_enclave_registry::Error<Runtime>;
type EnclaveWeights = crate::weights::pallet_enclave_registry::WeightInfo<Runtime>;

fn key_error(e: EnclaveError) -> TeeError {
	match e {
		EnclaveError::EnclaveKeyRevoked => TeeError::KeyRevoked,
		EnclaveError::BadEnclaveSignature => TeeError::BadSignature,
		_ => TeeError::InvalidKey,
	}
}

impl TeeVerifier for NitroEnclaves {
	fn valid_key_operator(
		key: &EnclaveKey,
		measurement: MeasurementId,
	) -> Result<AccountBytes, TeeError> {
		EnclaveRegistry::valid_key(key, measurement)
			.map(|info| info.operator.into())
			.map_err(key_error)
	}

	fn verify_attested(
		document: &[u8],
		measurement: MeasurementId,
		user_data: &[u8; 32],
	) -> Result<(), TeeError> {
		EnclaveRegistry::verify_attested(document, measurement, user_data)
			.map_err(|_| TeeError::BadAttestation)
	}

	fn is_measurement_active(measurement: &MeasurementId) -> bool {
		EnclaveRegistry::is_measurement_active(measurement)
	}

	fn key_operator(key: &EnclaveKey) -> Result<(AccountBytes, bool), TeeError> {
		let (operator, revoked) = EnclaveRegistry::key_record(key).map_err(key_error)?;
		Ok((operator.into(), revoked))
	}

	fn is_signature_of(key: &EnclaveKey, payload: &[u8], signature: &Signature) -> bool {
		EnclaveRegistry::is_signature_of(key, payload, signature)
	}

	fn revoke_key(key: &EnclaveKey) -> Result<(), TeeError> {
		EnclaveRegistry::revoke_key(key).map_err(key_error)
	}

	fn signature_weight() -> Weight {
		<EnclaveWeights as pallet_enclave_registry::WeightInfo>::verify_enclave_signature()
	}

	fn signature_check_weight() -> Weight {
		<EnclaveWeights as pallet_enclave_registry::WeightInfo>::check_enclave_signature()
	}

	/// A document costs what registering it costs (the same checks, and a write more).
	fn attested_weight(document: &[u8]) -> Weight {
		<EnclaveWeights as pallet_enclave_registry::WeightInfo>::register_enclave(
			pallet_enclave_registry::checks::chain_len(document),
		)
	}
}

/// `Groth16Verifier`'s proofs, as receipts need them: three public inputs (`c_in`, `c_out`, the
/// binding), little-endian scalars.
pub struct Groth16Proofs;

type Groth16Weights = crate::weights::pallet_verifier_registry::WeightInfo<Runtime>;

fn public_inputs(inputs: &[[u8; 32]; 3]) -> PublicInputs {
	PublicInputs(BoundedVec::truncate_from(inputs.iter().map(|b| Scalar(*b)).collect()))
}

impl ZkVerifier for Groth16Proofs {
	type Proof = Proof;

	fn verify(vk: &VkId, proof: &Proof, inputs: &[[u8; 32]; 3]) -> bool {
		Groth16Verifier::verify_proof(&H256(*vk), proof, &public_inputs(inputs)).is_ok()
	}

	fn verify_batch(vk: &VkId, items: &[(Proof, [[u8; 32]; 3])]) -> bool {
		let items: Vec<(Proof, PublicInputs)> =
			items.iter().map(|(proof, inputs)| (*proof, public_inputs(inputs))).collect();
		Groth16Verifier::verify_batch(&H256(*vk), &items).is_ok()
	}

	fn weight() -> Weight {
		<Groth16Weights as pallet_verifier_registry::weights::WeightInfo>::submit_proof(3)
	}

	fn batch_weight(n: u32) -> Weight {
		<Groth16Weights as pallet_verifier_registry::weights::WeightInfo>::verify_batch(n, 3)
	}

	fn max_batch() -> u32 {
		Groth16MaxBatchSize::get()
	}
}

/// `Groth16Verifier`'s keys, as `pallet-models` needs them.
pub struct Groth16Keys;

impl pallet_models::VkRegistry<crate::AccountId, Balance> for Groth16Keys {
	fn input_count(vk: &VkId) -> Option<u32> {
		pallet_verifier_registry::Pallet::<Runtime, Instance1>::vk(&H256(*vk))
			.map(|k| (k.ic.len() as u32).saturating_sub(1))
	}

	fn acquire(vk: &VkId) -> DispatchResult {
		pallet_verifier_registry::Pallet::<Runtime, Instance1>::acquire_vk(&H256(*vk))
	}

	fn release(vk: &VkId) -> DispatchResult {
		pallet_verifier_registry::Pallet::<Runtime, Instance1>::release_vk(&H256(*vk))
	}

	fn foreign_deposit(vk: &VkId, who: &crate::AccountId) -> Balance {
		use codec::Encode;
		type Keys = pallet_verifier_registry::Pallet<Runtime, Instance1>;
		match pallet_verifier_registry::Vks::<Runtime, Instance1>::get(H256(*vk)) {
			Some(entry) if entry.owner.as_ref() != Some(who) => {
				Keys::deposit_for(entry.vk.encoded_size() as u32)
			},
			_ => 0,
		}
	}
}

/// `EnclaveRegistry`'s measurements, as `pallet-models` needs them.
pub struct NitroMeasurements;

impl pallet_models::MeasurementRegistry for NitroMeasurements {
	fn is_active(id: &MeasurementId) -> bool {
		EnclaveRegistry::is_measurement_active(id)
	}

	fn acquire(id: &MeasurementId) -> DispatchResult {
		EnclaveRegistry::acquire_measurement(id).map_err(Into::into)
	}

	fn release(id: &MeasurementId) -> DispatchResult {
		EnclaveRegistry::release_measurement(id).map_err(Into::into)
	}
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
		decode::snarkjs, verifier::fold_public_inputs, Groth16Host, Scalar,
	};

	use crate::{AccountId, Runtime};

	const VK: &str =
		include_str!("../../../tests/fixtures/groth16/circom/many_inputs/verification_key.json");
	const PUBLIC: &str =
		include_str!("../../../tests/fixtures/groth16/circom/many_inputs/public.json");

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
