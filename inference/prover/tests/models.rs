//! The circuits of the shipped models against the engine: on every held-out input, each
//! segment's circuit is satisfied by the engine's fixed-point values and by nothing else.

use ark_std::rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use veritas_engine::{OnnxModel, QuantizedModel, TestSet};
use veritas_primitives::{commit_salted, salt::Salt, SegmentStatement, Subject};
use veritas_prover::{
	constraint_count, is_satisfied, prove, prove_all, setup, ProofJob, Salts, SatisfactionCheck,
	ZkSegment,
};
use veritas_verifier_groth16::{prepare, verify, PublicInputs, Scalar};

fn model(name: &str) -> (QuantizedModel, TestSet) {
	let dir = std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../../models")
	.join(name);
	let onnx = OnnxModel::load(&dir.join("model.onnx")).unwrap();
	let set = TestSet::load(&dir.join("test-set.json")).unwrap();
	(QuantizedModel::from_float(onnx.layers(), 8).unwrap(), set)
}

fn zk_segments(q: &QuantizedModel) -> Vec<ZkSegment> {
	ZkSegment::of_model(q).unwrap()
}

fn statement(z: &ZkSegment, i: u8, x: &[i32], y: &[i32]) -> SegmentStatement {
	salted_statement(z, i, x, y, &Salts::NONE)
}

fn salted_statement(z: &ZkSegment, i: u8, x: &[i32], y: &[i32], salts: &Salts) -> SegmentStatement {
	SegmentStatement {
		genesis: [1; 32],
		subject: Subject::Request(9),
		node: [5; 32],
		fee: 10,
		model: 2,
		file_hash: [6; 32],
		model_digest: [7; 32],
		segment: i,
		c_in: commit_salted(&z.input_shape, x, &salts.input).unwrap(),
		c_out: commit_salted(&z.output_shape, y, &salts.output).unwrap(),
	}
}

#[test]
fn every_segment_circuit_holds_for_the_engine_output_on_every_held_out_input() {
	for name in ["digits-mlp", "digits-cnn"] {
		circuits_hold_on_every_held_out_input(name);
	}
}

/// Model `name`'s circuits against the engine on its held-out inputs.
fn circuits_hold_on_every_held_out_input(name: &str) {
	let (q, set) = model(name);
	let segments = zk_segments(&q);
	let checks: Vec<_> = segments.iter().map(|z| SatisfactionCheck::new(z).unwrap()).collect();
	// Two workers (this machine's cores). Every other inference is salted (L7), as a node
	// salts a request whose requester sent a salt: every commitment but the output's.
	let halves = set.inputs.split_at(set.inputs.len() / 2);
	std::thread::scope(|scope| {
		for half in [halves.0, halves.1] {
			let (q, segments, checks) = (&q, &segments, &checks);
			scope.spawn(move || {
				for (k, input) in half.iter().enumerate() {
					let x = q.quantize_input(input).unwrap();
					let outputs = q.run_segments(&x).unwrap();
					let salt =
						if k % 2 == 1 { Salt::from_random([k as u8; 31]) } else { Salt::NONE };
					let mut seg_in = x;
					for (i, ((z, check), y)) in
						segments.iter().zip(checks).zip(&outputs).enumerate()
					{
						let salts = Salts::of_segment(salt, i, segments.len());
						let s = salted_statement(z, i as u8, &seg_in, y, &salts);
						assert!(check.holds(&s, &seg_in, &salts).unwrap(), "{name} segment {i}");
						seg_in = y.clone();
					}
				}
			});
		}
	});
	// Any other output is refused (checked on the first inputs, also by a full synthesis).
	for input in set.inputs.iter().take(5) {
		let x = q.quantize_input(input).unwrap();
		let mut y = q.run_segments(&x).unwrap().remove(0);
		y[3] += 1;
		let s = statement(&segments[0], 0, &x, &y);
		assert!(!checks[0].holds(&s, &x, &Salts::NONE).unwrap(), "{name}");
		assert!(!is_satisfied(&segments[0], &s, &x, &Salts::NONE).unwrap(), "{name}");
	}
}

#[test]
fn a_model_segment_proof_verifies_with_the_chain_s_verifier() {
	for name in ["digits-mlp", "digits-cnn"] {
		first_segment_proof_verifies(name);
	}
}

/// A proof of model `name`'s first segment, checked by the chain's verifier.
fn first_segment_proof_verifies(name: &str) {
	let (q, set) = model(name);
	let segments = zk_segments(&q);
	let z = &segments[0];
	println!(
		"{name} constraints per segment: {:?}",
		segments.iter().map(|z| constraint_count(z).unwrap()).collect::<Vec<_>>()
	);
	let keys = setup(z, [3; 32]).unwrap();
	let x = q.quantize_input(&set.inputs[0]).unwrap();
	let y = z.segment.forward(&x).unwrap();
	let s = statement(z, 0, &x, &y);
	let proof =
		prove(&keys, z, &s, &x, &Salts::NONE, &mut ChaCha20Rng::from_seed([4; 32])).unwrap();
	let inputs =
		PublicInputs::from_scalars(s.zk_public_inputs_le().unwrap().map(Scalar).to_vec()).unwrap();
	assert_eq!(verify(&prepare(&keys.vk).unwrap(), &proof, &inputs), Ok(()), "{name}");
}

#[test]
fn every_segment_of_an_inference_is_proved_at_once_and_verifies() {
	let (q, set) = model("digits-mlp");
	let segments = zk_segments(&q);
	let keys: Vec<_> = segments.iter().map(|z| setup(z, [5; 32]).unwrap()).collect();
	let x = q.quantize_input(&set.inputs[1]).unwrap();
	let outputs = q.run_segments(&x).unwrap();
	let inputs = [x, outputs[0].clone()];
	let jobs: Vec<ProofJob<'_>> = (0..2)
		.map(|i| ProofJob {
			keys: &keys[i],
			segment: &segments[i],
			statement: statement(&segments[i], i as u8, &inputs[i], &outputs[i]),
			input: inputs[i].clone(),
			salts: Salts::NONE,
		})
		.collect();
	let proofs = prove_all(&jobs, &mut ChaCha20Rng::from_seed([6; 32]), false).unwrap();
	for (job, proof) in jobs.iter().zip(&proofs) {
		let public = job.statement.zk_public_inputs_le().unwrap().map(Scalar).to_vec();
		let inputs = PublicInputs::from_scalars(public).unwrap();
		assert_eq!(verify(&prepare(&job.keys.vk).unwrap(), proof, &inputs), Ok(()));
	}
	// A job whose statement is not about its input fails the whole call.
	let mut bad = jobs.clone();
	bad[1].input[0] += 1;
	assert!(prove_all(&bad, &mut ChaCha20Rng::from_seed([6; 32]), false).is_err());
}
