//! `submit_receipts`.

use super::*;

#[test]
fn verifies_every_receipt_with_the_proofs_under_one_key_in_one_batch() {
	new_test_ext().execute_with(|| {
		setup();
		let ids: Vec<RequestId> = (0..3).map(|_| request(10)).collect();
		let node_before = earned(&node());
		assert_ok!(batch(ids.iter().map(|id| receipt(*id)).collect()));
		for id in &ids {
			assert!(Receipts::result_of_request(*id).is_some());
		}
		assert_eq!(earned(&node()), node_before + 3 * FEE);
		assert_eq!(batches_made(), (1, 3), "the three ZK segments share one batch");
		check_state();
	});
}

#[test]
fn splits_a_key_s_proofs_into_the_verifier_s_largest_batches() {
	new_test_ext().execute_with(|| {
		setup();
		let n = MAX_ZK_BATCH + 2;
		let receipts = (0..n).map(|_| receipt(request(10))).collect();
		assert_ok!(batch(receipts));
		assert_eq!(batches_made(), (2, n), "a full batch, then a batch of the two left");
		// A single proof is checked on its own.
		assert_ok!(batch(vec![receipt(request(10))]));
		assert_eq!(batches_made(), (2, n));
	});
}

#[test]
fn weighs_the_zk_checks_by_group_and_chunk() {
	new_test_ext().execute_with(|| {
		setup();
		let receipts: Vec<ReceiptOf<Test>> =
			(0..MAX_ZK_BATCH + 1).map(|_| receipt(request(10))).collect();
		// Mock weights: a key's first signature in the call 1,000, each further one 300,
		// proof 5,000, batch of n 1,000 + 2,000 n, the rest zero; two signatures per
		// receipt, all by one key.
		let tee = 1_000 + 300 * (2 * (MAX_ZK_BATCH as u64 + 1) - 1);
		let zk = (1_000 + 2_000 * MAX_ZK_BATCH as u64) + 5_000;
		assert_eq!(Receipts::batch_weight(&receipts).ref_time(), tee + zk);
		assert_eq!(Receipts::receipt_weight(&receipts[0]).ref_time(), 1_300 + 5_000);
		// A second key costs its own first signature.
		let mut two_keys = receipts[..2].to_vec();
		two_keys[1] = receipt_with(&other_node(), Subject::Request(1), chain(), 2, FEE);
		assert_eq!(Receipts::batch_weight(&two_keys).ref_time(), 2 * 1_300 + 1_000 + 4_000);
	});
}

#[test]
fn refuses_the_whole_batch_for_one_bad_receipt_storing_nothing() {
	new_test_ext().execute_with(|| {
		setup();
		let ids: Vec<RequestId> = (0..3).map(|_| request(10)).collect();
		let mut receipts: Vec<ReceiptOf<Test>> = ids.iter().map(|id| receipt(*id)).collect();
		// The last receipt's proof is made for the first request: replayed evidence.
		receipts[2].evidence[1] = receipts[0].evidence[1].clone();
		assert_noop!(batch(receipts), Error::<Test>::InvalidProof);
		let mut receipts: Vec<ReceiptOf<Test>> = ids.iter().map(|id| receipt(*id)).collect();
		receipts[1].c_out[0] = c("102");
		assert_noop!(batch(receipts), Error::<Test>::BadEnclaveSignature);
		// The same request answered twice in one batch.
		assert_noop!(batch(vec![receipt(ids[0]), receipt(ids[0])]), Error::<Test>::AlreadyAnswered);
		assert_noop!(batch(vec![]), Error::<Test>::EmptyBatch);
		for id in &ids {
			assert!(Requests::<Test>::contains_key(id));
		}
		assert_eq!(fees_held(&dapp()), 3 * MAX_FEE);
		check_state();
	});
}
