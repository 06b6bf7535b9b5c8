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
	commit, receipt_id, Commitment, Evidence, EvidenceKind, EvidenceSet, OutputMode, RequestId,
	SegmentSpec, SegmentStatement, Subject,
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
		OutputMode::Published,
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
		OutputMode::Published,
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

/// What `who` has escrowed for its open requests' fees, without their storage deposits.
fn fees_held(who: &AccountId32) -> Balance {
	let deposits: Balance =
		Requests::<Test>::iter_values().filter(|r| r.requester == *who).map(|r| r.deposit).sum();
	escrow_held(who) - deposits
}

/// What `who` holds as the storage deposits of its results.
fn result_deposits(who: &AccountId32) -> Balance {
	Balances::balance_on_hold(
		&RuntimeHoldReason::Settlement(pallet_settlement::HoldReason::ResultDeposit),
		who,
	)
}

/// `who`'s free balance with its result deposits: what a node earned, whatever it holds for
/// storage.
fn earned(who: &AccountId32) -> Balance {
	Balances::balance(who) + result_deposits(who)
}

fn check_state() {
	Receipts::do_try_state().unwrap();
	Settlement::do_try_state().unwrap();
}

mod allowed_nodes;
mod binding;
mod committed_output;
mod constants;
mod direct_receipts;
mod enclave_keys;
mod reclaim_expired;
mod refused_calls;
mod report_equivocation;
mod request_inference;
mod storage_deposits;
mod submit_receipt;
mod submit_receipts;
