//! Proving every segment of an inference at once: one thread per segment (arkworks parallelises
//! each proof's multi-scalar multiplications further), with a progress bar (indicatif) on
//! stderr when it is a terminal.

use ark_std::rand::{RngCore, SeedableRng};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand_chacha::ChaCha20Rng;
use veritas_primitives::SegmentStatement;
use veritas_verifier_groth16::Proof;

use crate::{
	circuit::Salts,
	keys::{prove, ProverError, SegmentKeys, ZkSegment},
};

/// One proof to make: a segment, its keys, the statement and the segment's input.
#[derive(Clone, Debug)]
pub struct ProofJob<'a> {
	/// The segment's keys.
	pub keys: &'a SegmentKeys,
	/// The segment.
	pub segment: &'a ZkSegment,
	/// What the proof is about.
	pub statement: SegmentStatement,
	/// The segment's input (what `statement.c_in` commits to).
	pub input: Vec<i32>,
	/// The salts of `statement.c_in` and `statement.c_out`.
	pub salts: Salts,
}

/// Proves every job in parallel; the proofs in the order of `jobs`. `rng` seeds each job's own
/// blinding RNG. `progress` shows a bar on stderr (drawn only when it is a terminal).
pub fn prove_all(
	jobs: &[ProofJob<'_>],
	rng: &mut ChaCha20Rng,
	progress: bool,
) -> Result<Vec<Proof>, ProverError> {
	let bar = if progress {
		let bar =
			ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr());
		if let Ok(style) =
			ProgressStyle::with_template("{spinner} proving {pos}/{len} segments {elapsed}")
		{
			bar.set_style(style);
		}
		bar
	} else {
		ProgressBar::hidden()
	};
	let seeds: Vec<[u8; 32]> = jobs
		.iter()
		.map(|_| {
			let mut seed = [0u8; 32];
			rng.fill_bytes(&mut seed);
			seed
		})
		.collect();
	let results: Vec<Result<Proof, ProverError>> = std::thread::scope(|scope| {
		let handles: Vec<_> = jobs
			.iter()
			.zip(seeds)
			.map(|(job, seed)| {
				let bar = bar.clone();
				scope.spawn(move || {
					let mut rng = ChaCha20Rng::from_seed(seed);
					let proof = prove(
						job.keys,
						job.segment,
						&job.statement,
						&job.input,
						&job.salts,
						&mut rng,
					);
					bar.inc(1);
					proof
				})
			})
			.collect();
		handles
			.into_iter()
			.map(|h| {
				h.join().unwrap_or_else(|_| {
					Err(ProverError::Groth16("a prover thread panicked".into()))
				})
			})
			.collect()
	});
	bar.finish_and_clear();
	results.into_iter().collect()
}
