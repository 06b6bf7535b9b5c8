//! `refused_calls`.

//! L4 of the security review: a refused call pays the weight it used, not the whole batch's.
use super::*;

fn submit_all(receipts: &[ReceiptOf<Test>]) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Receipts::submit_receipts(
		RuntimeOrigin::signed(node()),
		BoundedVec::truncate_from(receipts.to_vec()),
	)
}

#[test]
fn l4_a_refused_batch_pays_only_the_weight_it_used() {
	new_test_ext().execute_with(|| {
		setup();
		let receipts: Vec<_> = (0..3).map(|_| receipt(request(10))).collect();
		let declared = Receipts::batch_weight(&receipts);
		let used = Receipts::weights_used(&receipts);
		// The mock's weights: the first enclave key's signature 1,000, each further check
		// 300; the ZK checks (run last) are not in the weight used.
		assert_eq!(used.iter().map(|w| w.ref_time()).collect::<Vec<_>>(), [1_300, 1_900, 2_500]);
		assert!(used[2].ref_time() < declared.ref_time(), "{used:?} < {declared:?}");
		assert_eq!(Receipts::batch_weight(&receipts[..1]), used[0].saturating_add(zk_one()));

		// The first request was answered just before: refused at the first receipt.
		assert_ok!(submit(node(), receipts[0].clone()));
		let refused = submit_all(&receipts).unwrap_err();
		assert_eq!(refused.error, Error::<Test>::AlreadyAnswered.into());
		assert_eq!(refused.post_info.actual_weight, Some(used[0]));

		// Refused at the third receipt (a fee above the maximum): the first three counted.
		let mut late = receipts[1..].to_vec();
		late.push(Receipt { fee: MAX_FEE + 1, ..receipt(request(10)) });
		let used = Receipts::weights_used(&late);
		let refused = submit_all(&late).unwrap_err();
		assert_eq!(refused.error, Error::<Test>::BadFee.into());
		assert_eq!(refused.post_info.actual_weight, Some(used[2]));

		// A proof refused at the end: every check ran, the declared weight is charged.
		let mut bad = late[..2].to_vec();
		let s = statement(bad[1].subject, 1, &chain());
		bad[1].evidence[1] = zk(&OTHER_VK, &s);
		let refused = submit_all(&bad).unwrap_err();
		assert_eq!(refused.error, Error::<Test>::InvalidProof.into());
		assert_eq!(refused.post_info.actual_weight, None, "the declared weight");
		// The single-receipt call too.
		let one =
			Receipts::submit_receipt(RuntimeOrigin::signed(node()), Box::new(receipts[0].clone()));
		let alone = Receipts::weights_used(&receipts[..1])[0];
		assert_eq!(one.unwrap_err().post_info.actual_weight, Some(alone));
		check_state();
	});
}

/// The weight of one ZK check in the mock (a key's single proof, checked alone).
fn zk_one() -> frame_support::weights::Weight {
	zk_group_weight::<Zk>(1)
}
