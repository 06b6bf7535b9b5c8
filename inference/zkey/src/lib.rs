//! # `veritas-zkey`: segment keys from a snarkjs ceremony
//!
//! Keys made by `veritas_prover::setup` come from one seeded setup: whoever knows the seed can
//! forge proofs. Production keys come from a multi-party ceremony, and snarkjs runs the usual one
//! (a powers-of-tau file, then `groth16 setup` and `zkey contribute` rounds). It runs on the
//! segment's circuit exported by `veritas_prover::r1cs` (`veritas-inference r1cs`), and this
//! crate brings the result back:
//!
//! 1. [`import`] reads the `.zkey` with ark-circom's reader (`read_zkey`), then checks that it is
//!    this segment's key: three public inputs, and the zkey's constraint coefficients (`A` and `B`;
//!    snarkjs keeps no `C`) equal to the segment circuit's, row by row. That guards against the
//!    wrong file; that the whole key (its `C` part included) belongs to the circuit is what
//!    `snarkjs zkey verify` checks against the R1CS export and the powers of tau, which the
//!    ceremony script runs and anyone can rerun;
//! 2. proofs are made with circom's QAP reduction ([`prove_circom`], ark-circom's
//!    `CircomReduction`), because a zkey's H query is made for snarkjs's evaluation domain: the
//!    returned [`SegmentKeys`] carries that prover, so the node's proving code does not change;
//! 3. the verifying key is the ceremony's, converted to the chain verifier's types: what a
//!    manifest names and the verifier registry stores.
//!
//! `scripts/zkey-ceremony.sh` runs the whole ceremony with the pinned snarkjs.
//!
//! A zkey is a file the node's operator provides, read once at start. A damaged one is refused
//! with [`ZkeyError`]; ark-circom's reader panics on some malformed files (a missing section, an
//! index out of range), which [`import`] turns into [`ZkeyError::Malformed`]. It sizes some
//! buffers from the file's header before reading them, so a forged header can still exhaust
//! memory: import zkeys from your own ceremony only.

use std::{io::Cursor, path::Path, process::Command};

use ark_bn254::{Bn254, Fr};
use ark_circom::{read_zkey, CircomReduction};
use ark_groth16::{Groth16, Proof, ProvingKey};
use ark_relations::r1cs::{ConstraintMatrices, SynthesisError};
use rand_chacha::ChaCha20Rng;
use veritas_prover::{r1cs, SegmentCircuit, SegmentKeys, ZkSegment};
use veritas_verifier_groth16::VerifyingKey;

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

/// A Groth16 proof of `circuit` with circom's QAP reduction: the prover of an imported zkey.
pub fn prove_circom(
	pk: &ProvingKey<Bn254>,
	circuit: SegmentCircuit,
	rng: &mut ChaCha20Rng,
) -> Result<Proof<Bn254>, SynthesisError> {
	Groth16::<Bn254, CircomReduction>::create_random_proof_with_reduction(circuit, pk, rng)
}

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
	let vk = VerifyingKey::from_ark(&pk.vk).map_err(|e| ZkeyError::Segment(format!("{e:?}")))?;
	Ok(SegmentKeys { pk, vk, prove_with: prove_circom })
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
