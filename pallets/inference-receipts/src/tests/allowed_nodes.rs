//! `allowed_nodes`.

//! H1's second half and M2 of the security review: a request may name the only nodes that
//! may answer it, and must when its policy has a `None` segment (the node's word alone).
use super::*;

/// Policy Tee, None, Tee.
fn optimistic() -> Vec<EvidenceKind> {
	vec![EvidenceKind::Tee, EvidenceKind::None, EvidenceKind::Tee]
}

/// `who`'s honest answer to request `id` with `None` evidence for segment 1.
fn optimistic_receipt(who: &AccountId32, seed: u8, id: RequestId) -> ReceiptOf<Test> {
	let mut r = receipt_with(who, Subject::Request(id), chain(), seed, FEE);
	r.evidence[1] = Evidence::None;
	r
}

#[test]
fn h1_a_node_the_request_does_not_name_is_not_allowed() {
	new_test_ext().execute_with(|| {
		setup();
		assert_ok!(ask(hybrid_policy().to_vec(), Some(vec![node()])));
		let stored = Requests::<Test>::get(0).unwrap();
		assert_eq!(stored.allowed_nodes.unwrap().to_vec(), vec![node()]);
		// other_node's own, honestly signed answer: valid evidence, but not its request.
		let own = receipt_with(&other_node(), Subject::Request(0), chain(), 2, FEE);
		assert_noop!(submit(other_node(), own), Error::<Test>::NotAllowed);
		assert_eq!(fees_held(&dapp()), MAX_FEE);
		assert_ok!(submit(node(), receipt(0)));
		assert_eq!(Receipts::result_of_request(0).unwrap().1.node, node());
		check_state();
	});
}

#[test]
fn m2_none_needs_named_nodes() {
	new_test_ext().execute_with(|| {
		setup();
		assert_noop!(ask(optimistic(), None), Error::<Test>::NoneNeedsAllowedNodes);
		assert_noop!(ask(optimistic(), Some(vec![])), Error::<Test>::EmptyAllowedNodes);
		assert_noop!(ask(hybrid_policy().to_vec(), Some(vec![])), Error::<Test>::EmptyAllowedNodes);
		assert_eq!(fees_held(&dapp()), 0);
		assert_ok!(ask(optimistic(), Some(vec![other_node(), node()])));
		check_state();
	});
}

#[test]
fn m2_a_named_node_may_answer_with_none() {
	new_test_ext().execute_with(|| {
		setup();
		assert_ok!(ask(optimistic(), Some(vec![node()])));
		// A bonded node the requester did not name posts a made-up output: refused.
		let mut garbage = optimistic_receipt(&other_node(), 2, 0);
		garbage.fee = MAX_FEE;
		assert_noop!(submit(other_node(), garbage), Error::<Test>::NotAllowed);
		assert_ok!(submit(node(), optimistic_receipt(&node(), 1, 0)));
		let (_, result) = Receipts::result_of_request(0).unwrap();
		assert_eq!(result.node, node());
		assert_eq!(result.trust[1], Trust::NodeOnly);
		check_state();
	});
}
