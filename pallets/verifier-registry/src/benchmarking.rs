//! Benchmarks of the Groth16 instance, on a real circom/snarkjs proof with 64 public inputs
//! (`veritas_verifier_groth16::fixtures::MANY_INPUTS`).
//!
//! Statements with fewer inputs come from the same proof: the inputs after the first `n` are
//! folded into the key's constant term ([`fold_public_inputs`]), which leaves a valid key, a valid
//! proof, and the verification cost of an `n`-input statement. Keys of a given size are the
//! folded keys of that many inputs.

#![cfg(feature = "runtime-benchmarks")]

use alloc::{boxed::Box, vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;
use veritas_verifier_groth16::{
	decode::snarkjs, fixtures::MANY_INPUTS, verifier::fold_public_inputs, Groth16, Groth16Host,
	Proof, PublicInputs, VerifyingKey, MAX_PUBLIC_INPUTS,
};
use veritas_verifier_traits::{statement_hash, Verifier};

use crate::{Call, Config, Event, Pallet, Vks};

const MANY_VK: &str = MANY_INPUTS.verification_key;
const MANY_PROOF: &str = MANY_INPUTS.proof;
const MANY_PUBLIC: &str = MANY_INPUTS.public;

/// The encoded length of a Groth16 key with no public input (one `IC` point).
const MIN_VK_LEN: u32 = 64 + 3 * 128 + 1 + 64;
/// The encoded length of a Groth16 key with [`MAX_PUBLIC_INPUTS`] inputs.
const MAX_VK_LEN: u32 = 64 + 3 * 128 + 2 + 64 * (MAX_PUBLIC_INPUTS as u32 + 1);

/// A valid Groth16 statement with `n` public inputs: key, proof, inputs.
fn statement(n: u32) -> Result<(VerifyingKey, Proof, PublicInputs), BenchmarkError> {
	let fixture = || BenchmarkError::Stop("the Groth16 fixture does not decode");
	let vk = snarkjs::verifying_key(MANY_VK.as_bytes()).map_err(|_| fixture())?;
	let proof = snarkjs::proof(MANY_PROOF.as_bytes()).map_err(|_| fixture())?;
	let pubs = snarkjs::public_inputs(MANY_PUBLIC.as_bytes()).map_err(|_| fixture())?;
	let (vk, pubs) = fold_public_inputs(&vk, &pubs, n as usize)
		.map_err(|_| BenchmarkError::Stop("cannot fold the fixture's inputs"))?;
	Ok((vk, proof, pubs))
}

/// The largest Groth16 key (with its statement) whose encoding is at most `len` bytes long.
fn statement_of_len(len: u32) -> Result<(VerifyingKey, Proof, PublicInputs), BenchmarkError> {
	let n = (0..=MAX_PUBLIC_INPUTS as u32)
		.rev()
		.find(|n| 64 + 3 * 128 + if *n + 1 < 64 { 1 } else { 2 } + 64 * (n + 1) <= len)
		.unwrap_or(0);
	statement(n)
}

/// An account with enough funds for the deposit of any key.
fn funded_caller<T: Config<I>, I: 'static>() -> T::AccountId {
	let caller: T::AccountId = whitelisted_caller();
	let deposit = Pallet::<T, I>::deposit_for(MAX_VK_LEN);
	let amount = T::Currency::minimum_balance().saturating_add(deposit).saturating_mul(2u32.into());
	T::Currency::set_balance(&caller, amount);
	caller
}

/// Registers `vk` for `owner` and returns its id.
fn register<T: Config<I, Verifier = Groth16Host>, I: 'static>(
	owner: &T::AccountId,
	vk: VerifyingKey,
) -> Result<veritas_verifier_traits::H256, BenchmarkError> {
	Pallet::<T, I>::do_register_vk(owner, vk)
		.map_err(|_| BenchmarkError::Stop("cannot register the fixture key (check MaxVkLen)"))
}

#[instance_benchmarks(where T: Config<I, Verifier = Groth16Host>)]
mod benchmarks {
	use super::*;

	/// `l`: the encoded length of the key, in bytes.
	#[benchmark]
	fn register_vk(l: Linear<MIN_VK_LEN, MAX_VK_LEN>) -> Result<(), BenchmarkError> {
		let (vk, _, _) = statement_of_len(l)?;
		let vk_id = Groth16Host::vk_hash(&vk);
		let caller = funded_caller::<T, I>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), Box::new(vk));

		assert!(Vks::<T, I>::contains_key(vk_id));
		Ok(())
	}

	#[benchmark]
	fn unregister_vk() -> Result<(), BenchmarkError> {
		let (vk, _, _) = statement(MAX_PUBLIC_INPUTS as u32)?;
		let caller = funded_caller::<T, I>();
		let vk_id = register::<T, I>(&caller, vk)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), vk_id);

		assert!(!Vks::<T, I>::contains_key(vk_id));
		Ok(())
	}

	/// `n`: the number of public inputs.
	#[benchmark]
	fn submit_proof(
		n: Linear<0, { T::MaxInputs::get().min(MAX_PUBLIC_INPUTS as u32) }>,
	) -> Result<(), BenchmarkError> {
		let (vk, proof, pubs) = statement(n)?;
		let caller = funded_caller::<T, I>();
		let vk_id = register::<T, I>(&caller, vk)?;
		let statement = statement_hash::<Groth16Host>(&vk_id, &pubs);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), vk_id, Box::new(proof), Box::new(pubs));

		frame_system::Pallet::<T>::assert_last_event(
			Event::<T, I>::ProofVerified { vk_id, statement }.into(),
		);
		Ok(())
	}

	/// `b`: the number of proofs; `n`: the number of public inputs of each.
	#[benchmark]
	fn verify_batch(
		b: Linear<1, { T::MaxBatchSize::get() }>,
		n: Linear<0, { T::MaxInputs::get().min(MAX_PUBLIC_INPUTS as u32) }>,
	) -> Result<(), BenchmarkError> {
		let (vk, proof, pubs) = statement(n)?;
		let caller = funded_caller::<T, I>();
		let vk_id = register::<T, I>(&caller, vk)?;
		let items: Vec<(Proof, PublicInputs)> = vec![(proof, pubs); b as usize];
		let result;

		#[block]
		{
			result = Pallet::<T, I>::verify_batch(&vk_id, &items);
		}

		assert_eq!(result.map(|s| s.len()).ok(), Some(b as usize));
		Ok(())
	}

	/// Reference only, not a call's weight: one verification of an `n`-input statement under a
	/// registered key, with the node's host functions, without the call around it (storage,
	/// events), to compare with native verification.
	#[benchmark]
	fn verify_with_host_functions(
		n: Linear<0, { T::MaxInputs::get().min(MAX_PUBLIC_INPUTS as u32) }>,
	) -> Result<(), BenchmarkError> {
		let (vk, proof, pubs) = statement(n)?;
		let result;

		#[block]
		{
			result = Groth16Host::verify_validated(&vk, &proof, &pubs);
		}

		assert_eq!(result, Ok(None));
		Ok(())
	}

	/// Reference only, not a call's weight: one verification of an `n`-input statement with the
	/// pairing work in the runtime itself (plain arkworks compiled to WASM, no host functions),
	/// to compare with `submit_proof`.
	#[benchmark]
	fn verify_without_host_functions(
		n: Linear<0, { T::MaxInputs::get().min(MAX_PUBLIC_INPUTS as u32) }>,
	) -> Result<(), BenchmarkError> {
		let (vk, proof, pubs) = statement(n)?;
		let result;

		#[block]
		{
			result = Groth16::verify_validated(&vk, &proof, &pubs);
		}

		assert_eq!(result, Ok(None));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

/// The lengths the benchmarks assume are those of real keys.
#[cfg(test)]
mod lengths {
	use super::*;
	use codec::Encode;

	#[test]
	fn match_the_encoding_of_folded_keys() {
		for n in [0u32, 1, 62, 63, 64] {
			let (vk, _, _) = statement(n).expect("folds");
			let len = vk.encoded_size() as u32;
			let (same, _, _) = statement_of_len(len).expect("folds");
			assert_eq!(same.num_inputs(), n as usize, "n = {n}");
		}
		assert_eq!(statement(0).expect("folds").0.encoded_size() as u32, MIN_VK_LEN);
		assert_eq!(statement(64).expect("folds").0.encoded_size() as u32, MAX_VK_LEN);
	}
}
