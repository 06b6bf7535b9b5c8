//! A segment's circuit: `c_in = commit(x)`, `y = segment(x)`, `c_out = commit(y)`, with
//! `[c_in, c_out, binding]` public and `x`, `y` and every intermediate value private.
//!
//! The operations are those of `veritas_engine::fixed` with the same integer semantics:
//! - the input values are range-checked to `i32`, so that `c_in` commits to a tensor and not
//!   to arbitrary field elements;
//! - a dense layer is a linear combination of the previous values with the weights as
//!   constants (no constraint);
//! - a rescale by `2^s` allocates the quotient `y` (range-checked to `i32`) and the remainder `r`
//!   (range-checked to `s` bits) with `x + 2^(s-1) = y·2^s + r`;
//! - a ReLU decomposes its input `x + 2^31` into 32 bits; the top bit is `x ≥ 0` and the output is
//!   that bit times `x`;
//! - max pooling keeps a running maximum over each window, `max(m, v) = v + relu(m − v)` (so each
//!   difference is range-checked to `i32`, as the engine requires).
//!
//! A convolution reaches the circuit as a dense layer (`veritas_engine::conv`); its zero weights
//! add no term to the linear combinations.
//!
//! The binding (the statement's hash of chain, subject, model and segment) enters a constraint
//! of its own, so that a proof is only ever valid for the one statement it was made for.
//!
//! Both commitments may be salted (`veritas_primitives::salt`): the two salts are private
//! inputs, and each public commitment is the salted commitment of its tensor (salt 0: the plain
//! one). A salt hides a tensor with few possible values; it does not weaken the chain of
//! segments, since a salted commitment opens to one tensor and one salt only.

use ark_bn254::Fr;
use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::fp::FpVar, fields::FieldVar};
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use veritas_engine::fixed::{Op, Segment};
use veritas_primitives::commitment::element;

use veritas_primitives::salt::Salt;

use crate::gadgets::{commit, max, relu, rescale, salted, signed_witnesses, weighted_sum};

/// The salts of a segment's two commitments, `c_in`'s and `c_out`'s ([`Salt::NONE`]: plain).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Salts {
	/// The salt of the input's commitment.
	pub input: Salt,
	/// The salt of the output's commitment.
	pub output: Salt,
}

impl Salts {
	/// No salt on either side.
	pub const NONE: Self = Self { input: Salt::NONE, output: Salt::NONE };

	/// The salts of segment `index` of `segments` in an inference salted with `salt`: every
	/// commitment but the last segment's output (the model's output, which a receipt carries in
	/// the clear and the chain commits to itself).
	pub fn of_segment(salt: Salt, index: usize, segments: usize) -> Self {
		let last = index + 1 >= segments;
		Self { input: salt, output: if last { Salt::NONE } else { salt } }
	}
}

/// The circuit of one segment. Without `public` and `input` it is the shape key generation
/// needs.
#[derive(Clone, Debug)]
pub struct SegmentCircuit {
	/// The segment (its weights are constants of the circuit).
	pub segment: Segment,
	/// The input tensor's shape (as many values as the segment takes).
	pub input_shape: Vec<u32>,
	/// The output tensor's shape (as many values as the segment gives).
	pub output_shape: Vec<u32>,
	/// `[c_in, c_out, binding]`.
	pub public: Option<[Fr; 3]>,
	/// The input values.
	pub input: Option<Vec<i32>>,
	/// The salts of both commitments (with the input, when proving).
	pub salts: Option<Salts>,
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

		// Every intermediate tensor, when proving (the engine's own evaluation).
		let trace = self
			.input
			.as_deref()
			.map(|x| self.segment.trace(x))
			.transpose()
			.map_err(|_| SynthesisError::Unsatisfiable)?;
		let at = |k: usize, j: usize| trace.as_ref().and_then(|t| t.get(k)?.get(j).copied());

		let salt = |side: fn(&Salts) -> Salt| {
			let value = self.salts.as_ref().map(|s| side(s).to_field());
			FpVar::new_witness(cs.clone(), move || match value {
				Some(Ok(f)) => Ok(f),
				Some(Err(_)) => Err(SynthesisError::Unsatisfiable),
				None => Err(SynthesisError::AssignmentMissing),
			})
		};
		let (salt_in, salt_out) = (salt(|s| s.input)?, salt(|s| s.output)?);

		let x = signed_witnesses(cs.clone(), self.segment.inputs(), |j| at(0, j))?;
		let plain_in = commit(cs.clone(), &config, &self.input_shape, &x)?;
		salted(cs.clone(), &config, &plain_in, &salt_in)?.enforce_equal(&c_in)?;

		let mut values = x;
		for (k, op) in self.segment.ops().iter().enumerate() {
			values = match op {
				Op::Dense(d) => (0..d.outputs)
					.map(|j| {
						let terms = d
							.row(j)
							.iter()
							.zip(&values)
							.filter(|(w, _)| **w != 0)
							.map(|(w, x)| (element(i64::from(*w)), x.clone()));
						weighted_sum(cs.clone(), element(i64::from(d.bias[j])), terms)
					})
					.collect::<Result<_, _>>()?,
				Op::Rescale { shift } => values
					.iter()
					.enumerate()
					.map(|(j, v)| rescale(cs.clone(), v, *shift, at(k, j), at(k + 1, j)))
					.collect::<Result<_, _>>()?,
				Op::Relu => values
					.iter()
					.enumerate()
					.map(|(j, v)| relu(cs.clone(), v, at(k, j)))
					.collect::<Result<_, _>>()?,
				Op::MaxPool(pool) => pool
					.windows()
					.map(|window| {
						let (first, rest) =
							window.split_first().ok_or(SynthesisError::Unsatisfiable)?;
						let (mut m, mut m_value) = (values[*first].clone(), at(k, *first));
						for &i in rest {
							m = max(cs.clone(), &m, &values[i], m_value, at(k, i))?;
							m_value = m_value.zip(at(k, i)).map(|(a, b)| a.max(b));
						}
						Ok(m)
					})
					.collect::<Result<_, _>>()?,
			};
		}
		let plain_out = commit(cs.clone(), &config, &self.output_shape, &values)?;
		salted(cs, &config, &plain_out, &salt_out)?.enforce_equal(&c_out)
	}
}
