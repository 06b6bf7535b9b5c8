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
				Some(Some(BOB))
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
	fn a_second_unregistration_of_an_orphan() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_ok!(FakeVerifier::acquire_vk(&vk_id));
			assert_ok!(FakeVerifier::unregister_vk(RuntimeOrigin::signed(ALICE), vk_id));
			assert_noop!(
				FakeVerifier::unregister_vk(RuntimeOrigin::signed(ALICE), vk_id),
				FakeError::NotOwner
			);
		});
	}
}

/// L1: a reference another account takes (a model naming the key) never locks the owner's
/// deposit: unregistering releases it and leaves the key, orphaned, to those who reference it.
mod orphans {
	use super::*;

	type Entries = Vks<Test, frame_support::instances::Instance1>;

	#[test]
	fn l1_another_accounts_reference_cannot_lock_a_vk_deposit() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			// Another pallet (a model of Bob's) references the key.
			assert_ok!(FakeVerifier::acquire_vk(&vk_id));
			assert_ok!(FakeVerifier::unregister_vk(RuntimeOrigin::signed(ALICE), vk_id));
			assert_eq!(fake_held(ALICE), 0);
			let orphan = Entries::get(vk_id).expect("kept for its reference");
			assert_eq!((orphan.owner, orphan.deposit, orphan.refcount), (None, 0, 1));
			// Proofs still verify under it, and nobody may register it again meanwhile.
			assert!(FakeVerifier::vk(&vk_id).is_some());
			assert!(FakeVerifier::register_vk(RuntimeOrigin::signed(BOB), Box::new(5)).is_err());
			FakeVerifier::do_try_state().unwrap();
			// The last reference released, the orphan goes.
			assert_ok!(FakeVerifier::release_vk(&vk_id));
			assert!(!Entries::contains_key(vk_id));
			FakeVerifier::do_try_state().unwrap();
		});
	}

	#[test]
	fn an_owned_key_stays_when_its_last_reference_goes() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_ok!(FakeVerifier::acquire_vk(&vk_id));
			assert_ok!(FakeVerifier::release_vk(&vk_id));
			assert_eq!(Entries::get(vk_id).and_then(|e| e.owner), Some(ALICE));
		});
	}
}
