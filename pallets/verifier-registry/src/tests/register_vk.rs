use alloc::boxed::Box;
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use sp_runtime::{DispatchError, TokenError};

use super::*;
use crate::{Error, Event, Vks};

type Groth16Error = Error<Test>;
type FakeError = Error<Test, frame_support::instances::Instance1>;

mod works {
	use super::*;

	#[test]
	fn stores_the_key_under_its_cli_id_and_holds_the_deposit() {
		new_test_ext().execute_with(|| {
			let s = multiplier();
			let len = s.vk.encoded_size() as u64;

			assert_ok!(Groth16Verifier::register_vk(
				RuntimeOrigin::signed(ALICE),
				Box::new(s.vk.clone())
			));

			let vk_id = H256(veritas_verifier_groth16::vk_id(&s.vk));
			let entry = Vks::<Test>::get(vk_id).expect("stored under the CLI's id");
			let deposit = VK_DEPOSIT + BYTE_DEPOSIT * len;
			assert_eq!(entry.owner, Some(ALICE));
			assert_eq!(entry.deposit, deposit);
			assert_eq!(entry.vk, s.vk);
			assert_eq!(entry.registered_at, 1);
			assert_eq!(entry.refcount, 0);
			assert_eq!(groth16_held(ALICE), deposit);
			assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE - deposit);
			System::assert_last_event(Event::<Test>::VkRegistered { vk_id, owner: ALICE }.into());
		});
	}

	#[test]
	fn for_a_key_with_64_public_inputs() {
		new_test_ext().execute_with(|| {
			let s = many_inputs();
			assert_eq!(s.vk.num_inputs(), 64);
			let vk_id = register_groth16(&s.vk);
			assert!(Vks::<Test>::contains_key(vk_id));
		});
	}

	#[test]
	fn for_the_same_key_on_another_instance() {
		new_test_ext().execute_with(|| {
			register_fake(ALICE, 5);
			let s = multiplier();
			register_groth16(&s.vk);
			assert_eq!(fake_held(ALICE), VK_DEPOSIT + BYTE_DEPOSIT * 8);
			assert!(groth16_held(ALICE) > VK_DEPOSIT);
		});
	}
}

mod rejects {
	use super::*;

	#[test]
	fn a_key_already_registered_even_by_someone_else() {
		new_test_ext().execute_with(|| {
			let s = multiplier();
			register_groth16(&s.vk);
			assert_noop!(
				Groth16Verifier::register_vk(RuntimeOrigin::signed(BOB), Box::new(s.vk)),
				Groth16Error::VerificationKeyAlreadyRegistered
			);
			assert_eq!(groth16_held(BOB), 0);
		});
	}

	#[test]
	fn a_degenerate_groth16_key() {
		new_test_ext().execute_with(|| {
			let mut vk = multiplier().vk;
			vk.delta_g2 = vk.gamma_g2;
			assert_noop!(
				Groth16Verifier::register_vk(RuntimeOrigin::signed(ALICE), Box::new(vk)),
				Groth16Error::InvalidVerificationKey
			);
		});
	}

	#[test]
	fn a_groth16_key_with_a_point_off_the_curve() {
		new_test_ext().execute_with(|| {
			let mut vk = many_inputs().vk;
			vk.alpha_g1.0[0] ^= 1;
			assert_noop!(
				Groth16Verifier::register_vk(RuntimeOrigin::signed(ALICE), Box::new(vk)),
				Groth16Error::InvalidVerificationKey
			);
		});
	}

	#[test]
	fn a_key_the_verifier_refuses() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				FakeVerifier::register_vk(RuntimeOrigin::signed(ALICE), Box::new(0)),
				FakeError::InvalidVerificationKey
			);
		});
	}

	#[test]
	fn a_key_longer_than_max_vk_len() {
		new_test_ext().execute_with(|| {
			FakeMaxVkLen::set(7);
			assert_noop!(
				FakeVerifier::register_vk(RuntimeOrigin::signed(ALICE), Box::new(5)),
				FakeError::VerificationKeyTooLarge
			);
			FakeMaxVkLen::set(8);
			register_fake(ALICE, 5);
		});
	}

	#[test]
	fn an_owner_who_cannot_pay_the_deposit() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				FakeVerifier::register_vk(RuntimeOrigin::signed(PAUPER), Box::new(5)),
				DispatchError::Token(TokenError::FundsUnavailable)
			);
		});
	}

	#[test]
	fn an_unsigned_origin() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				FakeVerifier::register_vk(RuntimeOrigin::none(), Box::new(5)),
				DispatchError::BadOrigin
			);
		});
	}
}
