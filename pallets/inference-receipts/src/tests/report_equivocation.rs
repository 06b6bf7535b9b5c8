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

fn report(
	key: veritas_primitives::EnclaveKey,
	(a, sa, b, sb): (
		SegmentStatement,
		veritas_primitives::Signature,
		SegmentStatement,
		veritas_primitives::Signature,
	),
) -> sp_runtime::DispatchResult {
	Receipts::report_equivocation(RuntimeOrigin::signed(dapp()), key, a, sa, b, sb)
}

#[test]
fn revokes_the_key_and_slashes_the_node_rewarding_the_reporter() {
	new_test_ext().execute_with(|| {
		setup();
		let key = enclave(1).public().0;
		let issuance = Balances::total_issuance();
		let reporter_before = Balances::balance(&dapp());
		assert_ok!(report(key, equivocation(1)));
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
		// The key is revoked: no second report, no receipt signed with it.
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
