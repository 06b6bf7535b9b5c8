//! `report_equivocation`.

use super::*;

/// Segment 0 of two requests with the same input but different outputs, signed by enclave
/// `seed`.
fn equivocation(
	seed: u8,
) -> (
	SegmentStatement,
	veritas_primitives::Signature,
	SegmentStatement,
	veritas_primitives::Signature,
) {
	let first = statement(Subject::Request(0), 0, &chain());
	let mut other = chain();
	other[1] = c("111");
	let second = statement(Subject::Request(1), 0, &other);
	let pair = enclave(seed);
	let sign = |s: &SegmentStatement| pair.sign(&s.signing_payload()).0;
	(first, sign(&first), second, sign(&second))
}

type Report = (
	SegmentStatement,
	veritas_primitives::Signature,
	SegmentStatement,
	veritas_primitives::Signature,
);

/// `who` reveals the report (without a commitment unless `commit_by` was called before).
fn report_by(
	who: AccountId32,
	key: veritas_primitives::EnclaveKey,
	(a, sa, b, sb): Report,
) -> sp_runtime::DispatchResult {
	Receipts::report_equivocation(RuntimeOrigin::signed(who), key, a, sa, b, sb)
}

/// The dapp reveals the report.
fn report(key: veritas_primitives::EnclaveKey, r: Report) -> sp_runtime::DispatchResult {
	report_by(dapp(), key, r)
}

/// `who`'s commitment to the report.
fn commitment_of(who: &AccountId32, key: &veritas_primitives::EnclaveKey, r: &Report) -> [u8; 32] {
	report_commitment(&who.clone().into(), key, &r.0, &r.1, &r.2, &r.3)
}

/// `who` commits to the report, then a block passes.
fn commit_by(who: AccountId32, key: &veritas_primitives::EnclaveKey, r: &Report) {
	let commitment = commitment_of(&who, key, r);
	assert_ok!(Receipts::commit_report(RuntimeOrigin::signed(who), commitment));
	System::set_block_number(System::block_number() + 1);
}

fn report_deposits(who: &AccountId32) -> Balance {
	Balances::balance_on_hold(
		&RuntimeHoldReason::Settlement(pallet_settlement::HoldReason::ReportDeposit),
		who,
	)
}

#[test]
fn revokes_the_key_and_slashes_the_node_rewarding_the_reporter() {
	new_test_ext().execute_with(|| {
		setup();
		let key = enclave(1).public().0;
		commit_by(dapp(), &key, &equivocation(1));
		assert!(report_deposits(&dapp()) > 0);
		let issuance = Balances::total_issuance();
		let reporter_before = Balances::balance(&dapp()) + report_deposits(&dapp());
		assert_ok!(report(key, equivocation(1)));
		assert_eq!(report_deposits(&dapp()), 0, "the commitment's deposit went back");
		let reward = MIN_BOND / 10;
		assert_eq!(Balances::balance(&dapp()), reporter_before + reward);
		assert_eq!(Balances::total_issuance(), issuance - (MIN_BOND - reward));
		assert!(!pallet_settlement::Nodes::<Test>::contains_key(node()));
		System::assert_last_event(
			Event::EquivocationReported {
				key,
				operator: node(),
				reporter: dapp(),
				slashed: MIN_BOND,
			}
			.into(),
		);
		// The key is revoked: no second report (committed or not), no receipt signed with it.
		assert_noop!(report(key, equivocation(1)), Error::<Test>::EnclaveKeyRevoked);
		commit_by(dapp(), &key, &equivocation(1));
		assert_noop!(report(key, equivocation(1)), Error::<Test>::EnclaveKeyRevoked);
		assert_ok!(Settlement::register_node(RuntimeOrigin::signed(node()), MIN_BOND));
		let id = request(10);
		assert_noop!(submit(node(), receipt(id)), Error::<Test>::InvalidEnclaveKey);
		check_state();
	});
}

#[test]
fn refuses_what_is_not_an_equivocation_changing_nothing() {
	new_test_ext().execute_with(|| {
		setup();
		let key = enclave(1).public().0;
		// The same output twice.
		let (a, sa, _, _) = equivocation(1);
		let same = statement(Subject::Request(1), 0, &chain());
		let s_same = enclave(1).sign(&same.signing_payload()).0;
		assert_noop!(report(key, (a, sa, same, s_same)), Error::<Test>::NotEquivocation);
		// Another segment, model or input.
		for change in 0..3 {
			let (a, _, mut b, _) = equivocation(1);
			match change {
				0 => b.segment = 1,
				1 => b.model = 1,
				_ => b.c_in = c("5"),
			}
			let sign = |s: &SegmentStatement| enclave(1).sign(&s.signing_payload()).0;
			assert_noop!(report(key, (a, sign(&a), b, sign(&b))), Error::<Test>::NotEquivocation);
		}
		// Another chain.
		let (mut a, _, mut b, _) = equivocation(1);
		a.genesis = [1; 32];
		b.genesis = [1; 32];
		let sign = |s: &SegmentStatement| enclave(1).sign(&s.signing_payload()).0;
		assert_noop!(report(key, (a, sign(&a), b, sign(&b))), Error::<Test>::WrongChain);
		// Signatures by another key, or an unknown key.
		assert_noop!(report(key, equivocation(2)), Error::<Test>::BadEnclaveSignature);
		assert_noop!(
			report(enclave(9).public().0, equivocation(9)),
			Error::<Test>::InvalidEnclaveKey
		);
		assert!(pallet_settlement::Nodes::<Test>::contains_key(node()));
		check_state();
	});
}

/// Two statements about other model content (another file or manifest) under one model id
/// are not an equivocation: the key signed what it ran.
#[test]
fn h2_other_content_is_no_equivocation() {
	new_test_ext().execute_with(|| {
		setup();
		let key = enclave(1).public().0;
		for change in 0..2 {
			let (a, _, mut b, _) = equivocation(1);
			match change {
				0 => b.file_hash = [9; 32],
				_ => b.model_digest = [9; 32],
			}
			let sign = |s: &SegmentStatement| enclave(1).sign(&s.signing_payload()).0;
			assert_noop!(report(key, (a, sign(&a), b, sign(&b))), Error::<Test>::NotEquivocation);
		}
		// The subject, node and fee may differ: still one input with two outputs.
		let (a, sa, mut b, _) = equivocation(1);
		b.node = other_node().into();
		b.fee = 1;
		let sb = enclave(1).sign(&b.signing_payload()).0;
		assert_ok!(report(key, (a, sa, b, sb)));
	});
}

#[test]
fn revokes_the_key_of_an_operator_without_a_bond() {
	new_test_ext().execute_with(|| {
		setup();
		let key = enclave(5).public().0;
		set_key(key, account(4).into(), true);
		assert_ok!(report(key, equivocation(5)));
		System::assert_last_event(
			Event::EquivocationReported { key, operator: account(4), reporter: dapp(), slashed: 0 }
				.into(),
		);
		assert_noop!(report(key, equivocation(5)), Error::<Test>::EnclaveKeyRevoked);
	});
}

/// L2: a report copied from the transaction pool (without a commitment of its copier) revokes
/// the key but slashes nothing, and the reporter who committed to it first still reveals it,
/// gets the reward and its deposit back.
#[test]
fn l2_a_front_run_report_earns_its_copier_nothing() {
	new_test_ext().execute_with(|| {
		setup();
		let key = enclave(1).public().0;
		let copier = account(4); // funded, not a node
		commit_by(dapp(), &key, &equivocation(1));
		let copier_before = Balances::balance(&copier);
		assert_ok!(report_by(copier.clone(), key, equivocation(1)));
		System::assert_last_event(
			Event::EquivocationReported {
				key,
				operator: node(),
				reporter: copier.clone(),
				slashed: 0,
			}
			.into(),
		);
		assert_eq!(Balances::balance(&copier), copier_before);
		assert!(pallet_settlement::Nodes::<Test>::contains_key(node()), "nothing slashed");
		// A copier committing now cannot reveal in this block, and the honest reveal lands first.
		commit_by(copier.clone(), &key, &equivocation(1));
		let before = Balances::balance(&dapp());
		assert_ok!(report(key, equivocation(1)));
		assert_eq!(Balances::balance(&dapp()) - before, MIN_BOND / 10 + report_deposits_of_one());
		assert!(!pallet_settlement::Nodes::<Test>::contains_key(node()));
		// The copier's late reveal finds nothing left to slash, and keeps its commitment.
		assert_noop!(
			report_by(copier.clone(), key, equivocation(1)),
			Error::<Test>::EnclaveKeyRevoked
		);
		assert_eq!(Balances::balance(&copier), copier_before - report_deposits_of_one());
		check_state();
	});
}

/// The deposit one commitment of a 32-byte account holds.
fn report_deposits_of_one() -> Balance {
	Receipts::report_deposit(&dapp())
}

/// L2: a commitment names its reporter: the same value committed by another account, or the
/// reporter's commitment revealed by another account, earns that account nothing.
#[test]
fn l2_a_commitment_names_its_reporter() {
	new_test_ext().execute_with(|| {
		setup();
		let key = enclave(1).public().0;
		let copier = account(4); // funded, not a node
						   // The copier commits the value it saw in the dapp's `commit_report`.
		let dapps = commitment_of(&dapp(), &key, &equivocation(1));
		assert_ok!(Receipts::commit_report(RuntimeOrigin::signed(copier.clone()), dapps));
		System::set_block_number(System::block_number() + 1);
		let before = Balances::balance(&copier);
		assert_ok!(report_by(copier.clone(), key, equivocation(1)));
		assert_eq!(Balances::balance(&copier), before);
		assert!(pallet_settlement::Nodes::<Test>::contains_key(node()), "nothing slashed");
		// Its commitment stays its own, and comes back when withdrawn.
		assert_ok!(Receipts::withdraw_report(RuntimeOrigin::signed(copier.clone()), dapps));
		assert_eq!(report_deposits(&copier), 0);
		assert_noop!(
			Receipts::withdraw_report(RuntimeOrigin::signed(copier), dapps),
			Error::<Test>::UnknownCommitment
		);
		check_state();
	});
}

/// L2: a commitment is revealed in a later block only (a block author cannot commit and reveal
/// a report it saw in the pool within one block); a duplicate commitment is refused.
#[test]
fn l2_a_commitment_of_this_block_is_too_recent() {
	new_test_ext().execute_with(|| {
		setup();
		let key = enclave(1).public().0;
		let commitment = commitment_of(&dapp(), &key, &equivocation(1));
		assert_ok!(Receipts::commit_report(RuntimeOrigin::signed(dapp()), commitment));
		assert_noop!(
			Receipts::commit_report(RuntimeOrigin::signed(dapp()), commitment),
			Error::<Test>::CommitmentExists
		);
		assert_noop!(report(key, equivocation(1)), Error::<Test>::CommitmentTooRecent);
		System::set_block_number(System::block_number() + 1);
		assert_ok!(report(key, equivocation(1)));
		assert!(!pallet_settlement::Nodes::<Test>::contains_key(node()));
		check_state();
	});
}

/// L2: an operator reporting its own key (committed) is slashed whole: no reward.
#[test]
fn l2_a_committed_self_report_earns_nothing() {
	new_test_ext().execute_with(|| {
		setup();
		let key = enclave(1).public().0;
		commit_by(node(), &key, &equivocation(1));
		let issuance = Balances::total_issuance();
		assert_ok!(report_by(node(), key, equivocation(1)));
		assert_eq!(Balances::total_issuance(), issuance - MIN_BOND);
		assert_eq!(report_deposits(&node()), 0);
		check_state();
	});
}
