//! Native verification timings, the baseline of `scripts/bench-groth16.sh`: one verification of
//! the 64-input circom statement (folded to `n` inputs) with plain arkworks and through the host
//! functions' byte interface, and batches of k proofs. Prints one `name n value_us` line per
//! measurement, for the script to divide.

use std::time::Instant;

use veritas_verifier_groth16::{
	batch_verify_with, decode::snarkjs, fixtures::MANY_INPUTS, prepare, prepare_validated,
	verifier::fold_public_inputs, verify_with, Arkworks, Host,
};

const VK: &str = MANY_INPUTS.verification_key;
const PROOF: &str = MANY_INPUTS.proof;
const PUBLIC: &str = MANY_INPUTS.public;

/// The median of `runs` timings of `f`, in microseconds.
fn median_us(runs: usize, mut f: impl FnMut()) -> f64 {
	let mut times: Vec<f64> = (0..runs)
		.map(|_| {
			let start = Instant::now();
			f();
			start.elapsed().as_secs_f64() * 1e6
		})
		.collect();
	times.sort_by(|a, b| a.total_cmp(b));
	times[runs / 2]
}

fn main() {
	let runs: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(30);
	let vk = snarkjs::verifying_key(VK.as_bytes()).expect("fixture key");
	let proof = snarkjs::proof(PROOF.as_bytes()).expect("fixture proof");
	let pubs = snarkjs::public_inputs(PUBLIC.as_bytes()).expect("fixture inputs");
	for n in [0usize, 1, 16, 64] {
		let (vk_n, pubs_n) = fold_public_inputs(&vk, &pubs, n).expect("folds");
		let pvk = prepare(&vk_n).expect("valid key");
		let t = median_us(runs, || verify_with::<Arkworks>(&pvk, &proof, &pubs_n).expect("valid"));
		println!("native_verify {n} {t:.1}");
		let t = median_us(runs, || {
			let pvk = prepare_validated(&vk_n).expect("decodes");
			verify_with::<Host>(&pvk, &proof, &pubs_n).expect("valid")
		});
		println!("native_host_verify {n} {t:.1}");
	}
	let pvk = prepare(&vk).expect("valid key");
	for k in [1usize, 8, 32, 128] {
		let items = vec![(proof, pubs.clone()); k];
		let t = median_us(runs.div_ceil(k).max(3), || {
			batch_verify_with::<Arkworks>(&pvk, &items).expect("valid")
		});
		println!("native_batch_per_proof {k} {:.1}", t / k as f64);
	}
}
