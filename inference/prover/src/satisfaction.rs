//! Checking many assignments of one segment's circuit against its constraint matrices, made
//! once.
//!
//! [`crate::is_satisfied`] synthesizes the whole constraint system (every linear combination,
//! every constraint) for each assignment it checks. To check a segment on hundreds of inputs
//! (the shipped models' held-out sets) that is most of the time: a [`SatisfactionCheck`] keeps
//! the matrices Groth16 key generation sees ([`crate::r1cs::matrices`]) and, for each
//! assignment, only computes the witness (the circuit synthesized in proving mode, without
//! constraints) and checks `A·z ∘ B·z = C·z` row by row.

use ark_bn254::Fr;
use ark_ff::Zero;
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSystem, OptimizationGoal, SynthesisMode};
use veritas_primitives::SegmentStatement;

use crate::{
	circuit::Salts,
	keys::{synthesize_into, ProverError, ZkSegment},
};

/// One segment's constraint matrices, to check assignments of its circuit.
pub struct SatisfactionCheck {
	segment: ZkSegment,
	matrices: ConstraintMatrices<Fr>,
}

impl SatisfactionCheck {
	/// Synthesizes `segment`'s constraints once.
	pub fn new(segment: &ZkSegment) -> Result<Self, ProverError> {
		Ok(Self { segment: segment.clone(), matrices: crate::r1cs::matrices(segment)? })
	}

	/// Whether the circuit is satisfied by `input`, `salts` and the public inputs of
	/// `statement`: the same answer as [`crate::is_satisfied`], without synthesizing the
	/// constraints again.
	pub fn holds(
		&self,
		statement: &SegmentStatement,
		input: &[i32],
		salts: &Salts,
	) -> Result<bool, ProverError> {
		let cs = ConstraintSystem::<Fr>::new_ref();
		// The goal and mode of Groth16 proving: the same variables, in the same order, as the
		// matrices' columns.
		cs.set_optimization_goal(OptimizationGoal::Constraints);
		cs.set_mode(SynthesisMode::Prove { construct_matrices: false });
		synthesize_into(cs.clone(), &self.segment, statement, input, salts)?;
		let cs = cs.borrow().ok_or_else(|| ProverError::Groth16("constraint system".into()))?;
		let m = &self.matrices;
		if cs.instance_assignment.len() != m.num_instance_variables
			|| cs.witness_assignment.len() != m.num_witness_variables
		{
			return Err(ProverError::ShapeMismatch);
		}
		let value = |column: usize| {
			cs.instance_assignment
				.get(column)
				.copied()
				.unwrap_or_else(|| cs.witness_assignment[column - m.num_instance_variables])
		};
		let row = |terms: &[(Fr, usize)]| {
			terms
				.iter()
				.fold(Fr::zero(), |sum, (coefficient, column)| sum + *coefficient * value(*column))
		};
		Ok(m.a.iter().zip(&m.b).zip(&m.c).all(|((a, b), c)| row(a) * row(b) == row(c)))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::keys::tests::{segment, statement_of};
	use veritas_primitives::commit;

	fn statement(z: &ZkSegment, x: &[i32], y: &[i32]) -> SegmentStatement {
		statement_of(commit(&z.input_shape, x).unwrap(), commit(&z.output_shape, y).unwrap())
	}

	#[test]
	fn the_check_agrees_with_a_full_synthesis_on_true_and_false_statements() {
		let z = segment();
		let check = SatisfactionCheck::new(&z).unwrap();
		for x in [[3, -9, 4, 1], [0, 0, 0, 0], [100, 41, -7, 1 << 20]] {
			let y = z.segment.forward(&x).unwrap();
			let good = statement(&z, &x, &y);
			assert!(check.holds(&good, &x, &Salts::NONE).unwrap());
			assert!(crate::is_satisfied(&z, &good, &x, &Salts::NONE).unwrap());
			let mut wrong = y.clone();
			wrong[1] += 1;
			let bad = statement(&z, &x, &wrong);
			assert!(!check.holds(&bad, &x, &Salts::NONE).unwrap());
			assert!(!crate::is_satisfied(&z, &bad, &x, &Salts::NONE).unwrap());
		}
	}
}
