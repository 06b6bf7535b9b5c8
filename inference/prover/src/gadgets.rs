//! Poseidon and the tensor commitment of `veritas-primitives`, in R1CS.
//!
//! [`poseidon4`] is circomlib's `Poseidon(4)`: `ark-crypto-primitives`' Poseidon sponge gadget,
//! configured with the same constants as the native hash (`veritas_crypto_host::poseidon::
//! config`), permutes `[0, x1, x2, x3, x4]` and the first state element is the hash. [`commit`]
//! absorbs the commitment sequence `[rank, d_1..d_k, v_1..v_N]`, zero-padded to a multiple of
//! three, as `acc = Poseidon(acc, a, b, c)` from `acc = 0`; [`salted`] blinds a commitment with
//! a salt. All three are checked against the native implementations on the same inputs (tests).

use ark_bn254::Fr;
use ark_crypto_primitives::sponge::{
	constraints::CryptographicSpongeVar,
	poseidon::{constraints::PoseidonSpongeVar, PoseidonConfig},
	DuplexSpongeMode,
};
use ark_r1cs_std::{
	alloc::AllocVar,
	boolean::Boolean,
	eq::EqGadget,
	fields::fp::{AllocatedFp, FpVar},
	fields::FieldVar,
};
use ark_relations::r1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable};
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

/// The commitment `c` blinded by `salt` (`veritas_primitives::salt`): `Poseidon(c, salt, 2^64,
/// 0)` when `salt` is not zero, `c` itself when it is.
pub fn salted(
	cs: ConstraintSystemRef<Fr>,
	config: &PoseidonConfig<Fr>,
	c: &FpVar<Fr>,
	salt: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
	let tag = FpVar::constant(veritas_primitives::salt::salt_tag());
	let blinded = poseidon4(cs, config, [c.clone(), salt.clone(), tag, FpVar::zero()])?;
	salt.is_zero()?.select(c, &blinded)
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

/// `constant + Σ c·x` as one linear combination (no constraint). Summing term by term instead
/// nests one linear combination per term, which the constraint system then inlines at a cost
/// quadratic in the number of terms.
pub fn weighted_sum(
	cs: ConstraintSystemRef<Fr>,
	constant: Fr,
	terms: impl IntoIterator<Item = (Fr, FpVar<Fr>)>,
) -> Result<FpVar<Fr>, SynthesisError> {
	let mut lc = LinearCombination::<Fr>::zero();
	let (mut offset, mut value, mut symbolic) = (constant, Some(constant), false);
	for (c, x) in terms {
		match x {
			FpVar::Constant(k) => {
				offset += c * k;
				value = value.map(|v| v + c * k);
			},
			FpVar::Var(a) => {
				symbolic = true;
				value = value.zip(a.value().ok()).map(|(v, x)| v + c * x);
				lc += (c, a.variable);
			},
		}
	}
	if !symbolic {
		return Ok(FpVar::Constant(offset));
	}
	lc += (offset, Variable::One);
	let variable = cs.new_lc(lc)?;
	Ok(FpVar::Var(AllocatedFp::new(value, variable, cs)))
}

/// `2^31`: the offset that maps an `i32` to `[0, 2^32)`.
const I32_OFFSET: i64 = 1 << 31;

/// `n` boolean witnesses, the little-endian bits of `value` (`None` during key generation), and
/// the field element they sum to. One constraint per bit.
fn bits(
	cs: ConstraintSystemRef<Fr>,
	value: Option<u64>,
	n: usize,
) -> Result<(Vec<Boolean<Fr>>, FpVar<Fr>), SynthesisError> {
	let bits: Vec<Boolean<Fr>> = (0..n)
		.map(|i| {
			Boolean::new_witness(cs.clone(), || {
				value.map(|v| (v >> i) & 1 == 1).ok_or(SynthesisError::AssignmentMissing)
			})
		})
		.collect::<Result<Vec<_>, _>>()?;
	let mut power = Fr::from(1u64);
	let terms: Vec<(Fr, FpVar<Fr>)> = bits
		.iter()
		.map(|b| {
			let term = (power, FpVar::from(b.clone()));
			power += power;
			term
		})
		.collect();
	let sum = weighted_sum(cs, Fr::from(0u64), terms)?;
	Ok((bits, sum))
}

/// An `i32` witness: 32 bits of `value + 2^31`, so that the variable is an `i32` by
/// construction. Returns the bits and the value.
fn signed(
	cs: ConstraintSystemRef<Fr>,
	value: Option<i32>,
) -> Result<(Vec<Boolean<Fr>>, FpVar<Fr>), SynthesisError> {
	let (bits, sum) = bits(cs, value.map(|v| (i64::from(v) + I32_OFFSET) as u64), 32)?;
	Ok((bits, sum - Fr::from(I32_OFFSET as u64)))
}

/// `len` private `i32` values, range-checked; `value(j)` gives value `j` when proving.
pub fn signed_witnesses(
	cs: ConstraintSystemRef<Fr>,
	len: usize,
	value: impl Fn(usize) -> Option<i32>,
) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
	(0..len).map(|j| Ok(signed(cs.clone(), value(j))?.1)).collect()
}

/// `⌊(x + 2^(shift-1)) / 2^shift⌋` of `x` (whose value is `x_value` when proving), with the
/// engine's result `y_value`: `y` is an `i32` and `r` has `shift` bits with
/// `x + 2^(shift-1) = y·2^shift + r`, which determines `y`.
pub fn rescale(
	cs: ConstraintSystemRef<Fr>,
	x: &FpVar<Fr>,
	shift: u8,
	x_value: Option<i32>,
	y_value: Option<i32>,
) -> Result<FpVar<Fr>, SynthesisError> {
	let (scale, half) = (1i64 << shift, 1i64 << (shift - 1));
	let r_value =
		x_value.zip(y_value).map(|(x, y)| (i64::from(x) + half - i64::from(y) * scale) as u64);
	let (_, y) = signed(cs.clone(), y_value)?;
	let (_, r) = bits(cs, r_value, usize::from(shift))?;
	(x + Fr::from(half as u64)).enforce_equal(&(&y * Fr::from(scale as u64) + r))?;
	Ok(y)
}

/// `max(x, 0)` of the `i32` `x` (whose value is `x_value` when proving): the top bit of
/// `x + 2^31` says `x ≥ 0`, and the output is that bit times `x`.
pub fn relu(
	cs: ConstraintSystemRef<Fr>,
	x: &FpVar<Fr>,
	x_value: Option<i32>,
) -> Result<FpVar<Fr>, SynthesisError> {
	let (bits, value) = signed(cs, x_value)?;
	value.enforce_equal(x)?;
	Ok(FpVar::from(bits[31].clone()) * x)
}

/// `max(a, b) = b + relu(a − b)` of the `i32`s `a` and `b` (whose values are `a_value` and
/// `b_value` when proving); the ReLU range-checks `a − b` to an `i32`, as the engine's pooling
/// requires.
pub fn max(
	cs: ConstraintSystemRef<Fr>,
	a: &FpVar<Fr>,
	b: &FpVar<Fr>,
	a_value: Option<i32>,
	b_value: Option<i32>,
) -> Result<FpVar<Fr>, SynthesisError> {
	let difference = match a_value.zip(b_value) {
		Some((a, b)) => Some(a.checked_sub(b).ok_or(SynthesisError::Unsatisfiable)?),
		None => None,
	};
	Ok(b + relu(cs, &(a - b), difference)?)
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

	fn satisfied(check: impl FnOnce(ConstraintSystemRef<Fr>)) -> bool {
		let cs = ConstraintSystem::<Fr>::new_ref();
		check(cs.clone());
		cs.is_satisfied().unwrap()
	}

	fn var(cs: &ConstraintSystemRef<Fr>, v: i64) -> FpVar<Fr> {
		let f = veritas_primitives::commitment::element(v);
		FpVar::new_witness(cs.clone(), || Ok(f)).unwrap()
	}

	#[test]
	fn rescale_and_relu_hold_for_the_engine_s_values_only() {
		use veritas_engine::fixed::rescale as exact;
		for x in [0i32, 1, 127, 128, -128, -129, 384, -384, 65_535, i32::MAX, i32::MIN] {
			let y = exact(x, 8);
			assert!(satisfied(|cs| {
				let out = rescale(cs.clone(), &var(&cs, x.into()), 8, Some(x), Some(y)).unwrap();
				assert_eq!(out.value().unwrap(), veritas_primitives::commitment::element(y.into()));
			}));
			// Any other quotient is refused.
			assert!(!satisfied(|cs| {
				let _ = rescale(cs.clone(), &var(&cs, x.into()), 8, Some(x), Some(y ^ 1));
			}));
			assert!(satisfied(|cs| {
				let out = relu(cs.clone(), &var(&cs, x.into()), Some(x)).unwrap();
				assert_eq!(
					out.value().unwrap(),
					veritas_primitives::commitment::element(x.max(0).into())
				);
			}));
		}
		// A value outside i32 cannot pass for one.
		let big = i64::from(i32::MAX) + 1;
		assert!(!satisfied(|cs| {
			let _ = relu(cs.clone(), &var(&cs, big), Some(i32::MIN));
		}));
	}

	#[test]
	fn max_holds_for_the_engine_s_values_only() {
		for (a, b) in [(0i32, 0i32), (5, -3), (-3, 5), (i32::MAX, 0), (i32::MIN, -1), (-7, -7)] {
			assert!(satisfied(|cs| {
				let out =
					max(cs.clone(), &var(&cs, a.into()), &var(&cs, b.into()), Some(a), Some(b));
				let expected = veritas_primitives::commitment::element(a.max(b).into());
				assert_eq!(out.unwrap().value().unwrap(), expected, "max({a}, {b})");
			}));
		}
		// Values that are not the variables' cannot pass.
		assert!(!satisfied(|cs| {
			let _ = max(cs.clone(), &var(&cs, 5), &var(&cs, 9), Some(9), Some(5));
		}));
		// A difference outside i32 is refused before any constraint.
		let cs = ConstraintSystem::<Fr>::new_ref();
		let (a, b) = (var(&cs, i32::MAX.into()), var(&cs, -1));
		assert!(matches!(
			max(cs, &a, &b, Some(i32::MAX), Some(-1)),
			Err(SynthesisError::Unsatisfiable)
		));
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

	#[test]
	fn salted_commitments_match_the_native_rule_with_and_without_a_salt() {
		use veritas_primitives::{salt::Salt, salted as native_salted};
		let c = veritas_primitives::commit(&[3], &[1i32, 2, 3]).unwrap();
		for salt in [Salt::NONE, Salt::from_random([7; 31]), Salt::from_random([0xff; 31])] {
			let cs = ConstraintSystem::<Fr>::new_ref();
			let c_var = FpVar::new_witness(cs.clone(), || Ok(c.to_field().unwrap())).unwrap();
			let s = FpVar::new_witness(cs.clone(), || Ok(salt.to_field().unwrap())).unwrap();
			let out = salted(cs.clone(), &config(), &c_var, &s).unwrap();
			let expected = native_salted(c, &salt).unwrap().to_field().unwrap();
			assert_eq!(out.value().unwrap(), expected, "{salt:?}");
			assert!(cs.is_satisfied().unwrap());
		}
	}
}
