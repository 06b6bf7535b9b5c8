//! Every call, every Rust API function and every error of the settlement pallet; money is
//! conserved through each of them.

use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};

use crate::{mock::*, *};

fn held(who: u64, reason: HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Settlement(reason), &who)
}

fn free(who: u64) -> Balance {
	Balances::balance(&who)
}

/// Total issuance must not move, and the pallet's records must match the holds.
fn conserved(f: impl FnOnce()) {
	let before = Balances::total_issuance();
	f();
	assert_eq!(Balances::total_issuance(), before, "issuance changed");
	Settlement::do_try_state().unwrap();
}

fn register(who: u64, bond: Balance) -> sp_runtime::DispatchResult {
	Settlement::register_node(RuntimeOrigin::signed(who), bond)
}

mod register_node {
	use super::*;

	#[test]
	fn holds_the_bond_and_activates_the_node() {
		new_test_ext().execute_with(|| {
			conserved(|| {
				assert_ok!(register(NODE, MIN_BOND));
			});
			assert_eq!(held(NODE, HoldReason::NodeBond), MIN_BOND);
			assert_eq!(free(NODE), START - MIN_BOND);
			assert!(Settlement::is_active_node(&NODE));
			System::assert_last_event(Event::NodeRegistered { node: NODE, bond: MIN_BOND }.into());
		});
	}

	#[test]
	fn tops_up_a_registered_bond() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(NODE, MIN_BOND));
			conserved(|| {
				assert_ok!(register(NODE, 5));
			});
			assert_eq!(Nodes::<Test>::get(NODE).unwrap().bond, MIN_BOND + 5);
			assert_eq!(held(NODE, HoldReason::NodeBond), MIN_BOND + 5);
		});
	}

	#[test]
	fn refuses_a_bond_below_the_minimum_or_beyond_the_balance() {
		new_test_ext().execute_with(|| {
			assert_noop!(register(NODE, MIN_BOND - 1), Error::<Test>::BondTooLow);
			assert!(register(NODE, START + 1).is_err());
			assert!(!Settlement::is_active_node(&NODE));
			Settlement::do_try_state().unwrap();
		});
	}

	#[test]
	fn refuses_a_top_up_while_unbonding() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(NODE, MIN_BOND));
			assert_ok!(Settlement::unregister_node(RuntimeOrigin::signed(NODE)));
			assert_noop!(register(NODE, 5), Error::<Test>::Unbonding);
		});
	}
}

mod unregister_node {
	use super::*;

	#[test]
	fn unbonds_then_releases_after_the_period() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(NODE, MIN_BOND));
			assert_ok!(Settlement::unregister_node(RuntimeOrigin::signed(NODE)));
			System::assert_last_event(
				Event::NodeUnbonding { node: NODE, until: 1 + UNBONDING }.into(),
			);
			assert!(!Settlement::is_active_node(&NODE));
			assert_eq!(held(NODE, HoldReason::NodeBond), MIN_BOND);
			System::set_block_number(UNBONDING);
			assert_noop!(
				Settlement::unregister_node(RuntimeOrigin::signed(NODE)),
				Error::<Test>::StillUnbonding
			);
			System::set_block_number(1 + UNBONDING);
			conserved(|| {
				assert_ok!(Settlement::unregister_node(RuntimeOrigin::signed(NODE)));
			});
			assert_eq!(free(NODE), START);
			assert_eq!(Nodes::<Test>::get(NODE), None);
			System::assert_last_event(
				Event::NodeUnregistered { node: NODE, bond: MIN_BOND }.into(),
			);
		});
	}

	#[test]
	fn refuses_an_unknown_node() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Settlement::unregister_node(RuntimeOrigin::signed(DAPP)),
				Error::<Test>::NotRegistered
			);
		});
	}
}

mod escrow_pay_refund {
	use super::*;

	#[test]
	fn pays_the_fee_to_the_node_and_the_rest_back() {
		new_test_ext().execute_with(|| {
			conserved(|| {
				assert_ok!(Settlement::escrow(&DAPP, 300));
				assert_ok!(Settlement::escrow(&DAPP, 200));
			});
			assert_eq!(Escrowed::<Test>::get(DAPP), 500);
			assert_eq!(held(DAPP, HoldReason::RequestEscrow), 500);
			conserved(|| {
				assert_ok!(Settlement::pay(&DAPP, &NODE, 250, 300));
			});
			assert_eq!(free(NODE), START + 250);
			assert_eq!(free(DAPP), START - 500 + 50);
			assert_eq!(Escrowed::<Test>::get(DAPP), 200);
			System::assert_last_event(
				Event::FeePaid { payer: DAPP, node: NODE, fee: 250, refunded: 50 }.into(),
			);
		});
	}

	#[test]
	fn refunds_the_whole_escrow() {
		new_test_ext().execute_with(|| {
			assert_ok!(Settlement::escrow(&DAPP, 300));
			conserved(|| {
				assert_ok!(Settlement::refund(&DAPP, 300));
			});
			assert_eq!(free(DAPP), START);
			assert!(!Escrowed::<Test>::contains_key(DAPP));
			System::assert_last_event(Event::FeeRefunded { payer: DAPP, amount: 300 }.into());
		});
	}

	#[test]
	fn refuses_more_than_escrowed_or_a_fee_above_the_escrow() {
		new_test_ext().execute_with(|| {
			assert_ok!(Settlement::escrow(&DAPP, 300));
			assert_noop!(Settlement::refund(&DAPP, 301), Error::<Test>::InsufficientEscrow);
			assert_noop!(Settlement::pay(&DAPP, &NODE, 301, 300), Error::<Test>::FeeAboveEscrow);
			assert_noop!(Settlement::pay(&DAPP, &NODE, 10, 400), Error::<Test>::InsufficientEscrow);
			assert!(Settlement::escrow(&DAPP, START).is_err());
			Settlement::do_try_state().unwrap();
		});
	}
}

mod slash {
	use super::*;

	#[test]
	fn rewards_the_reporter_burns_the_rest_and_forgets_the_node() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(NODE, 2_000));
			let issuance = Balances::total_issuance();
			assert_eq!(Settlement::slash(&NODE, &REPORTER), Ok(2_000));
			assert_eq!(free(REPORTER), START + 200);
			assert_eq!(free(NODE), START - 2_000);
			assert_eq!(held(NODE, HoldReason::NodeBond), 0);
			assert_eq!(Balances::total_issuance(), issuance - 1_800, "exactly the burned part");
			assert_eq!(Nodes::<Test>::get(NODE), None);
			System::assert_last_event(
				Event::NodeSlashed { node: NODE, reporter: REPORTER, slashed: 2_000, reward: 200 }
					.into(),
			);
			Settlement::do_try_state().unwrap();
		});
	}

	/// L2: a node racing the report of its own equivocation keeps nothing.
	#[test]
	fn l2_a_self_report_earns_nothing() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(NODE, 2_000));
			let issuance = Balances::total_issuance();
			assert_eq!(Settlement::slash(&NODE, &NODE), Ok(2_000));
			assert_eq!(free(NODE), START - 2_000);
			assert_eq!(held(NODE, HoldReason::NodeBond), 0);
			assert_eq!(Balances::total_issuance(), issuance - 2_000, "all of it burned");
			System::assert_last_event(
				Event::NodeSlashed { node: NODE, reporter: NODE, slashed: 2_000, reward: 0 }.into(),
			);
			Settlement::do_try_state().unwrap();
		});
	}

	#[test]
	fn reaches_an_unbonding_node() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(NODE, MIN_BOND));
			assert_ok!(Settlement::unregister_node(RuntimeOrigin::signed(NODE)));
			assert_eq!(Settlement::slash(&NODE, &REPORTER), Ok(MIN_BOND));
		});
	}

	#[test]
	fn refuses_an_unknown_node() {
		new_test_ext().execute_with(|| {
			assert_noop!(Settlement::slash(&DAPP, &REPORTER), Error::<Test>::NotRegistered);
		});
	}
}

mod constants {
	use frame_support::traits::Hooks;

	use super::*;

	#[test]
	fn the_integrity_test_holds_for_the_mock() {
		new_test_ext().execute_with(|| {
			<Pallet<Test> as Hooks<frame_system::pallet_prelude::BlockNumberFor<Test>>>::integrity_test();
		});
	}

	#[test]
	fn a_zero_bond_or_unbonding_period_is_refused() {
		assert_eq!(check_constants(false, true), Err("MinBond must be positive"));
		assert_eq!(check_constants(true, false), Err("UnbondingPeriod must be positive"));
		assert_eq!(check_constants(true, true), Ok(()));
	}
}
