use alloc::boxed::Box;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
	instances::Instance1,
};
use frame_support::{traits::Get, weights::Weight};
use sp_runtime::traits::Dispatchable;
use sp_runtime::StateVersion;

use super::*;
use crate::{statement_hash, Call, Error, Event};

type Groth16Error = Error<Test>;
type FakeError = Error<Test, Instance1>;

/// The `submit_proof` call on the Groth16 instance.
fn submit_groth16(vk_id: H256, proof: &Proof, pubs: &PublicInputs) -> RuntimeCall {
	RuntimeCall::Groth16Verifier(Call::submit_proof {
		vk_id,
		proof: Box::new(*proof),
		pubs: Box::new(pubs.clone()),
	})
}

mod works {
	use super::*;

	#[test]
	fn for_the_64_input_circom_proof() {
		new_test_ext().execute_with(|| {
			let s = many_inputs();
			let vk_id = register_groth16(&s.vk);

			assert_ok!(Groth16Verifier::submit_proof(
				RuntimeOrigin::signed(BOB),
				vk_id,
				Box::new(s.proof),
				Box::new(s.pubs.clone())
			));

			let statement = statement_hash::<veritas_verifier_groth16::Groth16>(&vk_id, &s.pubs);
			System::assert_last_event(Event::<Test>::ProofVerified { vk_id, statement }.into());
			assert_eq!(verified(), [(BOB, vk_id, statement)]);
		});
	}

	#[test]
	fn for_the_multiplier_proof_and_writes_nothing_but_the_event() {
		new_test_ext().execute_with(|| {
			let s = multiplier();
			let vk_id = register_groth16(&s.vk);
			let before = sp_io::storage::root(StateVersion::V1);
			System::reset_events();
			let root_without_events = sp_io::storage::root(StateVersion::V1);

			assert_ok!(Groth16Verifier::submit_proof(
				RuntimeOrigin::signed(ALICE),
				vk_id,
				Box::new(s.proof),
				Box::new(s.pubs)
			));

			assert_ne!(before, root_without_events);
			assert_eq!(registry_events().len(), 1);
			System::reset_events();
			assert_eq!(sp_io::storage::root(StateVersion::V1), root_without_events);
		});
	}

	#[test]
	fn with_a_statement_that_names_key_and_inputs_not_the_proof() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			let pubs = fake_pubs(&[1, 2]);
			assert_ok!(FakeVerifier::submit_proof(
				RuntimeOrigin::signed(ALICE),
				vk_id,
				Box::new(8),
				Box::new(pubs.clone())
			));
			let statement = statement_hash::<Fake>(&vk_id, &pubs);
			System::assert_last_event(
				crate::Event::<Test, Instance1>::ProofVerified { vk_id, statement }.into(),
			);
			// Same inputs under another key: another statement.
			let other = register_fake(ALICE, 6);
			assert_ne!(statement_hash::<Fake>(&other, &pubs), statement);
		});
	}

	#[test]
	fn and_charges_the_verifiers_actual_weight_when_it_reports_one() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			let call = RuntimeCall::FakeVerifier(Call::submit_proof {
				vk_id,
				proof: Box::new(8),
				pubs: Box::new(fake_pubs(&[1, 2])),
			});
			let declared = call.get_dispatch_info().call_weight;
			assert_eq!(
				declared,
				Weight::from_parts(3 * FAKE_SUBMIT_WEIGHT_PER_INPUT, 0) + HOOK_WEIGHT
			);

			let post = call.dispatch(RuntimeOrigin::signed(ALICE)).expect("verifies");

			let read = <<Test as frame_system::Config>::DbWeight as Get<
				frame_support::weights::RuntimeDbWeight,
			>>::get()
			.reads(1);
			assert_eq!(post.actual_weight, Some(FAKE_VERIFY_WEIGHT + read + HOOK_WEIGHT));
			assert!(post.actual_weight.expect("set").ref_time() < declared.ref_time());
		});
	}
}

mod rejects {
	use super::*;

	#[test]
	fn an_unknown_key() {
		new_test_ext().execute_with(|| {
			let s = multiplier();
			assert_noop!(
				Groth16Verifier::submit_proof(
					RuntimeOrigin::signed(ALICE),
					groth16_id(&s.vk),
					Box::new(s.proof),
					Box::new(s.pubs)
				),
				Groth16Error::VerificationKeyNotFound
			);
		});
	}

	#[test]
	fn wrong_public_inputs_leaving_no_event_and_no_storage_change() {
		new_test_ext().execute_with(|| {
			let s = many_inputs();
			let vk_id = register_groth16(&s.vk);
			let events_before = registry_events();

			assert_noop!(
				Groth16Verifier::submit_proof(
					RuntimeOrigin::signed(BOB),
					vk_id,
					Box::new(s.proof),
					Box::new(many_inputs_wrong_pubs())
				),
				Groth16Error::InvalidProof
			);

			assert_eq!(registry_events(), events_before);
			assert!(verified().is_empty());
		});
	}

	#[test]
	fn a_failed_verification_but_charges_the_full_declared_fee() {
		new_test_ext().execute_with(|| {
			let s = many_inputs();
			let vk_id = register_groth16(&s.vk);
			let mut proof = s.proof;
			proof.c.0[7] ^= 0x10;
			let call = submit_groth16(vk_id, &proof, &s.pubs);
			let info = call.get_dispatch_info();
			// The fee is charged before dispatch, on the declared weight...
			assert_eq!(info.pays_fee, Pays::Yes);

			let err = call.dispatch(RuntimeOrigin::signed(BOB)).expect_err("tampered proof");

			// ...and a failure refunds nothing of it.
			assert_eq!(err.error, Groth16Error::InvalidProof.into());
			assert_eq!(err.post_info.actual_weight, None);
			assert_eq!(err.post_info.pays_fee, Pays::Yes);
			assert!(verified().is_empty());
		});
	}

	#[test]
	fn a_proof_of_another_statement() {
		new_test_ext().execute_with(|| {
			let vk_id = register_groth16(&many_inputs().vk);
			let other = multiplier();
			assert_noop!(
				Groth16Verifier::submit_proof(
					RuntimeOrigin::signed(ALICE),
					vk_id,
					Box::new(other.proof),
					Box::new(other.pubs)
				),
				Groth16Error::InvalidInput
			);
		});
	}

	#[test]
	fn more_inputs_than_max_inputs_before_verifying() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			// Five inputs summing to 5 make proof 10 valid, but MaxInputs is 4.
			assert_noop!(
				FakeVerifier::submit_proof(
					RuntimeOrigin::signed(ALICE),
					vk_id,
					Box::new(10),
					Box::new(fake_pubs(&[1, 1, 1, 1, 1]))
				),
				FakeError::TooManyInputs
			);
		});
	}

	#[test]
	fn invalid_inputs_rejected_statements_and_invalid_proofs_by_name() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			let submit = |proof: u64, pubs: &[u8]| {
				FakeVerifier::submit_proof(
					RuntimeOrigin::signed(ALICE),
					vk_id,
					Box::new(proof),
					Box::new(fake_pubs(pubs)),
				)
			};
			assert_noop!(submit(260, &[255]), FakeError::InvalidInput);
			assert_noop!(submit(crate::mock::REJECT, &[1]), FakeError::VerificationRejected);
			assert_noop!(submit(7, &[1]), FakeError::InvalidProof);
			assert_ok!(submit(6, &[1]));
		});
	}

	#[test]
	fn an_unsigned_origin() {
		new_test_ext().execute_with(|| {
			let vk_id = register_fake(ALICE, 5);
			assert_noop!(
				FakeVerifier::submit_proof(
					RuntimeOrigin::none(),
					vk_id,
					Box::new(5),
					Box::new(fake_pubs(&[]))
				),
				sp_runtime::DispatchError::BadOrigin
			);
		});
	}
}
