//! A test runtime: system, balances and the settlement pallet.

use frame_support::{derive_impl, parameter_types};
use sp_runtime::{BuildStorage, Perbill};

use crate as pallet_settlement;

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
	pub type Settlement = pallet_settlement;
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

pub(crate) const MIN_BOND: Balance = 1_000;
pub(crate) const UNBONDING: u64 = 10;

parameter_types! {
	pub const MinBond: Balance = MIN_BOND;
	pub const UnbondingPeriod: u64 = UNBONDING;
	pub const ReporterReward: Perbill = Perbill::from_percent(10);
}

impl pallet_settlement::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinBond = MinBond;
	type UnbondingPeriod = UnbondingPeriod;
	type ReporterReward = ReporterReward;
	type WeightInfo = ();
}

pub(crate) const NODE: u64 = 1;
pub(crate) const DAPP: u64 = 2;
pub(crate) const REPORTER: u64 = 3;
pub(crate) const START: Balance = 100_000;

pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(NODE, START), (DAPP, START), (REPORTER, START)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
