//! Poseidon and the tensor commitment of `veritas-primitives`, in R1CS.
//!
//! [`poseidon4`] is circomlib's `Poseidon(4)`: `ark-crypto-primitives`' Poseidon sponge gadget,
//! configured with the same constants as the native hash (`veritas_crypto_host::poseidon::
//! config`), permutes `[0, x1, x2, x3, x4]` and the first state element is the hash. [`commit`]
//! absorbs the commitment sequence `[rank, d_1..d_k, v_1..v_N]`, zero-padded to a multiple of
//! three, as `acc = Poseidon(acc, a, b, c)` from `acc = 0`. Both are checked against the native
//! implementations on the same inputs (tests).

use ark_bn254::Fr;
use ark_crypto_primitives::sponge::{
	constraints::CryptographicSpongeVar,
	poseidon::{constraints::PoseidonSpongeVar, PoseidonConfig},
	DuplexSpongeMode,
};
use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar, fields::FieldVar};
use ark_relations::r1cs::{ConstraintSystemRef, SynthesisError};
use veritas_primitives::commitment::CHUNK;

/// circomlib's `Poseidon(4)` of `inputs`.
pub fn poseidon4(
	cs: ConstraintSystemRef<Fr>,
	config: &PoseidonConfig<Fr>,
	inputs: [FpVar<Fr>; 4],
) -> Result<FpVar<Fr>, SynthesisError> {
	let mut state = Vec::with_capacity(5);
	state.push(FpVar::zero());
	state.extend(inputs);
	let mut sponge = PoseidonSpongeVar {
		cs,
		parameters: config.clone(),
		state,
		mode: DuplexSpongeMode::Absorbing { next_absorb_index: 0 },
	};
	// Squeezing a fresh sponge permutes the state once; circomlib's hash is the capacity
	// element of the permuted state, which the sponge keeps but does not squeeze.
	let _ = sponge.squeeze_field_elements(1)?;
	Ok(sponge.state[0].clone())
}

/// The commitment to a tensor of `shape` whose values are `values` (the shape is a constant of
/// the circuit). The caller checks that `values` has as many elements as `shape` says.
pub fn commit(
	cs: ConstraintSystemRef<Fr>,
	config: &PoseidonConfig<Fr>,
	shape: &[u32],
	values: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
	let header = core::iter::once(shape.len() as u64)
		.chain(shape.iter().map(|&d| u64::from(d)))
		.map(|h| FpVar::constant(Fr::from(h)));
	let sequence: Vec<FpVar<Fr>> = header.chain(values.iter().cloned()).collect();
	let mut acc = FpVar::zero();
	for chunk in sequence.chunks(CHUNK) {
		let at = |i: usize| chunk.get(i).cloned().unwrap_or_else(FpVar::zero);
		acc = poseidon4(cs.clone(), config, [acc, at(0), at(1), at(2)])?;
	}
	Ok(acc)
}

/// Allocates `values` (i32 tensor values, as field elements by the commitment rule) as private
/// witnesses; `None` during key generation.
pub fn witnesses(
	cs: ConstraintSystemRef<Fr>,
	len: usize,
	values: Option<&[i32]>,
) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
	(0..len)
		.map(|i| {
			FpVar::new_witness(cs.clone(), || {
				values
					.and_then(|v| v.get(i))
					.map(|v| veritas_primitives::commitment::element(i64::from(*v)))
					.ok_or(SynthesisError::AssignmentMissing)
			})
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use ark_r1cs_std::R1CSVar;
	use ark_relations::r1cs::ConstraintSystem;
	use veritas_crypto_host::{poseidon::config, Arkworks, PoseidonEngine};

	use super::*;

	#[test]
	fn poseidon_matches_the_native_hash_and_circomlib() {
		let cs = ConstraintSystem::<Fr>::new_ref();
		let inputs = [1u64, 2, 3, 4].map(Fr::from);
		let vars = inputs.map(|x| FpVar::new_witness(cs.clone(), || Ok(x)).unwrap());
		let out = poseidon4(cs.clone(), &config(), vars).unwrap();
		assert_eq!(out.value().unwrap(), Arkworks::poseidon4(&inputs).unwrap());
		// circomlib's Poseidon([1, 2, 3, 4]).
		assert_eq!(
			out.value().unwrap().to_string(),
			"18821383157269793795438455681495246036402687001665670618754263018637548127333"
		);
		assert!(cs.is_satisfied().unwrap());
	}

	#[test]
	fn commitments_match_the_native_rule_for_every_padding_and_sign() {
		for (shape, values) in [
			(vec![1u32], vec![7i32]),
			(vec![2], vec![-1, 1]),
			(vec![2, 3], vec![0, -5, i32::MAX, i32::MIN, 3, 9]),
			(vec![10], (0..10).map(|v| v * 1_000 - 4_000).collect()),
		] {
			let cs = ConstraintSystem::<Fr>::new_ref();
			let vars = witnesses(cs.clone(), values.len(), Some(&values)).unwrap();
			let c = commit(cs.clone(), &config(), &shape, &vars).unwrap();
			let native = veritas_primitives::commit(&shape, &values).unwrap();
			assert_eq!(c.value().unwrap(), native.to_field().unwrap(), "{shape:?} {values:?}");
			assert!(cs.is_satisfied().unwrap());
		}
	}
}
