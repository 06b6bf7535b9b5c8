//! Unit tests on the mock runtime, grouped by call and outcome.

mod register_vk;
mod rust_api;
mod state;
mod submit_proof;
mod unregister_vk;

use alloc::vec::Vec;
use frame_support::{traits::fungible::InspectHold, BoundedVec};
use veritas_verifier_groth16::{decode::snarkjs, Proof, PublicInputs, VerifyingKey};

use crate::{mock::*, HoldReason, Verifier, H256};

/// The circom/snarkjs fixtures (`veritas_verifier_groth16::fixtures`).
mod fixtures {
	use veritas_verifier_groth16::fixtures::{MANY_INPUTS, MULTIPLIER};

	pub(super) const MANY_VK: &str = MANY_INPUTS.verification_key;
	pub(super) const MANY_PROOF: &str = MANY_INPUTS.proof;
	pub(super) const MANY_PUBLIC: &str = MANY_INPUTS.public;
	pub(super) const MANY_PUBLIC_WRONG: &str = MANY_INPUTS.public_wrong;
	pub(super) const MUL_VK: &str = MULTIPLIER.verification_key;
	pub(super) const MUL_PROOF: &str = MULTIPLIER.proof;
	pub(super) const MUL_PUBLIC: &str = MULTIPLIER.public;
}

/// A Groth16 statement from the fixtures.
struct Statement {
	vk: VerifyingKey,
	proof: Proof,
	pubs: PublicInputs,
}

fn statement(vk: &str, proof: &str, pubs: &str) -> Statement {
	Statement {
		vk: snarkjs::verifying_key(vk.as_bytes()).expect("fixture key decodes"),
		proof: snarkjs::proof(proof.as_bytes()).expect("fixture proof decodes"),
		pubs: snarkjs::public_inputs(pubs.as_bytes()).expect("fixture inputs decode"),
	}
}

/// The circom statement with 64 public inputs.
fn many_inputs() -> Statement {
	statement(fixtures::MANY_VK, fixtures::MANY_PROOF, fixtures::MANY_PUBLIC)
}

/// The inputs of [`many_inputs`] with the last one changed: the proof does not verify for them.
fn many_inputs_wrong_pubs() -> PublicInputs {
	snarkjs::public_inputs(fixtures::MANY_PUBLIC_WRONG.as_bytes()).expect("fixture inputs decode")
}

/// The circom multiplier statement.
fn multiplier() -> Statement {
	statement(fixtures::MUL_VK, fixtures::MUL_PROOF, fixtures::MUL_PUBLIC)
}

/// The id the pallet gives a Groth16 key.
fn groth16_id(vk: &VerifyingKey) -> H256 {
	veritas_verifier_groth16::Groth16::vk_hash(vk)
}

/// Registers `vk` for `ALICE` on the Groth16 instance and returns its id.
fn register_groth16(vk: &VerifyingKey) -> H256 {
	frame_support::assert_ok!(Groth16Verifier::register_vk(
		RuntimeOrigin::signed(ALICE),
		alloc::boxed::Box::new(vk.clone())
	));
	groth16_id(vk)
}

/// The fake verifier's inputs.
fn fake_pubs(xs: &[u8]) -> BoundedVec<u8, frame_support::traits::ConstU32<16>> {
	BoundedVec::truncate_from(xs.to_vec())
}

/// Registers the fake key `vk` for `who` and returns its id.
fn register_fake(who: AccountId, vk: u64) -> H256 {
	frame_support::assert_ok!(FakeVerifier::register_vk(
		RuntimeOrigin::signed(who),
		alloc::boxed::Box::new(vk)
	));
	Fake::vk_hash(&vk)
}

/// What `who` has on hold for keys of the Groth16 instance.
fn groth16_held(who: AccountId) -> Balance {
	<Balances as InspectHold<AccountId>>::balance_on_hold(
		&RuntimeHoldReason::Groth16Verifier(HoldReason::VkDeposit),
		&who,
	)
}

/// What `who` has on hold for keys of the fake instance.
fn fake_held(who: AccountId) -> Balance {
	<Balances as InspectHold<AccountId>>::balance_on_hold(
		&RuntimeHoldReason::FakeVerifier(HoldReason::VkDeposit),
		&who,
	)
}

/// The events of the pallet's instances so far.
fn registry_events() -> Vec<RuntimeEvent> {
	System::events()
		.into_iter()
		.map(|r| r.event)
		.filter(|e| matches!(e, RuntimeEvent::Groth16Verifier(_) | RuntimeEvent::FakeVerifier(_)))
		.collect()
}
