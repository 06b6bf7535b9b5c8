//! The genesis sets the slot duration or keeps the default; invalid ones are refused.

use crate::{self as pallet_block_time, *};
use frame_support::{derive_impl, traits::ConstU64};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		BlockTime: pallet_block_time,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl Config for Test {
	type DefaultSlotDuration = ConstU64<6000>;
}

fn ext(slot_duration_ms: Option<u64>) -> sp_io::TestExternalities {
	RuntimeGenesisConfig {
		system: Default::default(),
		block_time: pallet_block_time::GenesisConfig { slot_duration_ms, ..Default::default() },
	}
	.build_storage()
	.expect("a valid genesis")
	.into()
}

#[test]
fn a_genesis_without_a_slot_duration_keeps_the_default() {
	ext(None).execute_with(|| {
		assert_eq!(SlotDuration::<Test>::get(), 6000);
		assert_eq!(MinimumPeriod::<Test>::get(), 3000);
	});
}

#[test]
fn a_genesis_slot_duration_is_stored_and_halved_for_the_timestamp() {
	ext(Some(1000)).execute_with(|| {
		assert_eq!(SlotDuration::<Test>::get(), 1000);
		assert_eq!(MinimumPeriod::<Test>::get(), 500);
	});
}

#[test]
fn the_bounds_are_inclusive_and_odd_durations_are_invalid() {
	assert!(is_valid_slot_duration(MIN_SLOT_DURATION_MS));
	assert!(is_valid_slot_duration(MAX_SLOT_DURATION_MS));
	assert!(!is_valid_slot_duration(MIN_SLOT_DURATION_MS - 2));
	assert!(!is_valid_slot_duration(MAX_SLOT_DURATION_MS + 2));
	assert!(!is_valid_slot_duration(1001));
	assert!(!is_valid_slot_duration(0));
}

#[test]
#[should_panic(expected = "blockTime.slotDurationMs must be even")]
fn an_odd_genesis_slot_duration_is_refused() {
	ext(Some(999));
}

#[test]
#[should_panic(expected = "blockTime.slotDurationMs must be even")]
fn a_genesis_slot_duration_below_the_minimum_is_refused() {
	ext(Some(50));
}

#[test]
fn the_default_passes_the_integrity_test() {
	ext(None).execute_with(|| {
		use frame_support::traits::IntegrityTest;
		AllPalletsWithSystem::integrity_test();
	});
}
