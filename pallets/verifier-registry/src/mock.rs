//! A test runtime with two instances of the pallet: the real Groth16 verifier (the default
//! instance, which the benchmarks also use) and a trivial fake verifier (`Instance1`) whose
//! outcomes tests choose.

#![cfg(test)]

use alloc::{borrow::Cow, vec::Vec};
use core::cell::RefCell;
use frame_support::{
	derive_impl, instances::Instance1, parameter_types, traits::ConstU32, BoundedVec,
};
use sp_runtime::BuildStorage;
use veritas_verifier_groth16::Groth16Host;
use veritas_verifier_traits::{OnProofVerified, Verifier, VerifyError, Weight, H256};

use crate as pallet_verifier_registry;

/// An account id.
pub(crate) type AccountId = u64;
/// A balance.
pub(crate) type Balance = u64;

/// An account with funds.
pub(crate) const ALICE: AccountId = 1;
/// Another account with funds.
pub(crate) const BOB: AccountId = 2;
/// An account with no funds.
pub(crate) const PAUPER: AccountId = 3;
/// The fixed part of a key deposit.
pub(crate) const VK_DEPOSIT: Balance = 1_000;
/// The deposit per byte of a key.
pub(crate) const BYTE_DEPOSIT: Balance = 10;
/// What `ALICE` and `BOB` start with.
pub(crate) const INITIAL_BALANCE: Balance = 1_000_000;

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
	pub type Groth16Verifier = pallet_verifier_registry;

	#[runtime::pallet_index(3)]
	pub type FakeVerifier = pallet_verifier_registry<Instance1>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = frame_system::mocking::MockBlock<Test>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

parameter_types! {
	pub const VkDeposit: Balance = VK_DEPOSIT;
	pub const ByteDeposit: Balance = BYTE_DEPOSIT;
	/// Room for a Groth16 key with 64 inputs (65 `IC` points, 4,610 bytes).
	pub const Groth16MaxVkLen: u32 = 5_000;
	/// Settable, to test the size limit with the fake verifier's 8-byte keys.
	pub static FakeMaxVkLen: u32 = 8;
	pub const Groth16MaxInputs: u32 = 64;
	pub const MaxBatchSize: u32 = 16;
}

impl pallet_verifier_registry::Config for Test {
	type Verifier = Groth16Host;
	type OnProofVerified = RecordVerified;
	type WeightInfo = ();
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type VkDeposit = VkDeposit;
	type ByteDeposit = ByteDeposit;
	type MaxVkLen = Groth16MaxVkLen;
	type MaxInputs = Groth16MaxInputs;
	type MaxBatchSize = MaxBatchSize;
}

impl pallet_verifier_registry::Config<Instance1> for Test {
	type Verifier = Fake;
	type OnProofVerified = RecordVerified;
	type WeightInfo = FakeWeights;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type VkDeposit = VkDeposit;
	type ByteDeposit = ByteDeposit;
	type MaxVkLen = FakeMaxVkLen;
	type MaxInputs = ConstU32<4>;
	type MaxBatchSize = ConstU32<3>;
}

/// A verifier whose outcome the test chooses.
///
/// A key is any `u64` but 0 (refused as invalid); a proof verifies iff it equals the key plus the
/// sum of the inputs; `REJECT` is refused by policy; an input of 255 is invalid. A successful
/// verification reports a weight of `FAKE_VERIFY_WEIGHT`.
pub struct Fake;

/// The proof [`Fake`] refuses by policy.
pub(crate) const REJECT: u64 = u64::MAX;
/// The actual weight [`Fake`] reports.
pub(crate) const FAKE_VERIFY_WEIGHT: Weight = Weight::from_parts(7, 0);

impl Verifier for Fake {
	const CONTEXT: &'static [u8] = b"test/fake";
	const MAX_INPUTS: u32 = 8;
	type Proof = u64;
	type Pubs = BoundedVec<u8, ConstU32<16>>;
	type Vk = u64;

	fn verify(vk: &u64, proof: &u64, pubs: &Self::Pubs) -> Result<Option<Weight>, VerifyError> {
		if pubs.contains(&255) {
			return Err(VerifyError::InvalidInput);
		}
		if *proof == REJECT {
			return Err(VerifyError::Rejected);
		}
		let sum: u64 = pubs.iter().map(|x| u64::from(*x)).sum();
		if vk.checked_add(sum) == Some(*proof) {
			Ok(Some(FAKE_VERIFY_WEIGHT))
		} else {
			Err(VerifyError::InvalidProof)
		}
	}

	fn validate_vk(vk: &u64) -> Result<(), VerifyError> {
		if *vk == 0 {
			Err(VerifyError::InvalidVk)
		} else {
			Ok(())
		}
	}

	fn pubs_bytes(pubs: &Self::Pubs) -> Cow<'_, [u8]> {
		Cow::Borrowed(&pubs[..])
	}

	fn pubs_count(pubs: &Self::Pubs) -> u32 {
		pubs.len() as u32
	}
}

/// Fixed, distinguishable weights for the fake instance.
pub struct FakeWeights;

/// The declared weight of `submit_proof` on the fake instance, per input.
pub(crate) const FAKE_SUBMIT_WEIGHT_PER_INPUT: u64 = 1_000;

impl veritas_verifier_traits::WeightInfo<Fake> for FakeWeights {
	fn register_vk(_vk: &u64) -> Weight {
		Weight::from_parts(100, 0)
	}
	fn unregister_vk() -> Weight {
		Weight::from_parts(100, 0)
	}
	fn submit_proof(_proof: &u64, pubs: &<Fake as Verifier>::Pubs) -> Weight {
		Weight::from_parts(FAKE_SUBMIT_WEIGHT_PER_INPUT * (pubs.len() as u64 + 1), 0)
	}
	fn verify_batch(items: &[(u64, <Fake as Verifier>::Pubs)]) -> Weight {
		Weight::from_parts(100 * items.len() as u64, 0)
	}
}

std::thread_local! {
	static VERIFIED: RefCell<Vec<(AccountId, H256, H256)>> = const { RefCell::new(Vec::new()) };
}

/// Records every call of the hook, for tests to read with [`verified`].
pub struct RecordVerified;

/// The weight [`RecordVerified`] declares.
pub(crate) const HOOK_WEIGHT: Weight = Weight::from_parts(50, 0);

impl OnProofVerified<AccountId> for RecordVerified {
	fn on_proof_verified(who: &AccountId, vk_id: &H256, statement: &H256) {
		VERIFIED.with(|v| v.borrow_mut().push((*who, *vk_id, *statement)));
	}

	fn weight() -> Weight {
		HOOK_WEIGHT
	}
}

/// The calls of the hook so far: `(who, vk_id, statement)`.
pub(crate) fn verified() -> Vec<(AccountId, H256, H256)> {
	VERIFIED.with(|v| v.borrow().clone())
}

/// Test externalities at block 1, with `ALICE` and `BOB` funded.
pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, INITIAL_BALANCE), (BOB, INITIAL_BALANCE)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		VERIFIED.with(|v| v.borrow_mut().clear());
	});
	ext
}
