use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};

use super::*;
use crate::{Error, Event, Vks};

type FakeError = Error<Test, frame_support::instances::Instance1>;

mod works {
	use super::*;

	#[test]
	fn removes_the_key_and_releases_the_deposit() {
		new_test_ext().execute_with(|| {
			let s = multiplier();
			let vk_id = register_groth16(&s.vk);
			assert!(groth16_held(ALICE) > 0);

			assert_ok!(Groth16Verifier::unregister_vk(RuntimeOrigin::signed(ALICE), vk_id));

			assert!(!Vks::<Test>::contains_key(vk_id));
			assert_eq!(groth16_held(ALICE), 0);
			assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE);
			System::assert_last_event(Event::<Test>::VkUnregistered { vk_id, owner: ALICE }.into());
		});
	}

	#[test]
	fn once_every_reference_is_released() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_ok!(FakeVerifier::acquire_vk(&vk_id));
			assert_ok!(FakeVerifier::release_vk(&vk_id));
			assert_ok!(FakeVerifier::unregister_vk(RuntimeOrigin::signed(ALICE), vk_id));
			assert_eq!(fake_held(ALICE), 0);
		});
	}

	#[test]
	fn and_the_key_can_be_registered_again() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_ok!(FakeVerifier::unregister_vk(RuntimeOrigin::signed(ALICE), vk_id));
			assert_eq!(register_fake(BOB, 5), vk_id);
			assert_eq!(
				Vks::<Test, frame_support::instances::Instance1>::get(vk_id).map(|e| e.owner),
				Some(BOB)
			);
		});
	}
}

mod rejects {
	use super::*;

	#[test]
	fn an_unknown_key() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				FakeVerifier::unregister_vk(RuntimeOrigin::signed(ALICE), H256::repeat_byte(1)),
				FakeError::VerificationKeyNotFound
			);
		});
	}

	#[test]
	fn a_caller_who_is_not_the_owner() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_noop!(
				FakeVerifier::unregister_vk(RuntimeOrigin::signed(BOB), vk_id),
				FakeError::NotOwner
			);
		});
	}

	#[test]
	fn a_key_another_pallet_references() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_ok!(FakeVerifier::acquire_vk(&vk_id));
			assert_noop!(
				FakeVerifier::unregister_vk(RuntimeOrigin::signed(ALICE), vk_id),
				FakeError::VerificationKeyInUse
			);
			assert!(fake_held(ALICE) > 0);
		});
	}
}
