//! M4 of the security review: every stored request and result pays a deposit until it goes,
//! expired requests and old results are removed on idle, and the runtime API tells a pruned
//! request from an unknown one.

use codec::Encode;
use frame_support::{traits::Hooks, weights::Weight};

use super::*;

fn idle(n: u64) {
	System::set_block_number(n);
	<Receipts as Hooks<u64>>::on_idle(n, Weight::MAX);
}

fn direct(nonce: u64) -> Subject {
	Subject::Direct { node: node().into(), nonce }
}

fn deposit_of(bytes: usize) -> Balance {
	DEPOSIT_BASE + DEPOSIT_PER_BYTE * bytes as Balance
}

/// The review's loop: requests naming only `c_0`, with no fee, open for one block.
fn free_request() -> RequestId {
	let id = NextRequestId::<Test>::get();
	assert_ok!(Receipts::request_inference(
		RuntimeOrigin::signed(dapp()),
		0,
		None,
		Some(chain()[0]),
		OutputMode::Published,
		hybrid_policy(),
		0,
		1,
		None,
	));
	id
}

#[test]
fn m4_a_request_without_a_fee_still_escrows_its_storage_deposit() {
	new_test_ext().execute_with(|| {
		setup();
		let ids: Vec<RequestId> = (0..5).map(|_| free_request()).collect();
		let each = Requests::<Test>::get(ids[0]).unwrap();
		assert_eq!(each.deposit, deposit_of(each.encoded_size()));
		assert!(each.deposit > DEPOSIT_BASE);
		assert_eq!(escrow_held(&dapp()), 5 * each.deposit);
		assert_eq!(Usage::<Test>::get(0), 5);
		check_state();
	});
}

#[test]
fn m4_expired_requests_are_pruned_and_refunded_on_idle() {
	new_test_ext().execute_with(|| {
		setup();
		let start = Balances::balance(&dapp());
		let first = free_request(); // deadline 2
		let long = request(5); // deadline 6
		let third = free_request(); // deadline 2
		idle(3);
		// Both expired ones are removed, the open one between them stays.
		assert_eq!(Receipts::request_status(first), RequestStatus::Pruned);
		assert_eq!(Receipts::request_status(third), RequestStatus::Pruned);
		assert_eq!(Receipts::request_status(long), RequestStatus::Open { deadline: 6 });
		assert_eq!(ExpiryFrom::<Test>::get(), 3);
		System::assert_has_event(Event::RequestExpired { id: first }.into());
		System::assert_has_event(Event::RequestExpired { id: third }.into());
		check_state();
		idle(7);
		assert_eq!(Requests::<Test>::iter().count(), 0);
		assert_eq!(escrow_held(&dapp()), 0);
		assert_eq!(Balances::balance(&dapp()), start, "every fee and deposit came back");
		assert_eq!(Usage::<Test>::get(0), 0);
		assert_eq!(Receipts::request_status(third), RequestStatus::Pruned);
		assert_eq!(Receipts::request_status(third + 1), RequestStatus::Unknown);
		check_state();
	});
}

#[test]
fn m4_results_are_pruned_after_retention_and_the_api_says_pruned() {
	new_test_ext().execute_with(|| {
		setup();
		let before = earned(&node());
		let id = request(10);
		assert_ok!(submit(node(), receipt(id)));
		assert_ok!(submit(node(), receipt_with(&node(), direct(1), chain(), 1, 0)));
		let (rid, result) = Receipts::result_of_request(id).unwrap();
		assert_eq!(result.deposit, deposit_of(result.encoded_size()));
		let direct_id = receipt_id(&[0x6e; 32], &direct(1), 0, &chain());
		let direct_deposit = Results::<Test>::get(direct_id).unwrap().deposit;
		assert_eq!(result_deposits(&node()), result.deposit + direct_deposit);
		assert_eq!(Usage::<Test>::get(0), 2, "the answered request's use passed to its result");
		assert!(matches!(Receipts::request_status(id), RequestStatus::Answered(r, _) if r == rid));
		check_state();

		// Verified at block 1: kept through block 1 + RESULT_RETENTION - 1.
		idle(RESULT_RETENTION);
		assert!(Results::<Test>::contains_key(rid));
		idle(1 + RESULT_RETENTION);
		assert!(!Results::<Test>::contains_key(rid) && !Results::<Test>::contains_key(direct_id));
		assert_eq!(Receipts::request_status(id), RequestStatus::Pruned);
		assert_eq!(Receipts::result_of_request(id), None);
		assert_eq!(result_deposits(&node()), 0);
		assert_eq!(earned(&node()), before + FEE);
		assert_eq!(Usage::<Test>::get(0), 0);
		assert!(Receipts::latest_results(0, 10).is_empty());
		System::assert_has_event(Event::ResultPruned { id: rid }.into());
		check_state();
	});
}

#[test]
fn m4_pruning_stops_at_its_budget_and_resumes() {
	new_test_ext().execute_with(|| {
		setup();
		let ids: Vec<RequestId> = (0..3).map(|_| request(10)).collect();
		assert_ok!(batch(ids.iter().map(|id| receipt(*id)).collect()));
		System::set_block_number(1 + RESULT_RETENTION);
		// Blocks 0 (empty) and 1 (two of the batch's three results).
		assert_eq!(Receipts::prune_results(3), 3);
		assert_eq!(Results::<Test>::iter().count(), 1);
		check_state();
		assert_eq!(Receipts::prune_results(3), 2, "the last result, then block 2 (empty)");
		assert_eq!(Results::<Test>::iter().count(), 0);
		assert_eq!(PruneFrom::<Test>::get(), 2);
		assert_eq!(Receipts::prune_results(3), 0, "nothing older than retention is left");
		assert_eq!(result_deposits(&node()), 0);
		check_state();
	});
}

#[test]
fn m4_expiry_looks_at_no_more_ids_than_asked() {
	new_test_ext().execute_with(|| {
		setup();
		(0..4).for_each(|_| {
			free_request();
		});
		System::set_block_number(3);
		// Deadlines 0 and 1 (no request), then one of the four at deadline 2.
		assert_eq!(Receipts::expire_requests(3), 3);
		assert_eq!(Requests::<Test>::iter().count(), 3);
		check_state();
		// The other three, then deadline 2 found empty.
		assert_eq!(Receipts::expire_requests(10), 4);
		assert_eq!(Requests::<Test>::iter().count(), 0);
		assert_eq!(Receipts::expire_requests(3), 0, "no deadline left that has passed");
		check_state();
	});
}

#[test]
fn m4_a_model_is_removable_only_once_its_requests_and_results_are_gone() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		assert_ok!(submit(node(), receipt(id)));
		free_request();
		let owner = pallet_models::Models::<Test>::get(0).unwrap().owner;
		assert_ok!(pallet_models::Pallet::<Test>::deprecate_model(
			RuntimeOrigin::signed(owner.clone()),
			0
		));
		let remove = || {
			pallet_models::Pallet::<Test>::remove_model(RuntimeOrigin::signed(owner.clone()), 0)
				.map_err(|e| e.error)
		};
		assert_noop!(remove(), pallet_models::Error::<Test>::ModelInUse);
		idle(3);
		assert_eq!(Usage::<Test>::get(0), 1, "the result is still stored");
		assert_noop!(remove(), pallet_models::Error::<Test>::ModelInUse);
		idle(1 + RESULT_RETENTION);
		assert_ok!(remove());
		assert_eq!(pallet_models::Models::<Test>::get(0), None);
		check_state();
	});
}

#[test]
fn m4_a_node_without_the_free_balance_for_the_deposit_is_refused() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		// Leave the node its existential deposit and less than a result's deposit.
		let free = Balances::balance(&node());
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(node()),
			dapp(),
			free - 10
		));
		assert!(submit(node(), receipt(id)).is_err());
		assert!(Requests::<Test>::contains_key(id));
		check_state();
	});
}
