//! A test runtime: system, balances, models, settlement and receipts, with in-memory registries
//! and stand-in verifiers (enclave keys sign with real ed25519; a "proof" is the BLAKE2 hash of
//! the key id and the public inputs; an "attestation document" is its `user_data` followed by
//! the measurement), so every check of the pallet can be driven both ways.

use core::cell::RefCell;
use std::collections::BTreeMap;

use codec::Encode;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, weights::Weight};
use sp_core::{ed25519, Pair};
use sp_runtime::{traits::IdentityLookup, AccountId32, BuildStorage, DispatchResult, Perbill};
use veritas_primitives::{AccountBytes, EnclaveKey, MeasurementId, Signature, VkId};

use crate as pallet_inference_receipts;
use crate::{TeeError, TeeVerifier, ZkVerifier};

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
	pub type Models = pallet_models;
	#[runtime::pallet_index(3)]
	pub type Settlement = pallet_settlement;
	#[runtime::pallet_index(4)]
	pub type Receipts = pallet_inference_receipts;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId32;
	type Lookup = IdentityLookup<AccountId32>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

pub(crate) const VK: VkId = [0xaa; 32];
pub(crate) const OTHER_VK: VkId = [0xab; 32];
pub(crate) const MEASUREMENT: MeasurementId = 1;
pub(crate) const MIN_BOND: Balance = 1_000;
pub(crate) const MAX_TTL: u64 = 100;
pub(crate) const MAX_LATEST: u32 = 3;

thread_local! {
	/// Enclave keys: operator, measurement, valid.
	static KEYS: RefCell<BTreeMap<EnclaveKey, (AccountBytes, MeasurementId, bool)>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// Registers (or invalidates) an enclave key in the stand-in registry.
pub(crate) fn set_key(key: EnclaveKey, operator: AccountBytes, valid: bool) {
	KEYS.with(|k| k.borrow_mut().insert(key, (operator, MEASUREMENT, valid)));
}

/// In-memory key and measurement registries.
pub struct Registries;

impl pallet_models::VkRegistry for Registries {
	fn input_count(vk: &VkId) -> Option<u32> {
		[VK, OTHER_VK].contains(vk).then_some(3)
	}
	fn acquire(_vk: &VkId) -> DispatchResult {
		Ok(())
	}
}

impl pallet_models::MeasurementRegistry for Registries {
	fn is_active(id: MeasurementId) -> bool {
		id == MEASUREMENT
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_models::BenchmarkHelper for Registries {
	fn vk(_i: u32) -> VkId {
		VK
	}
	fn measurement() -> MeasurementId {
		MEASUREMENT
	}
}

/// Stand-in enclave verifier.
pub struct Tee;

impl TeeVerifier for Tee {
	fn verify_signature(
		key: &EnclaveKey,
		measurement: MeasurementId,
		payload: &[u8],
		signature: &Signature,
	) -> Result<AccountBytes, TeeError> {
		let (operator, m, valid) =
			KEYS.with(|k| k.borrow().get(key).copied()).ok_or(TeeError::InvalidKey)?;
		if m != measurement || !valid {
			return Err(TeeError::InvalidKey);
		}
		let ok = sp_io::crypto::ed25519_verify(
			&ed25519::Signature::from_raw(*signature),
			payload,
			&ed25519::Public::from_raw(*key),
		);
		ok.then_some(operator).ok_or(TeeError::BadSignature)
	}

	fn verify_attested(
		document: &[u8],
		measurement: MeasurementId,
		user_data: &[u8; 32],
	) -> Result<(), TeeError> {
		(document == attested_document(measurement, user_data).as_slice())
			.then_some(())
			.ok_or(TeeError::BadAttestation)
	}

	fn signature_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn attested_weight(_document: &[u8]) -> Weight {
		Weight::from_parts(10_000, 0)
	}
}

/// The stand-in attestation document for `measurement` and `user_data`.
pub(crate) fn attested_document(measurement: MeasurementId, user_data: &[u8; 32]) -> Vec<u8> {
	[user_data.as_slice(), &measurement.to_le_bytes()].concat()
}

/// Stand-in proof verifier.
pub struct Zk;

/// The stand-in proof of `inputs` under `vk`.
pub(crate) fn zk_proof(vk: &VkId, inputs: &[[u8; 32]; 3]) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(vk, inputs).encode())
}

impl ZkVerifier for Zk {
	type Proof = [u8; 32];
	fn verify(vk: &VkId, proof: &[u8; 32], inputs: &[[u8; 32]; 3]) -> bool {
		*proof == zk_proof(vk, inputs)
	}
	fn weight() -> Weight {
		Weight::from_parts(5_000, 0)
	}
}

parameter_types! {
	pub const ModelDeposit: Balance = 100;
	pub const SegmentDeposit: Balance = 10;
	pub const MinBond: Balance = MIN_BOND;
	pub const UnbondingPeriod: u64 = 10;
	pub const ReporterReward: Perbill = Perbill::from_percent(10);
	pub const MaxTtl: u64 = MAX_TTL;
}

impl pallet_models::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId32>;
	type Vks = Registries;
	type Measurements = Registries;
	type ModelDeposit = ModelDeposit;
	type SegmentDeposit = SegmentDeposit;
	type MaxNameLen = ConstU32<32>;
	type MaxSegments = ConstU32<4>;
	type MaxTensorLen = ConstU32<16>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registries;
}

impl pallet_settlement::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinBond = MinBond;
	type UnbondingPeriod = UnbondingPeriod;
	type ReporterReward = ReporterReward;
	type WeightInfo = ();
}

impl pallet_inference_receipts::Config for Test {
	type Tee = Tee;
	type Zk = Zk;
	type Poseidon = veritas_crypto_host::Arkworks;
	type MaxDocumentLen = ConstU32<64>;
	type MaxLatest = ConstU32<MAX_LATEST>;
	type MaxTtl = MaxTtl;
	type WeightInfo = ();
}

pub(crate) fn account(i: u8) -> AccountId32 {
	AccountId32::new([i; 32])
}

pub(crate) const START: Balance = 1_000_000;

/// Accounts 1 (dapp), 2 (node), 3 (another node), 4 (model owner) funded; genesis hash set.
pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	KEYS.with(|k| k.borrow_mut().clear());
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=4).map(|i| (account(i), START)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		frame_system::BlockHash::<Test>::insert(0, sp_core::H256([0x6e; 32]));
		System::set_block_number(1);
	});
	ext
}

/// An enclave key pair (seeded).
pub(crate) fn enclave(seed: u8) -> ed25519::Pair {
	ed25519::Pair::from_seed(&[seed; 32])
}
