use frame_support::{
	instances::Instance1,
	traits::{fungible::MutateHold, Hooks},
	weights::Weight,
};

use super::*;
use crate::{weights, Pallet, VerifierWeights, Vks, WeightInfo};

mod integrity_test {
	use super::*;

	#[test]
	fn passes_for_both_instances() {
		new_test_ext().execute_with(|| {
			<Pallet<Test> as Hooks<u64>>::integrity_test();
			<Pallet<Test, Instance1> as Hooks<u64>>::integrity_test();
		});
	}
}

mod try_state {
	use super::*;

	#[test]
	fn holds_after_registering_and_unregistering() {
		new_test_ext().execute_with(|| {
			register_groth16(&multiplier().vk);
			register_groth16(&many_inputs().vk);
			let id = register_fake(BOB, 5);
			register_fake(BOB, 6);
			assert_eq!(Pallet::<Test>::do_try_state(), Ok(()));
			assert_eq!(Pallet::<Test, Instance1>::do_try_state(), Ok(()));
			frame_support::assert_ok!(FakeVerifier::unregister_vk(RuntimeOrigin::signed(BOB), id));
			assert_eq!(Pallet::<Test, Instance1>::do_try_state(), Ok(()));
		});
	}

	#[test]
	fn detects_a_deposit_that_is_not_held() {
		new_test_ext().execute_with(|| {
			register_fake(BOB, 5);
			let reason = RuntimeHoldReason::FakeVerifier(crate::HoldReason::VkDeposit);
			frame_support::assert_ok!(<Balances as MutateHold<AccountId>>::release(
				&reason,
				&BOB,
				1,
				frame_support::traits::tokens::Precision::Exact
			));
			assert!(Pallet::<Test, Instance1>::do_try_state().is_err());
		});
	}

	#[test]
	fn detects_a_key_under_a_wrong_id() {
		new_test_ext().execute_with(|| {
			let id = register_fake(BOB, 5);
			let entry = Vks::<Test, Instance1>::take(id).expect("registered");
			Vks::<Test, Instance1>::insert(H256::repeat_byte(7), entry);
			assert!(Pallet::<Test, Instance1>::do_try_state().is_err());
		});
	}
}

mod verifier_weights {
	use super::*;

	/// Puts each component in its own weight dimension, so the test sees what was passed.
	struct Echo;

	impl weights::WeightInfo for Echo {
		fn register_vk(l: u32) -> Weight {
			Weight::from_parts(l.into(), 0)
		}
		fn unregister_vk() -> Weight {
			Weight::from_parts(1, 1)
		}
		fn submit_proof(n: u32) -> Weight {
			Weight::from_parts(n.into(), 0)
		}
		fn verify_batch(b: u32, n: u32) -> Weight {
			Weight::from_parts(b.into(), n.into())
		}
		fn verify_with_host_functions(n: u32) -> Weight {
			Weight::from_parts(1, n.into())
		}
		fn verify_without_host_functions(n: u32) -> Weight {
			Weight::from_parts(0, n.into())
		}
	}

	type W = VerifierWeights<Echo>;

	#[test]
	fn measure_keys_by_encoded_length_and_statements_by_input_count() {
		let s = many_inputs();
		let len = codec::Encode::encoded_size(&s.vk) as u64;
		type G = veritas_verifier_groth16::Groth16;
		assert_eq!(<W as WeightInfo<G>>::register_vk(&s.vk), Weight::from_parts(len, 0));
		assert_eq!(
			<W as WeightInfo<G>>::submit_proof(&s.proof, &s.pubs),
			Weight::from_parts(64, 0)
		);
		assert_eq!(<W as WeightInfo<G>>::unregister_vk(), Weight::from_parts(1, 1));
	}

	#[test]
	fn measure_batches_by_size_and_largest_statement() {
		let items = [(1, fake_pubs(&[1])), (2, fake_pubs(&[1, 2, 3])), (3, fake_pubs(&[]))];
		assert_eq!(<W as WeightInfo<Fake>>::verify_batch(&items), Weight::from_parts(3, 3));
	}
}
