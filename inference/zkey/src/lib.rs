//! # `veritas-zkey`: segment keys from a snarkjs ceremony
//!
//! Keys made by `veritas_prover::setup` come from one seeded setup: whoever knows the seed can
//! forge proofs. Production keys come from a multi-party ceremony, and snarkjs runs the usual one
//! (a powers-of-tau file, then `groth16 setup` and `zkey contribute` rounds). It runs on the
//! segment's circuit exported by `veritas_prover::r1cs` (`veritas-inference r1cs`), and this
//! crate brings the result back, once, as the segment's key file the node reads
//! (`veritas-zkey import`, writing `keys/segment-I.pk` into the model directory):
//!
//! 1. [`import`] reads the `.zkey` with ark-circom's reader (`read_zkey`), then checks that it is
//!    this segment's key: three public inputs, and the zkey's constraint coefficients (`A` and `B`;
//!    snarkjs keeps no `C`) equal to the segment circuit's, row by row. That guards against the
//!    wrong file; that the whole key (its `C` part included) belongs to the circuit is what
//!    `snarkjs zkey verify` checks against the R1CS export and the powers of tau, which the
//!    ceremony script runs and anyone can rerun;
//! 2. the key's H query is converted to arkworks' QAP reduction ([`h_query_for_arkworks`]):
//!    snarkjs makes it for circom's, which evaluates `A·B − C` on a coset of the evaluation
//!    domain, so its points are the coset's Lagrange basis at τ times `t(τ)/δ` (over `t`'s value
//!    on the coset, −2); arkworks' prover takes the powers `τ^i·t(τ)/δ`, which are those points
//!    weighted by the coset's powers (one FFT over G1). The other queries serve both reductions
//!    as they are. The node then proves with arkworks' prover alone and links no ark-circom;
//! 3. the verifying key is the ceremony's, converted to the chain verifier's types: what a
//!    manifest names and the verifier registry stores. The tests prove with a converted key and
//!    verify under snarkjs's own verifying key.
//!
//! `scripts/zkey-ceremony.sh` runs the whole ceremony with the pinned snarkjs.
//!
//! A zkey is a file the node's operator provides. A damaged one is refused with [`ZkeyError`];
//! ark-circom's reader panics on some malformed files (a missing section, an index out of
//! range), which [`import`] turns into [`ZkeyError::Malformed`]. It sizes some buffers from the
//! file's header before reading them, so a forged header can still exhaust memory: import zkeys
//! from your own ceremony only.

use std::{io::Cursor, path::Path, process::Command};

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_circom::read_zkey;
use ark_ec::{AffineRepr, CurveGroup};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::r1cs::ConstraintMatrices;
use veritas_prover::{r1cs, SegmentKeys, ZkSegment};

/// Why a zkey cannot be used for a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZkeyError {
	/// Not a readable snarkjs Groth16 zkey over BN254.
	Malformed(String),
	/// A zkey of another circuit.
	OtherCircuit(String),
	/// The segment's own circuit could not be built, or the key converted.
	Segment(String),
}

impl core::fmt::Display for ZkeyError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Malformed(e) => write!(f, "malformed zkey: {e}"),
			Self::OtherCircuit(e) => write!(f, "the zkey is not this segment's: {e}"),
			Self::Segment(e) => write!(f, "segment: {e}"),
		}
	}
}

impl std::error::Error for ZkeyError {}

/// `rows` without zero terms, each row sorted by wire (snarkjs lists a row's terms by wire).
fn normalized(rows: &[Vec<(Fr, usize)>]) -> Vec<Vec<(usize, Fr)>> {
	rows.iter()
		.map(|row| {
			let mut terms: Vec<(usize, Fr)> =
				row.iter().filter(|(c, _)| *c != Fr::from(0u8)).map(|(c, w)| (*w, *c)).collect();
			terms.sort_by_key(|(w, _)| *w);
			terms
		})
		.collect()
}

/// Whether the zkey's constraints `theirs` are the circuit's `ours`.
fn same_circuit(
	ours: &ConstraintMatrices<Fr>,
	theirs: &ConstraintMatrices<Fr>,
) -> Result<(), ZkeyError> {
	// ark-circom counts the zkey's witnesses as its wires less its public inputs, so the constant
	// wire is counted twice (once as an instance variable): compare wires.
	let ours_sizes = (
		ours.num_instance_variables,
		ours.num_instance_variables + ours.num_witness_variables,
		ours.num_constraints,
	);
	let theirs_sizes = (
		theirs.num_instance_variables,
		(theirs.num_instance_variables + theirs.num_witness_variables).saturating_sub(1),
		theirs.num_constraints,
	);
	if ours_sizes != theirs_sizes {
		return Err(ZkeyError::OtherCircuit(format!(
			"(instance variables, wires, constraints) {theirs_sizes:?} in the zkey, {ours_sizes:?} \
			 in the segment"
		)));
	}
	for (name, a, b) in [("A", &ours.a, &theirs.a), ("B", &ours.b, &theirs.b)] {
		if let Some(row) = normalized(a).iter().zip(normalized(b)).position(|(x, y)| *x != y) {
			return Err(ZkeyError::OtherCircuit(format!("constraint {row} differs in {name}")));
		}
	}
	Ok(())
}

/// Reads `zkey` (a snarkjs `.zkey` file's bytes) as the keys of `segment`.
pub fn import(zkey: &[u8], segment: &ZkSegment) -> Result<SegmentKeys, ZkeyError> {
	let read = std::panic::catch_unwind(|| read_zkey(&mut Cursor::new(zkey)));
	let (pk, matrices) = match read {
		Ok(Ok(read)) => read,
		Ok(Err(e)) => return Err(ZkeyError::Malformed(e.to_string())),
		Err(_) => return Err(ZkeyError::Malformed("the reader gave up on this file".into())),
	};
	if pk.vk.gamma_abc_g1.len() != 4 {
		return Err(ZkeyError::OtherCircuit(format!(
			"{} public inputs, where a segment has 3",
			pk.vk.gamma_abc_g1.len().saturating_sub(1)
		)));
	}
	let ours = r1cs::matrices(segment).map_err(|e| ZkeyError::Segment(format!("{e:?}")))?;
	same_circuit(&ours, &matrices)?;
	let domain = ours.num_constraints + ours.num_instance_variables;
	let mut pk = pk;
	pk.h_query = h_query_for_arkworks(&pk.h_query, domain)?;
	SegmentKeys::from_proving_key(pk).map_err(|e| ZkeyError::Segment(format!("{e:?}")))
}

/// The H query arkworks' QAP reduction proves with (`τ^i·t(τ)/δ` for `i < n − 1`), from the one a
/// zkey holds for circom's (the Lagrange basis of the coset `g·H` at τ, times `t(τ)/(−2δ)`; `H`
/// the evaluation domain of size `n` for `rows` constraint rows, `g` a primitive `2n`-th root of
/// unity). Since `τ^i = Σ_j (g·ω^j)^i·L_j(τ)` for `i < n`, each wanted point is
/// `−2·g^i·Σ_j ω^{ij}·P_j`: an FFT over the domain applied to the points, then a scaling.
pub fn h_query_for_arkworks(circom: &[G1Affine], rows: usize) -> Result<Vec<G1Affine>, ZkeyError> {
	let domain = GeneralEvaluationDomain::<Fr>::new(rows)
		.ok_or_else(|| ZkeyError::Segment(format!("no evaluation domain for {rows} rows")))?;
	let n = domain.size();
	if circom.len() != n {
		return Err(ZkeyError::OtherCircuit(format!(
			"{} points in the zkey's H query, where the segment's domain has {n}",
			circom.len()
		)));
	}
	let coset = GeneralEvaluationDomain::<Fr>::new(2 * n)
		.ok_or_else(|| ZkeyError::Segment(format!("no evaluation domain of size {}", 2 * n)))?
		.element(1);
	let mut points: Vec<G1Projective> = circom.iter().map(|p| p.into_group()).collect();
	domain.fft_in_place(&mut points);
	let mut weight = -Fr::from(2u8);
	let mut out = Vec::with_capacity(n - 1);
	for point in points.into_iter().take(n - 1) {
		out.push(point * weight);
		weight *= coset;
	}
	Ok(G1Projective::normalize_batch(&out))
}

/// Runs `scripts/zkey-ceremony.sh` of the repository at `repo` on the R1CS file `r1cs`, writing
/// `segment.zkey` and `verification_key.json` into `out` (a development ceremony: a local powers
/// of tau, one contribution, a beacon). `entropy` fixes the contributions' entropy (tests);
/// `None` draws it from `/dev/urandom`. On failure, the script's output.
pub fn run_ceremony(
	repo: &Path,
	r1cs: &Path,
	out: &Path,
	entropy: Option<&str>,
) -> Result<(), String> {
	let mut command = Command::new("bash");
	command.arg(repo.join("scripts/zkey-ceremony.sh")).arg(r1cs).arg(out);
	if let Some(entropy) = entropy {
		command.env("VERITAS_CEREMONY_ENTROPY", entropy);
	}
	let done = command.output().map_err(|e| format!("bash: {e}"))?;
	if done.status.success() {
		return Ok(());
	}
	Err(format!(
		"zkey-ceremony.sh failed ({}): {}\n{}",
		done.status,
		String::from_utf8_lossy(&done.stdout),
		String::from_utf8_lossy(&done.stderr)
	))
}

#[cfg(test)]
mod tests {
	use ark_bn254::Bn254;
	use ark_circom::CircomReduction;
	use ark_groth16::Groth16;
	use ark_snark::SNARK;
	use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
	use veritas_prover::{Dense, Op, Segment};

	use super::*;

	fn segment() -> ZkSegment {
		let dense = Dense::new(3, 2, vec![1, -2, 3, 4, 5, -6], vec![7, -7]).unwrap();
		let ops = vec![Op::Dense(dense), Op::Relu];
		ZkSegment::new(Segment::new(ops).unwrap(), vec![3], vec![2]).unwrap()
	}

	#[test]
	fn circom_s_h_query_converts_to_the_one_arkworks_makes_from_the_same_toxic_waste() {
		// The same seed draws the same τ, α, β, γ, δ for both reductions: only the H query
		// differs, and the conversion must give arkworks' own, point for point.
		let z = segment();
		let seed = [3; 32];
		let (circom, _) = Groth16::<Bn254, CircomReduction>::circuit_specific_setup(
			z.circuit(None, None),
			&mut ChaCha20Rng::from_seed(seed),
		)
		.unwrap();
		let (arkworks, _) = Groth16::<Bn254>::circuit_specific_setup(
			z.circuit(None, None),
			&mut ChaCha20Rng::from_seed(seed),
		)
		.unwrap();
		assert_eq!(circom.a_query, arkworks.a_query, "the same setup");
		assert_ne!(circom.h_query, arkworks.h_query);
		let m = r1cs::matrices(&z).unwrap();
		let rows = m.num_constraints + m.num_instance_variables;
		assert_eq!(h_query_for_arkworks(&circom.h_query, rows).unwrap(), arkworks.h_query);
		// A query of another length is another circuit's.
		assert!(matches!(
			h_query_for_arkworks(&circom.h_query[1..], rows),
			Err(ZkeyError::OtherCircuit(_))
		));
	}
}
