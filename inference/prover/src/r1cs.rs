//! A segment's circuit in circom's binary R1CS format (`.r1cs`, version 1), the file snarkjs
//! takes to run a Groth16 phase-2 ceremony (`snarkjs groth16 setup`, `zkey contribute`, …), so
//! that production keys can come from a multi-party ceremony on exactly the constraints this
//! crate proves (`scripts/zkey-ceremony.sh`).
//!
//! **Layout.** `"r1cs"`, version `1` and the number of sections (`u32`s, little-endian), then
//! each section as its type (`u32`), byte length (`u64`) and bytes:
//! 1. header: the field's byte size (32), its modulus (32 bytes, little-endian), the number of
//!    wires, of public outputs (0), of public inputs (3: `c_in`, `c_out`, `binding`), of private
//!    inputs (0), of labels (one per wire) and of constraints;
//! 2. constraints: for each, its `A`, `B` and `C` linear combinations, each as a term count
//!    followed by `(wire: u32, coefficient: 32 bytes little-endian, canonical)` pairs;
//! 3. wire → label map: one `u64` per wire, here the wire's own index.
//!
//! **Wires** are arkworks' variables in order: wire 0 is the constant one, wires 1–3 the public
//! inputs, then every witness. The constraints are those Groth16 key generation and proving use
//! (synthesized for setup with the constraint-count goal, linear combinations inlined), so a key
//! made from this file proves this crate's circuit.

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use ark_relations::r1cs::{
	ConstraintMatrices, ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode,
};

use crate::keys::{ProverError, ZkSegment};

/// The file's magic bytes.
pub const MAGIC: &[u8; 4] = b"r1cs";

/// The constraint matrices of `segment`'s circuit, as Groth16 key generation sees them.
pub fn matrices(segment: &ZkSegment) -> Result<ConstraintMatrices<Fr>, ProverError> {
	let cs = ConstraintSystem::<Fr>::new_ref();
	cs.set_optimization_goal(OptimizationGoal::Constraints);
	cs.set_mode(SynthesisMode::Setup);
	segment
		.circuit(None, None)
		.generate_constraints(cs.clone())
		.map_err(|e| ProverError::Groth16(e.to_string()))?;
	cs.finalize();
	cs.to_matrices().ok_or_else(|| ProverError::Groth16("no constraint matrices".into()))
}

fn u32_of(n: usize) -> Result<u32, ProverError> {
	u32::try_from(n).map_err(|_| ProverError::Groth16(format!("{n} does not fit the format")))
}

/// Appends one section: type, byte length, bytes.
fn section(out: &mut Vec<u8>, kind: u32, bytes: &[u8]) {
	out.extend_from_slice(&kind.to_le_bytes());
	out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
	out.extend_from_slice(bytes);
}

/// `m` in circom's R1CS format.
pub fn encode(m: &ConstraintMatrices<Fr>) -> Result<Vec<u8>, ProverError> {
	let wires = m.num_instance_variables + m.num_witness_variables;
	let public_inputs =
		m.num_instance_variables.checked_sub(1).ok_or(ProverError::ShapeMismatch)?;
	let mut header = Vec::with_capacity(64);
	header.extend_from_slice(&32u32.to_le_bytes());
	header.extend_from_slice(&Fr::MODULUS.to_bytes_le());
	for n in [wires, 0, public_inputs, 0] {
		header.extend_from_slice(&u32_of(n)?.to_le_bytes());
	}
	header.extend_from_slice(&(wires as u64).to_le_bytes());
	header.extend_from_slice(&u32_of(m.num_constraints)?.to_le_bytes());

	let mut constraints = Vec::new();
	for row in 0..m.num_constraints {
		for matrix in [&m.a, &m.b, &m.c] {
			let terms = matrix.get(row).map(Vec::as_slice).unwrap_or_default();
			constraints.extend_from_slice(&u32_of(terms.len())?.to_le_bytes());
			for (coefficient, wire) in terms {
				constraints.extend_from_slice(&u32_of(*wire)?.to_le_bytes());
				constraints.extend_from_slice(&coefficient.into_bigint().to_bytes_le());
			}
		}
	}
	let labels: Vec<u8> = (0..wires as u64).flat_map(u64::to_le_bytes).collect();

	let mut out = Vec::with_capacity(12 + 3 * 12 + header.len() + constraints.len() + labels.len());
	out.extend_from_slice(MAGIC);
	out.extend_from_slice(&1u32.to_le_bytes());
	out.extend_from_slice(&3u32.to_le_bytes());
	section(&mut out, 1, &header);
	section(&mut out, 2, &constraints);
	section(&mut out, 3, &labels);
	Ok(out)
}

/// `segment`'s circuit as a `.r1cs` file.
pub fn export(segment: &ZkSegment) -> Result<Vec<u8>, ProverError> {
	encode(&matrices(segment)?)
}

#[cfg(test)]
mod tests {
	use super::*;
	use veritas_engine::fixed::{Dense, Op, Segment};

	#[test]
	fn the_file_holds_the_header_and_every_constraint() {
		let d = Dense::new(2, 1, vec![3, -1], vec![5]).unwrap();
		let z = ZkSegment::new(
			Segment::new(vec![Op::Dense(d), Op::Rescale { shift: 1 }]).unwrap(),
			vec![2],
			vec![1],
		)
		.unwrap();
		let m = matrices(&z).unwrap();
		assert_eq!(m.num_instance_variables, 4, "one, c_in, c_out, binding");
		assert_eq!(m.num_constraints, crate::constraint_count(&z).unwrap());
		let file = export(&z).unwrap();
		let u32_at = |i: usize| u32::from_le_bytes(file[i..i + 4].try_into().unwrap());
		assert_eq!(&file[..4], MAGIC);
		assert_eq!((u32_at(4), u32_at(8), u32_at(12)), (1, 3, 1), "version, sections, header");
		// Header: field size, modulus, wires, outputs, inputs, private inputs.
		assert_eq!(u32_at(24), 32);
		assert_eq!(&file[28..60], Fr::MODULUS.to_bytes_le().as_slice());
		let wires = m.num_instance_variables + m.num_witness_variables;
		assert_eq!((u32_at(60), u32_at(64), u32_at(68), u32_at(72)), (wires as u32, 0, 3, 0));
		assert_eq!(u32_at(84), m.num_constraints as u32);
		// Every term is 36 bytes, every linear combination has a 4-byte count.
		let terms: usize = [&m.a, &m.b, &m.c].iter().flat_map(|x| x.iter()).map(Vec::len).sum();
		let constraints_len = 3 * 4 * m.num_constraints + 36 * terms;
		assert_eq!(file.len(), 12 + 3 * 12 + 64 + constraints_len + 8 * wires);
	}
}
