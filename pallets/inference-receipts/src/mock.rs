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
pub(crate) const MEASUREMENT: MeasurementId = [1; 32];
pub(crate) const MIN_BOND: Balance = 1_000;
pub(crate) const MAX_TTL: u64 = 100;
pub(crate) const MAX_LATEST: u32 = 3;

thread_local! {
	/// Enclave keys: operator, measurement, valid.
	static KEYS: RefCell<BTreeMap<EnclaveKey, (AccountBytes, MeasurementId, bool)>> =
		const { RefCell::new(BTreeMap::new()) };
	/// Keys revoked for equivocation.
	static REVOKED: RefCell<Vec<EnclaveKey>> = const { RefCell::new(Vec::new()) };
	/// Whether governance revoked `MEASUREMENT`.
	static MEASUREMENT_REVOKED: RefCell<bool> = const { RefCell::new(false) };
	/// How many `verify_batch` calls were made, and of how many proofs in all.
	static BATCHES: RefCell<(u32, u32)> = const { RefCell::new((0, 0)) };
}

/// The `verify_batch` calls made so far: (calls, proofs).
pub(crate) fn batches_made() -> (u32, u32) {
	BATCHES.with(|b| *b.borrow())
}

fn is_revoked(key: &EnclaveKey) -> bool {
	REVOKED.with(|r| r.borrow().contains(key))
}

/// Governance revokes `MEASUREMENT` in the stand-in registry.
pub(crate) fn revoke_measurement() {
	MEASUREMENT_REVOKED.with(|r| *r.borrow_mut() = true);
}

fn measurement_active(id: &MeasurementId) -> bool {
	*id == MEASUREMENT && !MEASUREMENT_REVOKED.with(|r| *r.borrow())
}

/// Registers (or invalidates) an enclave key in the stand-in registry.
pub(crate) fn set_key(key: EnclaveKey, operator: AccountBytes, valid: bool) {
	KEYS.with(|k| k.borrow_mut().insert(key, (operator, MEASUREMENT, valid)));
}

/// In-memory key and measurement registries.
pub struct Registries;

impl pallet_models::VkRegistry<AccountId32, Balance> for Registries {
	fn input_count(vk: &VkId) -> Option<u32> {
		[VK, OTHER_VK].contains(vk).then_some(3)
	}
	fn acquire(_vk: &VkId) -> DispatchResult {
		Ok(())
	}
	fn release(_vk: &VkId) -> DispatchResult {
		Ok(())
	}
	fn foreign_deposit(_vk: &VkId, _who: &AccountId32) -> Balance {
		0
	}
}

impl pallet_models::MeasurementRegistry for Registries {
	fn is_active(id: &MeasurementId) -> bool {
		measurement_active(id)
	}
	fn acquire(id: &MeasurementId) -> DispatchResult {
		if measurement_active(id) {
			Ok(())
		} else {
			Err("inactive measurement".into())
		}
	}
	fn release(_id: &MeasurementId) -> DispatchResult {
		Ok(())
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
	fn valid_key_operator(
		key: &EnclaveKey,
		measurement: MeasurementId,
	) -> Result<AccountBytes, TeeError> {
		let (operator, m, valid) =
			KEYS.with(|k| k.borrow().get(key).copied()).ok_or(TeeError::InvalidKey)?;
		if m != measurement || !valid || is_revoked(key) {
			return Err(TeeError::InvalidKey);
		}
		Ok(operator)
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

	fn is_measurement_active(measurement: &MeasurementId) -> bool {
		measurement_active(measurement)
	}

	fn key_operator(key: &EnclaveKey) -> Result<(AccountBytes, bool), TeeError> {
		let (operator, _, _) =
			KEYS.with(|k| k.borrow().get(key).copied()).ok_or(TeeError::InvalidKey)?;
		Ok((operator, is_revoked(key)))
	}

	fn is_signature_of(key: &EnclaveKey, payload: &[u8], signature: &Signature) -> bool {
		sp_io::crypto::ed25519_verify(
			&ed25519::Signature::from_raw(*signature),
			payload,
			&ed25519::Public::from_raw(*key),
		)
	}

	fn revoke_key(key: &EnclaveKey) -> Result<(), TeeError> {
		if Self::key_operator(key)?.1 {
			return Err(TeeError::KeyRevoked);
		}
		REVOKED.with(|r| r.borrow_mut().push(*key));
		Ok(())
	}

	fn signature_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn signature_check_weight() -> Weight {
		Weight::from_parts(300, 0)
	}
	fn attested_weight(_document: &[u8]) -> Weight {
		Weight::from_parts(10_000, 0)
	}
}

/// The stand-in attestation document for `measurement` and `user_data`.
pub(crate) fn attested_document(measurement: MeasurementId, user_data: &[u8; 32]) -> Vec<u8> {
	[user_data.as_slice(), &measurement].concat()
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
	fn verify_batch(vk: &VkId, items: &[([u8; 32], [[u8; 32]; 3])]) -> bool {
		BATCHES.with(|b| {
			let mut b = b.borrow_mut();
			b.0 += 1;
			b.1 += items.len() as u32;
		});
		items.iter().all(|(proof, inputs)| Self::verify(vk, proof, inputs))
	}
	fn weight() -> Weight {
		Weight::from_parts(5_000, 0)
	}
	fn batch_weight(n: u32) -> Weight {
		Weight::from_parts(1_000 + 2_000 * n as u64, 0)
	}
	fn max_batch() -> u32 {
		MAX_ZK_BATCH
	}
}

/// The stand-in verifier's largest batch.
pub(crate) const MAX_ZK_BATCH: u32 = 4;

parameter_types! {
	pub const ModelDeposit: Balance = 100;
	pub const SegmentDeposit: Balance = 10;
	pub const MinBond: Balance = MIN_BOND;
	pub const UnbondingPeriod: u64 = 10;
	pub const ReporterReward: Perbill = Perbill::from_percent(10);
	pub const MaxTtl: u64 = MAX_TTL;
	pub const DepositBase: Balance = DEPOSIT_BASE;
	pub const DepositPerByte: Balance = DEPOSIT_PER_BYTE;
	pub const ResultRetention: u64 = RESULT_RETENTION;
}

/// The storage deposit of a record: this plus [`DEPOSIT_PER_BYTE`] per encoded byte.
pub(crate) const DEPOSIT_BASE: Balance = 5;
/// The storage deposit per encoded byte.
pub(crate) const DEPOSIT_PER_BYTE: Balance = 1;
/// How many blocks a result stays stored.
pub(crate) const RESULT_RETENTION: u64 = 120;

impl pallet_models::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId32>;
	type Vks = Registries;
	type Measurements = Registries;
	type Usage = Receipts;
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
	type MaxBatch = ConstU32<8>;
	type MaxAllowedNodes = ConstU32<4>;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type ResultRetention = ResultRetention;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Keys;
}

/// Enclave keys for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct Keys;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for Keys {
	fn enclave_key(operator: &AccountBytes) -> EnclaveKey {
		let seed = KEYS.with(|k| k.borrow().len() as u8).wrapping_add(100);
		let key = enclave(seed).public().0;
		set_key(key, *operator, true);
		key
	}
	fn sign(key: &EnclaveKey, payload: &[u8]) -> Signature {
		let seed = (0..=255u8)
			.find(|s| enclave(*s).public().0 == *key)
			.expect("a key made by enclave_key");
		enclave(seed).sign(payload).0
	}
}

pub(crate) fn account(i: u8) -> AccountId32 {
	AccountId32::new([i; 32])
}

pub(crate) const START: Balance = 1_000_000;

/// Accounts 1 (dapp), 2 (node), 3 (another node), 4 (model owner) funded; genesis hash set.
pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	KEYS.with(|k| k.borrow_mut().clear());
	REVOKED.with(|r| r.borrow_mut().clear());
	MEASUREMENT_REVOKED.with(|r| *r.borrow_mut() = false);
	BATCHES.with(|b| *b.borrow_mut() = (0, 0));
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
