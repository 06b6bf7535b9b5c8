//! `constants`.

use frame_support::traits::Hooks;

use super::*;

#[test]
fn l9_integrity_test_holds() {
	new_test_ext()
		.execute_with(|| {
			<Pallet<Test> as Hooks<frame_system::pallet_prelude::BlockNumberFor<Test>>>::integrity_test();
		});
}

#[test]
fn l9_a_zero_max_latest_is_refused() {
	assert_eq!(check_constants(0, 8, true, 64), Err("MaxLatest must be at least 1"));
	assert_eq!(check_constants(1, 0, true, 64), Err("MaxBatch must be at least 1"));
	assert_eq!(check_constants(1, 8, false, 64), Err("MaxTtl must be positive"));
	assert_eq!(check_constants(1, 8, true, 0), Err("MaxDocumentLen must be positive"));
	assert_eq!(check_constants(1, 1, true, 1), Ok(()));
}
