//! `request_inference`.

use super::*;

#[test]
fn commits_to_the_input_escrows_the_fee_and_stores_the_request() {
	new_test_ext().execute_with(|| {
		setup();
		let issuance = Balances::total_issuance();
		let id = request(10);
		let r = Requests::<Test>::get(id).unwrap();
		assert_eq!(r.c_0, chain()[0]);
		assert_eq!((r.max_fee, r.deadline, r.model), (MAX_FEE, 11, 0));
		assert_eq!(fees_held(&dapp()), MAX_FEE);
		assert_eq!(Balances::total_issuance(), issuance);
		System::assert_last_event(
			Event::InferenceRequested {
				id,
				requester: dapp(),
				model: 0,
				c_0: chain()[0],
				deadline: 11,
			}
			.into(),
		);
		check_state();
	});
}

#[test]
fn takes_a_bare_commitment_or_both_when_they_agree() {
	new_test_ext().execute_with(|| {
		setup();
		assert_ok!(Receipts::request_inference(
			RuntimeOrigin::signed(dapp()),
			0,
			None,
			Some(c("77")),
			OutputMode::Published,
			hybrid_policy(),
			MAX_FEE,
			10,
			None,
		));
		assert_eq!(Requests::<Test>::get(0).unwrap().c_0, c("77"));
		assert_ok!(Receipts::request_inference(
			RuntimeOrigin::signed(dapp()),
			0,
			Some(BoundedVec::truncate_from(INPUT.to_vec())),
			Some(chain()[0]),
			OutputMode::Published,
			hybrid_policy(),
			MAX_FEE,
			10,
			None,
		));
		check_state();
	});
}

#[test]
fn refuses_bad_requests_changing_nothing() {
	new_test_ext().execute_with(|| {
		setup();
		let input = || Some(BoundedVec::truncate_from(INPUT.to_vec()));
		let ask = |model, input, c_0, policy, ttl| {
			Receipts::request_inference(
				RuntimeOrigin::signed(dapp()),
				model,
				input,
				c_0,
				OutputMode::Published,
				policy,
				MAX_FEE,
				ttl,
				None,
			)
		};
		assert_noop!(ask(9, input(), None, hybrid_policy(), 10), Error::<Test>::UnknownModel);
		let short = BoundedVec::truncate_from(vec![EvidenceKind::Tee]);
		assert_noop!(ask(0, input(), None, short, 10), Error::<Test>::BadPolicy);
		let unaccepted =
			BoundedVec::truncate_from(vec![EvidenceKind::Zk, EvidenceKind::Zk, EvidenceKind::Tee]);
		assert_noop!(ask(0, input(), None, unaccepted, 10), Error::<Test>::BadPolicy);
		assert_noop!(ask(0, None, None, hybrid_policy(), 10), Error::<Test>::MissingInput);
		let three = Some(BoundedVec::truncate_from(vec![1, 2, 3]));
		assert_noop!(ask(0, three, None, hybrid_policy(), 10), Error::<Test>::BadInput);
		assert_noop!(
			ask(0, input(), Some(c("5")), hybrid_policy(), 10),
			Error::<Test>::InputCommitmentMismatch
		);
		assert_noop!(
			ask(0, None, Some(Commitment([0xff; 32])), hybrid_policy(), 10),
			Error::<Test>::NonCanonicalCommitment
		);
		assert_noop!(ask(0, input(), None, hybrid_policy(), 0), Error::<Test>::BadTtl);
		assert_noop!(ask(0, input(), None, hybrid_policy(), MAX_TTL + 1), Error::<Test>::BadTtl);
		assert!(Receipts::request_inference(
			RuntimeOrigin::signed(dapp()),
			0,
			input(),
			None,
			OutputMode::Published,
			hybrid_policy(),
			START * 2,
			10,
			None,
		)
		.is_err());
		assert_ok!(Models::deprecate_model(RuntimeOrigin::signed(account(4)), 0));
		assert_noop!(ask(0, input(), None, hybrid_policy(), 10), Error::<Test>::ModelDeprecated);
		assert_eq!(NextRequestId::<Test>::get(), 0);
		check_state();
	});
}

#[test]
fn m1_requests_needing_a_revoked_measurement_are_refused() {
	new_test_ext().execute_with(|| {
		setup();
		revoke_measurement();
		let free = Balances::free_balance(dapp());
		// Any TEE segment of the policy needs the measurement; no fee is locked for nothing.
		assert_noop!(ask(hybrid_policy().to_vec(), None), Error::<Test>::MeasurementRevoked);
		let attested = vec![EvidenceKind::TeeAttested, EvidenceKind::Zk, EvidenceKind::TeeAttested];
		assert_noop!(ask(attested, None), Error::<Test>::MeasurementRevoked);
		assert_eq!(Balances::free_balance(dapp()), free);
		assert_eq!(NextRequestId::<Test>::get(), 0);
		check_state();
	});
}

/// L7: a request may keep its output off chain only if its input is off chain too.
#[test]
fn l7_a_committed_output_needs_the_input_off_chain() {
	new_test_ext().execute_with(|| {
		setup();
		let ask = |input: Option<Vec<i32>>, c_0: Option<Commitment>| {
			Receipts::request_inference(
				RuntimeOrigin::signed(dapp()),
				0,
				input.map(BoundedVec::truncate_from),
				c_0,
				OutputMode::Committed,
				hybrid_policy(),
				MAX_FEE,
				10,
				None,
			)
		};
		assert_noop!(ask(Some(INPUT.to_vec()), None), Error::<Test>::CommittedOutputNeedsC0);
		assert_noop!(
			ask(Some(INPUT.to_vec()), Some(chain()[0])),
			Error::<Test>::CommittedOutputNeedsC0
		);
		assert_ok!(ask(None, Some(c("77"))));
		assert_eq!(Requests::<Test>::get(0).unwrap().output, OutputMode::Committed);
		check_state();
	});
}
