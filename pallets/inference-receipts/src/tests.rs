//! Every call and every error of the receipts pallet on the mock runtime: requests, the hybrid
//! TEE → ZK → TEE receipt, each way a receipt is refused (with nothing stored and no money
//! moved), direct receipts and expiry.

use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use sp_core::Pair;
use sp_runtime::AccountId32;
use veritas_primitives::{
	commit, receipt_id, Commitment, Evidence, EvidenceKind, EvidenceSet, RequestId, SegmentSpec,
	SegmentStatement, Subject,
};

use crate::{mock::*, *};

const INPUT: [i32; 4] = [1, -2, 3, 4];
const OUTPUT: [i32; 2] = [5, -6];
const FEE: Balance = 300;
const MAX_FEE: Balance = 500;

fn dapp() -> AccountId32 {
	account(1)
}
fn node() -> AccountId32 {
	account(2)
}
fn other_node() -> AccountId32 {
	account(3)
}

fn c(decimal: &str) -> Commitment {
	Commitment::from_decimal(decimal).unwrap()
}

fn tee_spec() -> SegmentSpec {
	SegmentSpec {
		accepts: EvidenceSet::of(&[EvidenceKind::Tee, EvidenceKind::TeeAttested]),
		vk: None,
		measurement: Some(MEASUREMENT),
	}
}

/// The hybrid model (TEE → ZK → TEE, input [4], output [2]).
fn manifest() -> pallet_models::ModelOf<Test> {
	pallet_models::Models::<Test>::get(0).expect("setup() registered model 0")
}

/// Registers the hybrid model (TEE → ZK → TEE, input [4], output [2]) as model 0, bonds both
/// nodes and gives `node()` the enclave key of seed 1.
fn setup() {
	let manifest = pallet_models::ModelManifest {
		name: BoundedVec::truncate_from(b"hybrid".to_vec()),
		file_hash: [1; 32],
		scale: 256,
		input_shape: BoundedVec::truncate_from(vec![4]),
		output_shape: BoundedVec::truncate_from(vec![2]),
		segments: BoundedVec::truncate_from(vec![
			tee_spec(),
			SegmentSpec {
				accepts: EvidenceSet::of(&[EvidenceKind::Zk, EvidenceKind::None]),
				vk: Some(VK),
				measurement: None,
			},
			tee_spec(),
		]),
		development: false,
	};
	assert_ok!(Models::register_model(RuntimeOrigin::signed(account(4)), Box::new(manifest)));
	for n in [node(), other_node()] {
		assert_ok!(Settlement::register_node(RuntimeOrigin::signed(n), MIN_BOND));
	}
	set_key(enclave(1).public().0, node().into(), true);
	set_key(enclave(2).public().0, other_node().into(), true);
}

fn hybrid_policy() -> BoundedVec<EvidenceKind, frame_support::traits::ConstU32<4>> {
	BoundedVec::truncate_from(vec![EvidenceKind::Tee, EvidenceKind::Zk, EvidenceKind::Tee])
}

/// The dapp asks model 0 for `INPUT` under `policy`, naming `allowed` nodes, if any.
fn ask(policy: Vec<EvidenceKind>, allowed: Option<Vec<AccountId32>>) -> sp_runtime::DispatchResult {
	Receipts::request_inference(
		RuntimeOrigin::signed(dapp()),
		0,
		Some(BoundedVec::truncate_from(INPUT.to_vec())),
		None,
		BoundedVec::truncate_from(policy),
		MAX_FEE,
		10,
		allowed.map(BoundedVec::truncate_from),
	)
}

fn request(ttl: u64) -> RequestId {
	let id = NextRequestId::<Test>::get();
	assert_ok!(Receipts::request_inference(
		RuntimeOrigin::signed(dapp()),
		0,
		Some(BoundedVec::truncate_from(INPUT.to_vec())),
		None,
		hybrid_policy(),
		MAX_FEE,
		ttl,
		None,
	));
	id
}

/// The commitments of the honest answer: c_0 (input), c_1, c_2 (hidden), c_3 (output).
fn chain() -> [Commitment; 4] {
	[commit(&[4], &INPUT).unwrap(), c("101"), c("202"), commit(&[2], &OUTPUT).unwrap()]
}

/// Segment `segment`'s statement for `node()` claiming `FEE`.
fn statement(subject: Subject, segment: u8, commitments: &[Commitment; 4]) -> SegmentStatement {
	statement_of(&node(), FEE, subject, segment, commitments)
}

/// Segment `segment`'s statement for `node` claiming `fee`, about model 0's registered content.
fn statement_of(
	node: &AccountId32,
	fee: Balance,
	subject: Subject,
	segment: u8,
	commitments: &[Commitment; 4],
) -> SegmentStatement {
	let model = manifest();
	SegmentStatement {
		genesis: [0x6e; 32],
		subject,
		node: node.clone().into(),
		fee: fee.into(),
		model: 0,
		file_hash: model.manifest.file_hash,
		model_digest: model.manifest.digest(),
		segment,
		c_in: commitments[segment as usize],
		c_out: commitments[segment as usize + 1],
	}
}

fn tee(
	seed: u8,
	s: &SegmentStatement,
) -> Evidence<BoundedVec<u8, frame_support::traits::ConstU32<64>>, [u8; 32]> {
	let pair = enclave(seed);
	Evidence::Tee { key: pair.public().0, signature: pair.sign(&s.signing_payload()).0 }
}

fn zk(
	vk: &veritas_primitives::VkId,
	s: &SegmentStatement,
) -> Evidence<BoundedVec<u8, frame_support::traits::ConstU32<64>>, [u8; 32]> {
	Evidence::Zk { proof: zk_proof(vk, &s.zk_public_inputs_le().unwrap()) }
}

/// The hybrid receipt of `node` claiming `fee` for `subject` over `commitments`, signed with
/// enclave `seed` (honest when `seed` is `node`'s key).
fn receipt_with(
	node: &AccountId32,
	subject: Subject,
	commitments: [Commitment; 4],
	seed: u8,
	fee: Balance,
) -> ReceiptOf<Test> {
	let s = |i| statement_of(node, fee, subject, i, &commitments);
	Receipt {
		subject,
		model: 0,
		c_0: commitments[0],
		c_out: BoundedVec::truncate_from(commitments[1..].to_vec()),
		output: BoundedVec::truncate_from(OUTPUT.to_vec()),
		evidence: BoundedVec::truncate_from(vec![
			tee(seed, &s(0)),
			zk(&VK, &s(1)),
			tee(seed, &s(2)),
		]),
		fee,
	}
}

fn receipt(request: RequestId) -> ReceiptOf<Test> {
	receipt_with(&node(), Subject::Request(request), chain(), 1, FEE)
}

fn submit(who: AccountId32, r: ReceiptOf<Test>) -> sp_runtime::DispatchResult {
	Receipts::submit_receipt(RuntimeOrigin::signed(who), Box::new(r))
		.map(|_| ())
		.map_err(|e| e.error)
}

/// `node()` submits `receipts` in one `submit_receipts`.
fn batch(receipts: Vec<ReceiptOf<Test>>) -> sp_runtime::DispatchResult {
	Receipts::submit_receipts(RuntimeOrigin::signed(node()), BoundedVec::truncate_from(receipts))
		.map(|_| ())
		.map_err(|e| e.error)
}

fn escrow_held(who: &AccountId32) -> Balance {
	Balances::balance_on_hold(
		&RuntimeHoldReason::Settlement(pallet_settlement::HoldReason::RequestEscrow),
		who,
	)
}

fn check_state() {
	Receipts::do_try_state().unwrap();
	Settlement::do_try_state().unwrap();
}

mod request_inference {
	use super::*;

	#[test]
	fn commits_to_the_input_escrows_the_fee_and_stores_the_request() {
		new_test_ext().execute_with(|| {
			setup();
			let issuance = Balances::total_issuance();
			let id = request(10);
			let r = Requests::<Test>::get(id).unwrap();
			assert_eq!(r.c_0, chain()[0]);
			assert_eq!((r.max_fee, r.deadline, r.model), (MAX_FEE, 11, 0));
			assert_eq!(escrow_held(&dapp()), MAX_FEE);
			assert_eq!(Balances::total_issuance(), issuance);
			System::assert_last_event(
				Event::InferenceRequested {
					id,
					requester: dapp(),
					model: 0,
					c_0: chain()[0],
					deadline: 11,
				}
				.into(),
			);
			check_state();
		});
	}

	#[test]
	fn takes_a_bare_commitment_or_both_when_they_agree() {
		new_test_ext().execute_with(|| {
			setup();
			assert_ok!(Receipts::request_inference(
				RuntimeOrigin::signed(dapp()),
				0,
				None,
				Some(c("77")),
				hybrid_policy(),
				MAX_FEE,
				10,
				None,
			));
			assert_eq!(Requests::<Test>::get(0).unwrap().c_0, c("77"));
			assert_ok!(Receipts::request_inference(
				RuntimeOrigin::signed(dapp()),
				0,
				Some(BoundedVec::truncate_from(INPUT.to_vec())),
				Some(chain()[0]),
				hybrid_policy(),
				MAX_FEE,
				10,
				None,
			));
			check_state();
		});
	}

	#[test]
	fn refuses_bad_requests_changing_nothing() {
		new_test_ext().execute_with(|| {
			setup();
			let input = || Some(BoundedVec::truncate_from(INPUT.to_vec()));
			let ask = |model, input, c_0, policy, ttl| {
				Receipts::request_inference(
					RuntimeOrigin::signed(dapp()),
					model,
					input,
					c_0,
					policy,
					MAX_FEE,
					ttl,
					None,
				)
			};
			assert_noop!(ask(9, input(), None, hybrid_policy(), 10), Error::<Test>::UnknownModel);
			let short = BoundedVec::truncate_from(vec![EvidenceKind::Tee]);
			assert_noop!(ask(0, input(), None, short, 10), Error::<Test>::BadPolicy);
			let unaccepted = BoundedVec::truncate_from(vec![
				EvidenceKind::Zk,
				EvidenceKind::Zk,
				EvidenceKind::Tee,
			]);
			assert_noop!(ask(0, input(), None, unaccepted, 10), Error::<Test>::BadPolicy);
			assert_noop!(ask(0, None, None, hybrid_policy(), 10), Error::<Test>::MissingInput);
			let three = Some(BoundedVec::truncate_from(vec![1, 2, 3]));
			assert_noop!(ask(0, three, None, hybrid_policy(), 10), Error::<Test>::BadInput);
			assert_noop!(
				ask(0, input(), Some(c("5")), hybrid_policy(), 10),
				Error::<Test>::InputCommitmentMismatch
			);
			assert_noop!(
				ask(0, None, Some(Commitment([0xff; 32])), hybrid_policy(), 10),
				Error::<Test>::NonCanonicalCommitment
			);
			assert_noop!(ask(0, input(), None, hybrid_policy(), 0), Error::<Test>::BadTtl);
			assert_noop!(
				ask(0, input(), None, hybrid_policy(), MAX_TTL + 1),
				Error::<Test>::BadTtl
			);
			assert!(Receipts::request_inference(
				RuntimeOrigin::signed(dapp()),
				0,
				input(),
				None,
				hybrid_policy(),
				START * 2,
				10,
				None,
			)
			.is_err());
			assert_ok!(Models::deprecate_model(RuntimeOrigin::signed(account(4)), 0));
			assert_noop!(
				ask(0, input(), None, hybrid_policy(), 10),
				Error::<Test>::ModelDeprecated
			);
			assert_eq!(NextRequestId::<Test>::get(), 0);
			check_state();
		});
	}

	#[test]
	fn m1_requests_needing_a_revoked_measurement_are_refused() {
		new_test_ext().execute_with(|| {
			setup();
			revoke_measurement();
			let free = Balances::free_balance(dapp());
			// Any TEE segment of the policy needs the measurement; no fee is locked for nothing.
			assert_noop!(ask(hybrid_policy().to_vec(), None), Error::<Test>::MeasurementRevoked);
			let attested =
				vec![EvidenceKind::TeeAttested, EvidenceKind::Zk, EvidenceKind::TeeAttested];
			assert_noop!(ask(attested, None), Error::<Test>::MeasurementRevoked);
			assert_eq!(Balances::free_balance(dapp()), free);
			assert_eq!(NextRequestId::<Test>::get(), 0);
			check_state();
		});
	}
}

mod submit_receipt {
	use super::*;

	#[test]
	fn verifies_a_hybrid_receipt_pays_the_node_and_stores_the_result() {
		new_test_ext().execute_with(|| {
			setup();
			let id = request(10);
			let issuance = Balances::total_issuance();
			let node_before = Balances::balance(&node());
			let dapp_before = Balances::balance(&dapp());
			assert_ok!(submit(node(), receipt(id)));

			assert_eq!(Balances::balance(&node()), node_before + FEE);
			assert_eq!(Balances::balance(&dapp()), dapp_before + MAX_FEE - FEE);
			assert_eq!(escrow_held(&dapp()), 0);
			assert_eq!(Balances::total_issuance(), issuance, "money is conserved");

			let rid = receipt_id(&[0x6e; 32], &Subject::Request(id), 0, &chain());
			let (stored_id, result) = Receipts::result_of_request(id).unwrap();
			assert_eq!(stored_id, rid);
			assert_eq!(result.receipt, receipt(id));
			assert_eq!(result.node, node());
			assert_eq!(
				result.trust.to_vec(),
				vec![
					Trust::Enclave { measurement: MEASUREMENT },
					Trust::Circuit { vk: VK },
					Trust::Enclave { measurement: MEASUREMENT }
				]
			);
			assert_eq!(Requests::<Test>::get(id), None);
			assert_eq!(Receipts::latest_results(0, 10), vec![(rid, result)]);
			System::assert_has_event(
				Event::ReceiptVerified {
					id: rid,
					subject: Subject::Request(id),
					model: 0,
					node: node(),
					c_out: chain()[3],
				}
				.into(),
			);
			check_state();
		});
	}

	#[test]
	fn accepts_an_attestation_document_for_a_tee_segment() {
		new_test_ext().execute_with(|| {
			setup();
			let id = request(10);
			let mut r = receipt(id);
			let s = statement(Subject::Request(id), 2, &chain());
			r.evidence[2] = Evidence::TeeAttested {
				document: BoundedVec::truncate_from(attested_document(
					MEASUREMENT,
					&s.attestation_user_data(),
				)),
			};
			// The request's policy names Tee for segment 2: the kind must match it.
			assert_noop!(submit(node(), r.clone()), Error::<Test>::PolicyMismatch);
			assert_ok!(Receipts::request_inference(
				RuntimeOrigin::signed(dapp()),
				0,
				Some(BoundedVec::truncate_from(INPUT.to_vec())),
				None,
				BoundedVec::truncate_from(vec![
					EvidenceKind::Tee,
					EvidenceKind::Zk,
					EvidenceKind::TeeAttested
				]),
				MAX_FEE,
				10,
				None,
			));
			let mut r = receipt(1);
			let s = statement(Subject::Request(1), 2, &chain());
			r.evidence[2] = Evidence::TeeAttested {
				document: BoundedVec::truncate_from(attested_document(
					MEASUREMENT,
					&s.attestation_user_data(),
				)),
			};
			assert_ok!(submit(node(), r));
			check_state();
		});
	}

	/// `r` for a fresh request must fail with `error`, storing nothing and moving no money.
	fn refused(make: impl FnOnce(RequestId) -> ReceiptOf<Test>, error: Error<Test>) {
		new_test_ext().execute_with(|| {
			setup();
			let id = request(10);
			let r = make(id);
			assert_noop!(submit(node(), r), error);
			assert!(Requests::<Test>::contains_key(id));
			assert_eq!(escrow_held(&dapp()), MAX_FEE);
			check_state();
		});
	}

	#[test]
	fn refuses_a_broken_commitment_chain() {
		// Another c_0 than the request's.
		refused(
			|id| {
				let mut commitments = chain();
				commitments[0] = c("9");
				receipt_with(&node(), Subject::Request(id), commitments, 1, FEE)
			},
			Error::<Test>::BrokenCommitmentChain,
		);
		// A middle commitment changed after signing: segment 0's signature covers c_1 = 101.
		refused(
			|id| {
				let mut r = receipt(id);
				r.c_out[0] = c("102");
				r
			},
			Error::<Test>::BadEnclaveSignature,
		);
	}

	#[test]
	fn refuses_an_output_that_is_not_the_last_commitment() {
		refused(
			|id| {
				let mut r = receipt(id);
				r.output[0] = 6;
				r
			},
			Error::<Test>::OutputMismatch,
		);
		refused(
			|id| {
				let mut r = receipt(id);
				r.output = BoundedVec::truncate_from(vec![1, 2, 3]);
				r
			},
			Error::<Test>::BadOutput,
		);
	}

	#[test]
	fn refuses_an_expired_or_revoked_enclave_key() {
		new_test_ext().execute_with(|| {
			setup();
			let id = request(10);
			set_key(enclave(1).public().0, node().into(), false);
			assert_noop!(submit(node(), receipt(id)), Error::<Test>::InvalidEnclaveKey);
			check_state();
		});
	}

	#[test]
	fn refuses_an_enclave_key_of_another_node() {
		refused(
			|id| receipt_with(&other_node(), Subject::Request(id), chain(), 2, FEE),
			Error::<Test>::KeyOfAnotherNode,
		);
	}

	#[test]
	fn refuses_evidence_under_the_wrong_verifying_key() {
		refused(
			|id| {
				let mut r = receipt(id);
				r.evidence[1] = zk(&OTHER_VK, &statement(Subject::Request(id), 1, &chain()));
				r
			},
			Error::<Test>::InvalidProof,
		);
	}

	#[test]
	fn refuses_evidence_of_the_wrong_kind_or_count() {
		refused(
			|id| {
				let mut r = receipt(id);
				r.evidence[1] = Evidence::None;
				r
			},
			Error::<Test>::PolicyMismatch,
		);
		refused(
			|id| {
				let mut r = receipt(id);
				r.evidence.pop();
				r
			},
			Error::<Test>::WrongSegmentCount,
		);
	}

	#[test]
	fn refuses_a_fee_above_the_maximum() {
		refused(
			|id| receipt_with(&node(), Subject::Request(id), chain(), 1, MAX_FEE + 1),
			Error::<Test>::BadFee,
		);
	}

	#[test]
	fn refuses_a_late_receipt() {
		new_test_ext().execute_with(|| {
			setup();
			let id = request(10);
			System::set_block_number(12);
			assert_noop!(submit(node(), receipt(id)), Error::<Test>::LateReceipt);
			check_state();
		});
	}

	#[test]
	fn refuses_a_second_answer_to_the_same_request() {
		new_test_ext().execute_with(|| {
			setup();
			let id = request(10);
			assert_ok!(submit(node(), receipt(id)));
			assert_noop!(submit(node(), receipt(id)), Error::<Test>::AlreadyAnswered);
			let other = receipt_with(&other_node(), Subject::Request(id), chain(), 2, FEE);
			assert_noop!(submit(other_node(), other), Error::<Test>::AlreadyAnswered);
			check_state();
		});
	}

	#[test]
	fn refuses_evidence_replayed_from_another_request() {
		new_test_ext().execute_with(|| {
			setup();
			let first = request(10);
			let second = request(10);
			// The same input, so the same c_0: only the subject differs.
			let mut replayed = receipt(first);
			replayed.subject = Subject::Request(second);
			assert_noop!(submit(node(), replayed), Error::<Test>::BadEnclaveSignature);
			// Even with fresh TEE signatures, the proof binds the first request.
			let mut replayed = receipt(second);
			replayed.evidence[1] = receipt(first).evidence[1].clone();
			assert_noop!(submit(node(), replayed), Error::<Test>::InvalidProof);
			check_state();
		});
	}

	#[test]
	fn refuses_an_account_that_is_not_an_active_node() {
		new_test_ext().execute_with(|| {
			setup();
			let id = request(10);
			assert_noop!(submit(dapp(), receipt(id)), Error::<Test>::NotANode);
			assert_ok!(Settlement::unregister_node(RuntimeOrigin::signed(node())));
			assert_noop!(submit(node(), receipt(id)), Error::<Test>::NotANode);
		});
	}

	#[test]
	fn refuses_an_unknown_request() {
		new_test_ext().execute_with(|| {
			setup();
			assert_noop!(submit(node(), receipt(7)), Error::<Test>::UnknownRequest);
		});
	}
}

mod direct_receipts {
	use super::*;

	fn direct(nonce: u64) -> Subject {
		Subject::Direct { node: node().into(), nonce }
	}

	#[test]
	fn are_recorded_without_a_request_or_fee() {
		new_test_ext().execute_with(|| {
			setup();
			let balance = Balances::balance(&node());
			assert_ok!(submit(node(), receipt_with(&node(), direct(1), chain(), 1, 0)));
			assert_eq!(Balances::balance(&node()), balance);
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
				let receipts: Vec<ReceiptOf<Test>> = (0..5)
					.map(|nonce| receipt_with(&node(), direct(nonce), chain(), 1, 0))
					.collect();
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
			assert_eq!(
				Receipts::batch_weight(&receipts).ref_time(),
				1_000 + 5 * 300 + 1_000 + 6_000
			);
		});
	}
}

mod enclave_keys {
	use std::collections::BTreeMap;

	use super::*;

	#[test]
	fn are_looked_up_once_per_call_and_valid_for_their_own_measurement_only() {
		new_test_ext().execute_with(|| {
			setup();
			let s = statement(Subject::Request(0), 0, &chain());
			let evidence = tee(1, &s);
			let mut keys = BTreeMap::new();
			let mut zk = Vec::new();
			let check = |spec: &SegmentSpec, keys: &mut BTreeMap<_, _>, zk: &mut Vec<_>| {
				check_segment::<Test>(spec, &evidence, &s, &node().into(), keys, zk)
			};
			assert!(matches!(
				check(&tee_spec(), &mut keys, &mut zk),
				Ok(Trust::Enclave { measurement: MEASUREMENT })
			));
			assert_eq!(keys.get(&enclave(1).public().0), Some(&(MEASUREMENT, node().into())));
			// Found valid earlier in the call: not looked up again (the mock's record is gone).
			set_key(enclave(1).public().0, node().into(), false);
			assert!(check(&tee_spec(), &mut keys, &mut zk).is_ok());
			// But a segment of another measurement does not accept it.
			let other = SegmentSpec { measurement: Some([2; 32]), ..tee_spec() };
			assert!(matches!(
				check(&other, &mut keys, &mut zk),
				Err(Error::<Test>::InvalidEnclaveKey)
			));
			// A fresh call looks it up again.
			assert!(matches!(
				check(&tee_spec(), &mut BTreeMap::new(), &mut zk),
				Err(Error::<Test>::InvalidEnclaveKey)
			));
		});
	}
}

mod reclaim_expired {
	use super::*;

	#[test]
	fn refunds_after_the_deadline_only() {
		new_test_ext().execute_with(|| {
			setup();
			let id = request(10);
			let before = Balances::balance(&dapp());
			assert_noop!(
				Receipts::reclaim_expired(RuntimeOrigin::signed(node()), id),
				Error::<Test>::NotExpired
			);
			System::set_block_number(12);
			assert_ok!(Receipts::reclaim_expired(RuntimeOrigin::signed(node()), id));
			assert_eq!(Balances::balance(&dapp()), before + MAX_FEE);
			assert_eq!(Requests::<Test>::get(id), None);
			System::assert_last_event(Event::RequestExpired { id }.into());
			assert_noop!(
				Receipts::reclaim_expired(RuntimeOrigin::signed(node()), id),
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
}

mod submit_receipts {
	use super::*;

	#[test]
	fn verifies_every_receipt_with_the_proofs_under_one_key_in_one_batch() {
		new_test_ext().execute_with(|| {
			setup();
			let ids: Vec<RequestId> = (0..3).map(|_| request(10)).collect();
			let node_before = Balances::balance(&node());
			assert_ok!(batch(ids.iter().map(|id| receipt(*id)).collect()));
			for id in &ids {
				assert!(Receipts::result_of_request(*id).is_some());
			}
			assert_eq!(Balances::balance(&node()), node_before + 3 * FEE);
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
			assert_noop!(
				batch(vec![receipt(ids[0]), receipt(ids[0])]),
				Error::<Test>::AlreadyAnswered
			);
			assert_noop!(batch(vec![]), Error::<Test>::EmptyBatch);
			for id in &ids {
				assert!(Requests::<Test>::contains_key(id));
			}
			assert_eq!(escrow_held(&dapp()), 3 * MAX_FEE);
			check_state();
		});
	}
}

mod refused_calls {
	//! L4 of the security review: a refused call pays the weight it used, not the whole batch's.
	use super::*;

	fn submit_all(
		receipts: &[ReceiptOf<Test>],
	) -> frame_support::dispatch::DispatchResultWithPostInfo {
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
			assert_eq!(
				used.iter().map(|w| w.ref_time()).collect::<Vec<_>>(),
				[1_300, 1_900, 2_500]
			);
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
			let one = Receipts::submit_receipt(
				RuntimeOrigin::signed(node()),
				Box::new(receipts[0].clone()),
			);
			let alone = Receipts::weights_used(&receipts[..1])[0];
			assert_eq!(one.unwrap_err().post_info.actual_weight, Some(alone));
			check_state();
		});
	}

	/// The weight of one ZK check in the mock (a key's single proof, checked alone).
	fn zk_one() -> frame_support::weights::Weight {
		zk_group_weight::<Zk>(1)
	}
}

mod report_equivocation {
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
				assert_noop!(
					report(key, (a, sign(&a), b, sign(&b))),
					Error::<Test>::NotEquivocation
				);
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
				assert_noop!(
					report(key, (a, sign(&a), b, sign(&b))),
					Error::<Test>::NotEquivocation
				);
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
				Event::EquivocationReported {
					key,
					operator: account(4),
					reporter: dapp(),
					slashed: 0,
				}
				.into(),
			);
			assert_noop!(report(key, equivocation(5)), Error::<Test>::EnclaveKeyRevoked);
		});
	}
}

mod binding {
	//! H1 (receipts bound to their submitter and fee) and H2 (evidence bound to the model's
	//! content) of the security review.
	use super::*;

	/// A request for model 0 under `policy`.
	fn request_with(policy: Vec<EvidenceKind>) -> RequestId {
		let id = NextRequestId::<Test>::get();
		assert_ok!(Receipts::request_inference(
			RuntimeOrigin::signed(dapp()),
			0,
			Some(BoundedVec::truncate_from(INPUT.to_vec())),
			None,
			BoundedVec::truncate_from(policy),
			MAX_FEE,
			10,
			None,
		));
		id
	}

	/// The receipt `node` makes for request `id` claiming `fee`, with attested documents for
	/// segments 0 and 2 and a proof for segment 1 (policy TeeAttested, Zk, TeeAttested).
	fn attested_receipt(node: &AccountId32, id: RequestId, fee: Balance) -> ReceiptOf<Test> {
		let mut r = receipt_with(node, Subject::Request(id), chain(), 1, fee);
		for i in [0u8, 2] {
			let s = statement_of(node, fee, Subject::Request(id), i, &chain());
			r.evidence[i as usize] = Evidence::TeeAttested {
				document: BoundedVec::truncate_from(attested_document(
					MEASUREMENT,
					&s.attestation_user_data(),
				)),
			};
		}
		r
	}

	fn attested_policy() -> Vec<EvidenceKind> {
		vec![EvidenceKind::TeeAttested, EvidenceKind::Zk, EvidenceKind::TeeAttested]
	}

	/// Another bonded node copies the honest node's receipt (as it would from the transaction
	/// pool), with the same fee or the largest the request allows: every copy is refused with
	/// a typed error, nothing moves, and the honest receipt still lands and is paid.
	#[test]
	fn h1_copied_receipt_is_refused() {
		new_test_ext().execute_with(|| {
			setup();
			// Attested segments and a proof: the copy's attestation no longer matches.
			let id = request_with(attested_policy());
			let honest = attested_receipt(&node(), id, FEE);
			for fee in [FEE, MAX_FEE] {
				let copy = ReceiptOf::<Test> { fee, ..honest.clone() };
				assert_noop!(submit(other_node(), copy), Error::<Test>::BadAttestation);
			}
			// A proof alone (segment 1, the attested segments made honestly for the copier):
			// its binding names the honest node.
			let mut copy = attested_receipt(&other_node(), id, FEE);
			copy.evidence[1] = honest.evidence[1].clone();
			assert_noop!(submit(other_node(), copy), Error::<Test>::InvalidProof);
			// Enclave-signed segments: the key is another node's.
			let signed = request(10);
			let copy = receipt(signed);
			assert_noop!(submit(other_node(), copy), Error::<Test>::KeyOfAnotherNode);

			let before = Balances::balance(&node());
			assert_ok!(submit(node(), honest));
			assert_ok!(submit(node(), receipt(signed)));
			assert_eq!(Balances::balance(&node()), before + 2 * FEE);
			assert_eq!(Results::<Test>::iter().count(), 2);
			assert!(Results::<Test>::iter().all(|(_, r)| r.node == node()));
			check_state();
		});
	}

	/// The node itself cannot raise its fee after its evidence was made.
	#[test]
	fn h1_a_fee_raised_after_signing_is_refused() {
		new_test_ext().execute_with(|| {
			setup();
			let id = request(10);
			let raised = ReceiptOf::<Test> { fee: MAX_FEE, ..receipt(id) };
			assert_noop!(submit(node(), raised), Error::<Test>::BadEnclaveSignature);
			let id = request_with(attested_policy());
			let raised = ReceiptOf::<Test> { fee: MAX_FEE, ..attested_receipt(&node(), id, FEE) };
			assert_noop!(submit(node(), raised), Error::<Test>::BadAttestation);
			check_state();
		});
	}

	/// Evidence made for other model content than model 0's registered file and manifest is
	/// refused, whichever kind it is.
	#[test]
	fn h2_evidence_for_other_model_content_is_refused() {
		new_test_ext().execute_with(|| {
			setup();
			let other_content = |s: &mut SegmentStatement, which: u8| match which {
				0 => s.file_hash = [2; 32],
				_ => s.model_digest = [3; 32],
			};
			for which in 0..2 {
				// Tee: the enclave signed a statement about other content.
				let id = request(10);
				let mut r = receipt(id);
				let mut s = statement(Subject::Request(id), 0, &chain());
				other_content(&mut s, which);
				r.evidence[0] = tee(1, &s);
				assert_noop!(submit(node(), r), Error::<Test>::BadEnclaveSignature);
				// TeeAttested: the document attests other content.
				let id = request_with(attested_policy());
				let mut r = attested_receipt(&node(), id, FEE);
				let mut s = statement(Subject::Request(id), 2, &chain());
				other_content(&mut s, which);
				r.evidence[2] = Evidence::TeeAttested {
					document: BoundedVec::truncate_from(attested_document(
						MEASUREMENT,
						&s.attestation_user_data(),
					)),
				};
				assert_noop!(submit(node(), r), Error::<Test>::BadAttestation);
				// Zk: the proof's binding names other content.
				let mut r = receipt(id);
				r.evidence = attested_receipt(&node(), id, FEE).evidence;
				let mut s = statement(Subject::Request(id), 1, &chain());
				other_content(&mut s, which);
				r.evidence[1] = zk(&VK, &s);
				assert_noop!(submit(node(), r), Error::<Test>::InvalidProof);
			}
			check_state();
		});
	}
}

mod allowed_nodes {
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
			assert_eq!(escrow_held(&dapp()), MAX_FEE);
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
			assert_noop!(
				ask(hybrid_policy().to_vec(), Some(vec![])),
				Error::<Test>::EmptyAllowedNodes
			);
			assert_eq!(escrow_held(&dapp()), 0);
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
}

mod constants {
	use frame_support::traits::Hooks;

	use super::*;

	#[test]
	fn l9_integrity_test_holds() {
		new_test_ext().execute_with(|| {
			<Pallet<Test> as Hooks<frame_system::pallet_prelude::BlockNumberFor<Test>>>::integrity_test();
		});
	}

	#[test]
	fn l9_a_zero_max_latest_is_refused() {
		assert_eq!(check_constants(0, 8, true, 64), Err("MaxLatest must be at least 1"));
		assert_eq!(check_constants(1, 0, true, 64), Err("MaxBatch must be at least 1"));
		assert_eq!(check_constants(1, 8, false, 64), Err("MaxTtl must be positive"));
		assert_eq!(check_constants(1, 8, true, 0), Err("MaxDocumentLen must be positive"));
		assert_eq!(check_constants(1, 1, true, 1), Ok(()));
	}
}
