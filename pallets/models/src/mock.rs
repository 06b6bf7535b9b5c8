//! A test runtime: system, balances and the models pallet, with in-memory key and measurement
//! registries.

use core::cell::RefCell;
use std::collections::BTreeMap;

use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::{BuildStorage, DispatchResult};
use veritas_primitives::{MeasurementId, VkId};

use crate as pallet_models;
use crate::{MeasurementRegistry, ModelId, ModelUsage, VkRegistry};

type Block = frame_system::mocking::MockBlock<Test>;
pub(crate) type Balance = u64;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type ModelsPallet = pallet_models;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

pub(crate) const MODEL_DEPOSIT: Balance = 1_000;
pub(crate) const SEGMENT_DEPOSIT: Balance = 100;
pub(crate) const MAX_SEGMENTS: u32 = 4;
pub(crate) const MAX_TENSOR_LEN: u32 = 1_024;

parameter_types! {
	pub const ModelDeposit: Balance = MODEL_DEPOSIT;
	pub const SegmentDeposit: Balance = SEGMENT_DEPOSIT;
}

thread_local! {
	/// Registered keys: input count, references and owner.
	static VKS: RefCell<BTreeMap<VkId, (u32, u32, Option<u64>)>> =
		const { RefCell::new(BTreeMap::new()) };
	/// Active measurements and their references.
	static MEASUREMENTS: RefCell<BTreeMap<MeasurementId, u32>> =
		const { RefCell::new(BTreeMap::new()) };
	/// Models with open requests or stored results.
	static IN_USE: RefCell<alloc::collections::BTreeSet<ModelId>> =
		const { RefCell::new(alloc::collections::BTreeSet::new()) };
}

/// The receipts pallet's usage counts, as a set of models in use.
pub struct Usage;

impl Usage {
	pub(crate) fn set(model: ModelId, in_use: bool) {
		IN_USE.with(|u| {
			if in_use {
				u.borrow_mut().insert(model);
			} else {
				u.borrow_mut().remove(&model);
			}
		});
	}
}

impl ModelUsage for Usage {
	fn is_in_use(model: ModelId) -> bool {
		IN_USE.with(|u| u.borrow().contains(&model))
	}
}

/// In-memory verifying-key registry.
pub struct Vks;

impl Vks {
	pub(crate) fn register(vk: VkId, inputs: u32) {
		Self::register_owned(vk, inputs, Some(ALICE));
	}
	/// Registers `vk` owned by `owner` (`None`: an orphan).
	pub(crate) fn register_owned(vk: VkId, inputs: u32, owner: Option<u64>) {
		VKS.with(|v| v.borrow_mut().insert(vk, (inputs, 0, owner)));
	}
	pub(crate) fn references(vk: &VkId) -> u32 {
		VKS.with(|v| v.borrow().get(vk).map_or(0, |e| e.1))
	}
}

impl VkRegistry<u64, Balance> for Vks {
	fn input_count(vk: &VkId) -> Option<u32> {
		VKS.with(|v| v.borrow().get(vk).map(|e| e.0))
	}
	fn acquire(vk: &VkId) -> DispatchResult {
		VKS.with(|v| match v.borrow_mut().get_mut(vk) {
			Some(e) => {
				e.1 += 1;
				Ok(())
			},
			None => Err("unknown key".into()),
		})
	}
	fn foreign_deposit(vk: &VkId, who: &u64) -> Balance {
		VKS.with(|v| {
			v.borrow().get(vk).map_or(0, |e| if e.2 == Some(*who) { 0 } else { VK_DEPOSIT })
		})
	}
	fn release(vk: &VkId) -> DispatchResult {
		VKS.with(|v| match v.borrow_mut().get_mut(vk) {
			Some(e) if e.1 > 0 => {
				e.1 -= 1;
				Ok(())
			},
			_ => Err("not referenced".into()),
		})
	}
}

/// In-memory measurement registry.
pub struct Measurements;

impl Measurements {
	pub(crate) fn set_active(id: MeasurementId, active: bool) {
		MEASUREMENTS.with(|m| {
			if active {
				m.borrow_mut().entry(id).or_insert(0);
			} else {
				m.borrow_mut().remove(&id);
			}
		});
	}
}

impl Measurements {
	pub(crate) fn references(id: &MeasurementId) -> u32 {
		MEASUREMENTS.with(|m| m.borrow().get(id).copied().unwrap_or(0))
	}
}

impl MeasurementRegistry for Measurements {
	fn is_active(id: &MeasurementId) -> bool {
		MEASUREMENTS.with(|m| m.borrow().contains_key(id))
	}
	fn acquire(id: &MeasurementId) -> DispatchResult {
		MEASUREMENTS.with(|m| match m.borrow_mut().get_mut(id) {
			Some(refs) => {
				*refs += 1;
				Ok(())
			},
			None => Err("inactive measurement".into()),
		})
	}
	fn release(id: &MeasurementId) -> DispatchResult {
		MEASUREMENTS.with(|m| match m.borrow_mut().get_mut(id) {
			Some(refs) if *refs > 0 => {
				*refs -= 1;
				Ok(())
			},
			_ => Err("not referenced".into()),
		})
	}
}

/// Benchmarks register their own keys and measurements in the in-memory registries.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for BenchmarkHelper {
	fn vk(i: u32) -> VkId {
		let mut vk = [0xbb; 32];
		vk[..4].copy_from_slice(&i.to_le_bytes());
		Vks::register(vk, 3);
		vk
	}
	fn measurement() -> MeasurementId {
		let id = [7; 32];
		Measurements::set_active(id, true);
		id
	}
}

impl pallet_models::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type Vks = Vks;
	type Measurements = Measurements;
	type Usage = Usage;
	type ModelDeposit = ModelDeposit;
	type SegmentDeposit = SegmentDeposit;
	type MaxNameLen = ConstU32<32>;
	type MaxSegments = ConstU32<MAX_SEGMENTS>;
	type MaxTensorLen = ConstU32<MAX_TENSOR_LEN>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

/// The deposit of a key in the stand-in key registry.
pub(crate) const VK_DEPOSIT: Balance = 40;
pub(crate) const ALICE: u64 = 1;
pub(crate) const BOB: u64 = 2;
pub(crate) const POOR: u64 = 3;
/// A key with three public inputs, a key with two, and an active measurement.
pub(crate) const VK: VkId = [0xaa; 32];
pub(crate) const VK_TWO_INPUTS: VkId = [0xab; 32];
pub(crate) const MEASUREMENT: MeasurementId = [5; 32];

/// Alice and Bob funded, Poor with less than a deposit; the registries hold `VK`,
/// `VK_TWO_INPUTS` and `MEASUREMENT`.
pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	VKS.with(|v| v.borrow_mut().clear());
	MEASUREMENTS.with(|m| m.borrow_mut().clear());
	IN_USE.with(|u| u.borrow_mut().clear());
	Vks::register(VK, 3);
	Vks::register(VK_TWO_INPUTS, 2);
	Measurements::set_active(MEASUREMENT, true);
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000_000), (BOB, 1_000_000), (POOR, 500)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
