//! A segment's circuit: `c_in = commit(x)`, `y = layer(x)`, `c_out = commit(y)`, with
//! `[c_in, c_out, binding]` public and `x`, `y` private.
//!
//! The binding (the statement's hash of chain, subject, model and segment) enters a constraint
//! of its own, so that a proof is only ever valid for the one statement it was made for.

use ark_bn254::Fr;
use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::fp::FpVar, fields::FieldVar};
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use veritas_primitives::commitment::element;

use crate::{
	gadgets::{commit, witnesses},
	layer::Dense,
};

/// The circuit of one dense segment. Without `public` and `input` it is the shape key
/// generation needs.
#[derive(Clone, Debug)]
pub struct SegmentCircuit {
	/// The layer (its weights are constants of the circuit).
	pub layer: Dense,
	/// The input tensor's shape (as many values as `layer.inputs`).
	pub input_shape: Vec<u32>,
	/// The output tensor's shape (as many values as `layer.outputs`).
	pub output_shape: Vec<u32>,
	/// `[c_in, c_out, binding]`.
	pub public: Option<[Fr; 3]>,
	/// The input values.
	pub input: Option<Vec<i32>>,
}

impl ConstraintSynthesizer<Fr> for SegmentCircuit {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let config = veritas_crypto_host::poseidon::config();
		let public =
			|i: usize| move || self.public.map(|p| p[i]).ok_or(SynthesisError::AssignmentMissing);
		let c_in = FpVar::new_input(cs.clone(), public(0))?;
		let c_out = FpVar::new_input(cs.clone(), public(1))?;
		let binding = FpVar::new_input(cs.clone(), public(2))?;
		let _bound = binding.square()?;

		let x = witnesses(cs.clone(), self.layer.inputs, self.input.as_deref())?;
		commit(cs.clone(), &config, &self.input_shape, &x)?.enforce_equal(&c_in)?;

		let y: Vec<FpVar<Fr>> = (0..self.layer.outputs)
			.map(|j| {
				let bias = FpVar::constant(element(i64::from(self.layer.bias[j])));
				self.layer
					.row(j)
					.iter()
					.zip(&x)
					.fold(bias, |acc, (w, xi)| acc + xi * element(i64::from(*w)))
			})
			.collect();
		commit(cs, &config, &self.output_shape, &y)?.enforce_equal(&c_out)
	}
}
