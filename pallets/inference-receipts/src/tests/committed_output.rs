//! Requests whose output stays off chain (`OutputMode::Committed`, L7): the receipt carries
//! `c_n` only.

use super::*;

/// The dapp asks for a committed output on `c_0` only; the request's id.
fn committed_request(c_0: Commitment) -> RequestId {
	let id = NextRequestId::<Test>::get();
	assert_ok!(Receipts::request_inference(
		RuntimeOrigin::signed(dapp()),
		0,
		None,
		Some(c_0),
		OutputMode::Committed,
		hybrid_policy(),
		MAX_FEE,
		10,
		None,
	));
	id
}

/// The honest receipt of a committed request: salted commitments (here any scalars) and no
/// output values.
fn committed_receipt(id: RequestId, commitments: [Commitment; 4]) -> ReceiptOf<Test> {
	let mut r = receipt_with(&node(), Subject::Request(id), commitments, 1, FEE);
	r.output = BoundedVec::new();
	r
}

#[test]
fn l7_a_receipt_without_output_answers_a_committed_request() {
	new_test_ext().execute_with(|| {
		setup();
		// Salted commitments: c_3 is no commitment of any published output.
		let salted = [c("11"), c("12"), c("13"), c("14")];
		let id = committed_request(salted[0]);
		let before = earned(&node());
		assert_ok!(submit(node(), committed_receipt(id, salted)));
		let RequestStatus::Answered(_, result) = Receipts::request_status(id) else {
			panic!("answered")
		};
		assert!(result.receipt.output.is_empty());
		assert_eq!(result.receipt.c_out.last(), Some(&salted[3]));
		assert_eq!(earned(&node()), before + FEE);
		check_state();
	});
}

#[test]
fn l7_a_committed_request_refuses_a_receipt_that_publishes_the_output() {
	new_test_ext().execute_with(|| {
		setup();
		let id = committed_request(chain()[0]);
		// The honest output and its plain commitment: still refused, the output stays off chain.
		assert_noop!(submit(node(), receipt(id)), Error::<Test>::OutputPublished);
		// A published request still needs the output that `c_n` commits to.
		let published = request(10);
		let mut empty = receipt(published);
		empty.output = BoundedVec::new();
		assert_noop!(submit(node(), empty), Error::<Test>::BadOutput);
		check_state();
	});
}
