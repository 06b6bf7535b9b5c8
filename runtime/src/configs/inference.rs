//! Inference settlement: model manifests (`pallet-models`) and the money of inference
//! (`pallet-settlement`), with the adapters that show them the key and measurement registries.

use frame_support::{instances::Instance1, parameter_types, traits::ConstU32};
use sp_core::H256;
use sp_runtime::{DispatchResult, Perbill};
use veritas_primitives::{MeasurementId, VkId};

use crate::{
	currency::{MILLI_UNIT, UNIT},
	time::HOURS,
	Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason,
};

parameter_types! {
	/// The deposit of a model version.
	pub const ModelDeposit: Balance = 100 * MILLI_UNIT;
	/// The deposit per segment of a model version.
	pub const SegmentDeposit: Balance = 10 * MILLI_UNIT;
	/// The smallest bond of an inference node.
	pub const MinNodeBond: Balance = 10 * UNIT;
	/// A leaving node stays bonded (and slashable) for a day.
	pub const NodeUnbondingPeriod: BlockNumber = 24 * HOURS;
	/// The reporter of a proven equivocation receives 10 % of the slashed bond.
	pub const EquivocationReporterReward: Perbill = Perbill::from_percent(10);
}

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

/// `Groth16Verifier`'s keys, as `pallet-models` needs them.
pub struct Groth16Keys;

impl pallet_models::VkRegistry for Groth16Keys {
	fn input_count(vk: &VkId) -> Option<u32> {
		pallet_verifier_registry::Pallet::<Runtime, Instance1>::vk(&H256(*vk))
			.map(|k| (k.ic.len() as u32).saturating_sub(1))
	}

	fn acquire(vk: &VkId) -> DispatchResult {
		pallet_verifier_registry::Pallet::<Runtime, Instance1>::acquire_vk(&H256(*vk))
	}
}

/// `EnclaveRegistry`'s measurements, as `pallet-models` needs them.
pub struct NitroMeasurements;

impl pallet_models::MeasurementRegistry for NitroMeasurements {
	fn is_active(id: MeasurementId) -> bool {
		pallet_enclave_registry::Measurements::<Runtime>::get(id).is_some_and(|m| !m.revoked)
	}
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helpers {
	//! Keys and measurements the models benchmarks can name, written straight into the
	//! registries' storage.

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

		fn measurement() -> MeasurementId {
			let id = pallet_enclave_registry::NextMeasurementId::<Runtime>::get();
			pallet_enclave_registry::NextMeasurementId::<Runtime>::put(id + 1);
			pallet_enclave_registry::Measurements::<Runtime>::insert(
				id,
				pallet_enclave_registry::MeasurementInfo {
					owner: None,
					name: BoundedVec::truncate_from(b"bench".to_vec()),
					version: 1,
					pcr0: [1; 48],
					pcr1: [2; 48],
					pcr2: [3; 48],
					pcr8: None,
					debug: false,
					revoked: false,
					deposit: 0,
				},
			);
			id
		}
	}
}
