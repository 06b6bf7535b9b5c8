//! `direct_receipts`.

use super::*;

fn direct(nonce: u64) -> Subject {
	Subject::Direct { node: node().into(), nonce }
}

#[test]
fn are_recorded_without_a_request_or_fee() {
	new_test_ext().execute_with(|| {
		setup();
		let balance = earned(&node());
		assert_ok!(submit(node(), receipt_with(&node(), direct(1), chain(), 1, 0)));
		assert_eq!(earned(&node()), balance);
		let rid = receipt_id(&[0x6e; 32], &direct(1), 0, &chain());
		assert!(Results::<Test>::contains_key(rid));
		check_state();
	});
}

#[test]
fn refuse_a_duplicate_another_node_a_fee_or_an_unaccepted_kind() {
	new_test_ext().execute_with(|| {
		setup();
		assert_ok!(submit(node(), receipt_with(&node(), direct(1), chain(), 1, 0)));
		assert_noop!(
			submit(node(), receipt_with(&node(), direct(1), chain(), 1, 0)),
			Error::<Test>::DuplicateReceipt
		);
		assert_noop!(
			submit(other_node(), receipt_with(&other_node(), direct(2), chain(), 2, 0)),
			Error::<Test>::WrongNode
		);
		assert_noop!(
			submit(node(), receipt_with(&node(), direct(3), chain(), 1, 1)),
			Error::<Test>::BadFee
		);
		let mut r = receipt_with(&node(), direct(4), chain(), 1, 0);
		r.evidence[0] = Evidence::None;
		assert_noop!(submit(node(), r), Error::<Test>::EvidenceNotAccepted);
		check_state();
	});
}

#[test]
fn keep_only_the_latest_results_per_model() {
	new_test_ext().execute_with(|| {
		setup();
		for nonce in 0..5 {
			assert_ok!(submit(node(), receipt_with(&node(), direct(nonce), chain(), 1, 0)));
		}
		let latest = Receipts::latest_results(0, 10);
		assert_eq!(latest.len(), MAX_LATEST as usize);
		assert_eq!(latest[0].0, receipt_id(&[0x6e; 32], &direct(4), 0, &chain()));
		assert_eq!(Receipts::latest_results(0, 1).len(), 1);
	});
}

#[test]
fn in_one_batch_update_the_latest_results_as_one_by_one() {
	let latest_after = |batched: bool| {
		new_test_ext().execute_with(|| {
			setup();
			let receipts: Vec<ReceiptOf<Test>> =
				(0..5).map(|nonce| receipt_with(&node(), direct(nonce), chain(), 1, 0)).collect();
			if batched {
				assert_ok!(batch(receipts));
			} else {
				for r in receipts {
					assert_ok!(submit(node(), r));
				}
			}
			check_state();
			LatestResults::<Test>::get(0).into_inner()
		})
	};
	let batched = latest_after(true);
	assert_eq!(batched.len(), MAX_LATEST as usize);
	assert_eq!(batched.last(), Some(&receipt_id(&[0x6e; 32], &direct(4), 0, &chain())));
	assert_eq!(batched, latest_after(false));
}

#[test]
fn in_one_batch_are_weighed_with_what_they_share_once() {
	new_test_ext().execute_with(|| {
		setup();
		let receipts: Vec<ReceiptOf<Test>> =
			(0..3).map(|nonce| receipt_with(&node(), direct(nonce), chain(), 1, 0)).collect();
		// Mock weights: one key, so one first signature (1,000) and five more (300 each);
		// three proofs of one segment in one batch (1,000 + 2,000 × 3); the receipts' own
		// benchmarked weights are zero.
		assert_eq!(Receipts::batch_weight(&receipts).ref_time(), 1_000 + 5 * 300 + 1_000 + 6_000);
	});
}
