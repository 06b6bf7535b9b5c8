//! A test runtime: system, balances, timestamp and the enclave registry, governed by root.

use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::BuildStorage;

use crate as pallet_enclave_registry;

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
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(3)]
	pub type EnclaveRegistry = pallet_enclave_registry;
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

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

pub(crate) const DEPOSIT: Balance = 500;
pub(crate) const DAY_MS: u64 = 24 * 3600 * 1000;
pub(crate) const NONCE_WINDOW: u32 = 10;

/// The deposit of an enclave key.
pub(crate) const KEY_DEPOSIT: Balance = 7;
/// How long an expired key's record stays before anyone may remove it.
pub(crate) const KEY_GRACE_MS: u64 = 3_600_000;

parameter_types! {
	pub const MeasurementDeposit: Balance = DEPOSIT;
	pub const KeyLifetimeMs: u64 = DAY_MS;
	pub const KeyDeposit: Balance = KEY_DEPOSIT;
	pub const KeyGraceMs: u64 = KEY_GRACE_MS;
	pub const MaxDocumentAgeMs: u64 = 5 * 60 * 1000;
	pub const MaxClockSkewMs: u64 = 30 * 1000;
	pub const NonceWindow: u32 = NONCE_WINDOW;
}

impl pallet_enclave_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type UnixTime = Timestamp;
	type P384 = veritas_crypto_host::Host;
	type MeasurementDeposit = MeasurementDeposit;
	type KeyLifetimeMs = KeyLifetimeMs;
	type KeyDeposit = KeyDeposit;
	type KeyGraceMs = KeyGraceMs;
	type MaxDocumentAgeMs = MaxDocumentAgeMs;
	type MaxClockSkewMs = MaxClockSkewMs;
	type NonceWindow = NonceWindow;
	type MaxRoots = ConstU32<16>;
	type MaxNameLen = ConstU32<64>;
	type MaxVerifiedPaths = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SetTimestamp;
}

/// Sets the timestamp pallet's time.
#[cfg(feature = "runtime-benchmarks")]
pub struct SetTimestamp;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_enclave_registry::BenchmarkHelper for SetTimestamp {
	fn set_time_ms(ms: u64) {
		pallet_timestamp::Now::<Test>::put(ms);
	}
}

pub(crate) const ALICE: u64 = 1;
pub(crate) const BOB: u64 = 2;
/// An account that registers other people's PCRs first.
pub(crate) const EVE: u64 = 3;

/// Storage with funded accounts, `roots` trusted and debug measurements allowed or not.
pub(crate) fn new_test_ext(roots: Vec<[u8; 32]>, allow_debug: bool) -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 10_000), (BOB, 10_000), (EVE, 10_000)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_enclave_registry::GenesisConfig::<Test> {
		roots,
		allow_debug_measurements: allow_debug,
		development_roots: vec![],
		_config: Default::default(),
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
