use frame_support::{assert_noop, assert_ok, instances::Instance1};

use sp_runtime::DispatchError;

use super::*;
use crate::{statement_hash, Config, Error, Event, Pallet, Vks};

/// `Error` is only comparable as a `DispatchError`.
fn de<R, I: 'static>(r: Result<R, Error<Test, I>>) -> Result<R, DispatchError>
where
	Test: Config<I>,
{
	r.map_err(Into::into)
}

type Groth16Error = Error<Test>;
type FakeError = Error<Test, Instance1>;
type Fakes = Pallet<Test, Instance1>;

mod verify_proof {
	use super::*;

	#[test]
	fn returns_the_statement_and_emits_the_event_without_the_hook() {
		new_test_ext().execute_with(|| {
			let s = many_inputs();
			let vk_id = register_groth16(&s.vk);
			let statement = de(Pallet::<Test>::verify_proof(&vk_id, &s.proof, &s.pubs));
			let expected = statement_hash::<veritas_verifier_groth16::Groth16>(&vk_id, &s.pubs);
			assert_eq!(statement, Ok(expected));
			System::assert_last_event(
				Event::<Test>::ProofVerified { vk_id, statement: expected }.into(),
			);
			assert!(verified().is_empty());
		});
	}

	#[test]
	fn names_the_failed_condition() {
		new_test_ext().execute_with(|| {
			let s = many_inputs();
			let vk_id = register_groth16(&s.vk);
			assert_eq!(
				de(Pallet::<Test>::verify_proof(&vk_id, &s.proof, &many_inputs_wrong_pubs())),
				Err(Groth16Error::InvalidProof.into())
			);
			assert_eq!(
				de(Pallet::<Test>::verify_proof(&H256::zero(), &s.proof, &s.pubs)),
				Err(Groth16Error::VerificationKeyNotFound.into())
			);
		});
	}
}

mod verify_batch {
	use super::*;

	#[test]
	fn returns_every_statement_in_order() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			let items = [(5, fake_pubs(&[])), (7, fake_pubs(&[2])), (9, fake_pubs(&[1, 3]))];
			let statements = Fakes::verify_batch(&vk_id, &items).expect("all verify");
			let expected: Vec<H256> =
				items.iter().map(|(_, p)| statement_hash::<Fake>(&vk_id, p)).collect();
			assert_eq!(statements, expected);
			assert_eq!(registry_events().len(), 1 + items.len());
		});
	}

	#[test]
	fn checks_a_groth16_batch_at_once() {
		new_test_ext().execute_with(|| {
			let s = many_inputs();
			let vk_id = register_groth16(&s.vk);
			let good = (s.proof, s.pubs.clone());
			assert_eq!(
				de(Pallet::<Test>::verify_batch(&vk_id, &[good.clone(), good.clone()]))
					.map(|v| v.len()),
				Ok(2)
			);
			let bad = (s.proof, many_inputs_wrong_pubs());
			assert_eq!(
				de(Pallet::<Test>::verify_batch(&vk_id, &[good.clone(), bad, good])),
				Err(Groth16Error::InvalidProof.into())
			);
		});
	}

	#[test]
	fn refuses_an_empty_or_oversized_batch() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_eq!(de(Fakes::verify_batch(&vk_id, &[])), Err(FakeError::BadBatchSize.into()));
			let four = [
				(5, fake_pubs(&[])),
				(5, fake_pubs(&[])),
				(5, fake_pubs(&[])),
				(5, fake_pubs(&[])),
			];
			assert_eq!(de(Fakes::verify_batch(&vk_id, &four)), Err(FakeError::BadBatchSize.into()));
			assert_eq!(de(Fakes::verify_batch(&vk_id, &four[..3])).map(|v| v.len()), Ok(3));
		});
	}

	#[test]
	fn fails_with_any_bad_item_and_emits_nothing() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			let events = registry_events();
			let items = [(5, fake_pubs(&[])), (6, fake_pubs(&[]))];
			assert_eq!(
				de(Fakes::verify_batch(&vk_id, &items)),
				Err(FakeError::InvalidProof.into())
			);
			let too_many = [(10, fake_pubs(&[1, 1, 1, 1, 1]))];
			assert_eq!(
				de(Fakes::verify_batch(&vk_id, &too_many)),
				Err(FakeError::TooManyInputs.into())
			);
			assert_eq!(registry_events(), events);
		});
	}
}

mod references {
	use super::*;

	#[test]
	fn are_counted() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_ok!(Fakes::acquire_vk(&vk_id));
			assert_ok!(Fakes::acquire_vk(&vk_id));
			assert_eq!(Vks::<Test, Instance1>::get(vk_id).map(|e| e.refcount), Some(2));
			assert_ok!(Fakes::release_vk(&vk_id));
			assert_eq!(Vks::<Test, Instance1>::get(vk_id).map(|e| e.refcount), Some(1));
		});
	}

	#[test]
	fn cannot_be_released_below_zero() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_noop!(Fakes::release_vk(&vk_id), FakeError::VerificationKeyNotReferenced);
		});
	}

	#[test]
	fn need_a_registered_key() {
		new_test_ext().execute_with(|| {
			assert_noop!(Fakes::acquire_vk(&H256::zero()), FakeError::VerificationKeyNotFound);
			assert_noop!(Fakes::release_vk(&H256::zero()), FakeError::VerificationKeyNotFound);
		});
	}

	#[test]
	fn saturate_with_an_error() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			Vks::<Test, Instance1>::mutate(vk_id, |e| {
				if let Some(e) = e {
					e.refcount = u32::MAX
				}
			});
			assert_noop!(Fakes::acquire_vk(&vk_id), FakeError::TooManyReferences);
		});
	}
}
