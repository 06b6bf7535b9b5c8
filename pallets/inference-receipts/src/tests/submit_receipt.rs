//! `submit_receipt`.

use super::*;

#[test]
fn verifies_a_hybrid_receipt_pays_the_node_and_stores_the_result() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		let issuance = Balances::total_issuance();
		let node_before = earned(&node());
		let dapp_before = Balances::balance(&dapp());
		let request_deposit = Requests::<Test>::get(id).unwrap().deposit;
		assert_ok!(submit(node(), receipt(id)));

		assert_eq!(earned(&node()), node_before + FEE);
		assert_eq!(Balances::balance(&dapp()), dapp_before + MAX_FEE - FEE + request_deposit);
		assert_eq!(fees_held(&dapp()), 0);
		assert_eq!(Balances::total_issuance(), issuance, "money is conserved");

		let rid = receipt_id(&[0x6e; 32], &Subject::Request(id), 0, &chain());
		let (stored_id, result) = Receipts::result_of_request(id).unwrap();
		assert_eq!(stored_id, rid);
		assert_eq!(result.receipt, receipt(id));
		assert_eq!(result.node, node());
		assert_eq!(
			result.trust.to_vec(),
			vec![
				Trust::Enclave { measurement: MEASUREMENT },
				Trust::Circuit { vk: VK },
				Trust::Enclave { measurement: MEASUREMENT }
			]
		);
		assert_eq!(Requests::<Test>::get(id), None);
		assert_eq!(Receipts::latest_results(0, 10), vec![(rid, result)]);
		System::assert_has_event(
			Event::ReceiptVerified {
				id: rid,
				subject: Subject::Request(id),
				model: 0,
				node: node(),
				c_out: chain()[3],
			}
			.into(),
		);
		check_state();
	});
}

#[test]
fn accepts_an_attestation_document_for_a_tee_segment() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		let mut r = receipt(id);
		let s = statement(Subject::Request(id), 2, &chain());
		r.evidence[2] = Evidence::TeeAttested {
			document: BoundedVec::truncate_from(attested_document(
				MEASUREMENT,
				&s.attestation_user_data(),
			)),
		};
		// The request's policy names Tee for segment 2: the kind must match it.
		assert_noop!(submit(node(), r.clone()), Error::<Test>::PolicyMismatch);
		assert_ok!(Receipts::request_inference(
			RuntimeOrigin::signed(dapp()),
			0,
			Some(BoundedVec::truncate_from(INPUT.to_vec())),
			None,
			OutputMode::Published,
			BoundedVec::truncate_from(vec![
				EvidenceKind::Tee,
				EvidenceKind::Zk,
				EvidenceKind::TeeAttested
			]),
			MAX_FEE,
			10,
			None,
		));
		let mut r = receipt(1);
		let s = statement(Subject::Request(1), 2, &chain());
		r.evidence[2] = Evidence::TeeAttested {
			document: BoundedVec::truncate_from(attested_document(
				MEASUREMENT,
				&s.attestation_user_data(),
			)),
		};
		assert_ok!(submit(node(), r));
		check_state();
	});
}

/// `r` for a fresh request must fail with `error`, storing nothing and moving no money.
fn refused(make: impl FnOnce(RequestId) -> ReceiptOf<Test>, error: Error<Test>) {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		let r = make(id);
		assert_noop!(submit(node(), r), error);
		assert!(Requests::<Test>::contains_key(id));
		assert_eq!(fees_held(&dapp()), MAX_FEE);
		check_state();
	});
}

#[test]
fn refuses_a_broken_commitment_chain() {
	// Another c_0 than the request's.
	refused(
		|id| {
			let mut commitments = chain();
			commitments[0] = c("9");
			receipt_with(&node(), Subject::Request(id), commitments, 1, FEE)
		},
		Error::<Test>::BrokenCommitmentChain,
	);
	// A middle commitment changed after signing: segment 0's signature covers c_1 = 101.
	refused(
		|id| {
			let mut r = receipt(id);
			r.c_out[0] = c("102");
			r
		},
		Error::<Test>::BadEnclaveSignature,
	);
}

#[test]
fn refuses_an_output_that_is_not_the_last_commitment() {
	refused(
		|id| {
			let mut r = receipt(id);
			r.output[0] = 6;
			r
		},
		Error::<Test>::OutputMismatch,
	);
	refused(
		|id| {
			let mut r = receipt(id);
			r.output = BoundedVec::truncate_from(vec![1, 2, 3]);
			r
		},
		Error::<Test>::BadOutput,
	);
}

#[test]
fn refuses_an_expired_or_revoked_enclave_key() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		set_key(enclave(1).public().0, node().into(), false);
		assert_noop!(submit(node(), receipt(id)), Error::<Test>::InvalidEnclaveKey);
		check_state();
	});
}

#[test]
fn refuses_an_enclave_key_of_another_node() {
	refused(
		|id| receipt_with(&other_node(), Subject::Request(id), chain(), 2, FEE),
		Error::<Test>::KeyOfAnotherNode,
	);
}

#[test]
fn refuses_evidence_under_the_wrong_verifying_key() {
	refused(
		|id| {
			let mut r = receipt(id);
			r.evidence[1] = zk(&OTHER_VK, &statement(Subject::Request(id), 1, &chain()));
			r
		},
		Error::<Test>::InvalidProof,
	);
}

#[test]
fn refuses_evidence_of_the_wrong_kind_or_count() {
	refused(
		|id| {
			let mut r = receipt(id);
			r.evidence[1] = Evidence::None;
			r
		},
		Error::<Test>::PolicyMismatch,
	);
	refused(
		|id| {
			let mut r = receipt(id);
			r.evidence.pop();
			r
		},
		Error::<Test>::WrongSegmentCount,
	);
}

#[test]
fn refuses_a_fee_above_the_maximum() {
	refused(
		|id| receipt_with(&node(), Subject::Request(id), chain(), 1, MAX_FEE + 1),
		Error::<Test>::BadFee,
	);
}

#[test]
fn refuses_a_late_receipt() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		System::set_block_number(12);
		assert_noop!(submit(node(), receipt(id)), Error::<Test>::LateReceipt);
		check_state();
	});
}

#[test]
fn refuses_a_second_answer_to_the_same_request() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		assert_ok!(submit(node(), receipt(id)));
		assert_noop!(submit(node(), receipt(id)), Error::<Test>::AlreadyAnswered);
		let other = receipt_with(&other_node(), Subject::Request(id), chain(), 2, FEE);
		assert_noop!(submit(other_node(), other), Error::<Test>::AlreadyAnswered);
		check_state();
	});
}

#[test]
fn refuses_evidence_replayed_from_another_request() {
	new_test_ext().execute_with(|| {
		setup();
		let first = request(10);
		let second = request(10);
		// The same input, so the same c_0: only the subject differs.
		let mut replayed = receipt(first);
		replayed.subject = Subject::Request(second);
		assert_noop!(submit(node(), replayed), Error::<Test>::BadEnclaveSignature);
		// Even with fresh TEE signatures, the proof binds the first request.
		let mut replayed = receipt(second);
		replayed.evidence[1] = receipt(first).evidence[1].clone();
		assert_noop!(submit(node(), replayed), Error::<Test>::InvalidProof);
		check_state();
	});
}

#[test]
fn refuses_an_account_that_is_not_an_active_node() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		assert_noop!(submit(dapp(), receipt(id)), Error::<Test>::NotANode);
		assert_ok!(Settlement::unregister_node(RuntimeOrigin::signed(node())));
		assert_noop!(submit(node(), receipt(id)), Error::<Test>::NotANode);
	});
}

#[test]
fn refuses_an_unknown_request() {
	new_test_ext().execute_with(|| {
		setup();
		assert_noop!(submit(node(), receipt(7)), Error::<Test>::UnknownRequest);
	});
}
