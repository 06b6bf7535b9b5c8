//! `reclaim_expired`.

use super::*;

#[test]
fn refunds_after_the_deadline_only() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		let before = Balances::balance(&dapp());
		let deposit = Requests::<Test>::get(id).unwrap().deposit;
		assert_noop!(
			Receipts::reclaim_expired(RuntimeOrigin::signed(node()), id),
			Error::<Test>::NotExpired
		);
		System::set_block_number(12);
		assert_ok!(Receipts::reclaim_expired(RuntimeOrigin::signed(node()), id));
		assert_eq!(Balances::balance(&dapp()), before + MAX_FEE + deposit);
		assert_eq!(Requests::<Test>::get(id), None);
		System::assert_last_event(Event::RequestExpired { id }.into());
		assert_noop!(
			Receipts::reclaim_expired(RuntimeOrigin::signed(node()), id),
			Error::<Test>::LateReceipt
		);
		assert_noop!(
			Receipts::reclaim_expired(RuntimeOrigin::signed(node()), id + 1),
			Error::<Test>::UnknownRequest
		);
		check_state();
	});
}

#[test]
fn refuses_an_answered_request() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		assert_ok!(submit(node(), receipt(id)));
		System::set_block_number(12);
		assert_noop!(
			Receipts::reclaim_expired(RuntimeOrigin::signed(node()), id),
			Error::<Test>::AlreadyAnswered
		);
	});
}
