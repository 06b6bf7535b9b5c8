//! A snarkjs ceremony (`scripts/zkey-ceremony.sh`, the pinned snarkjs) on a segment's exported
//! R1CS, imported back: proofs made with the ceremony's key verify with the chain's verifier,
//! the key is the one snarkjs exports, and a zkey of another circuit or a damaged one is refused.
//! Needs node and npm, as `scripts/test.sh` does; a missing one fails the test.

use std::path::Path;

use ark_std::rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use veritas_engine::fixed::{Dense, Op, Segment};
use veritas_primitives::{SegmentStatement, Subject};
use veritas_prover::{prove, r1cs, Salts, ZkSegment};
use veritas_verifier_groth16::{decode::snarkjs, prepare, verify, PublicInputs, Scalar};
use veritas_zkey::{import, run_ceremony, ZkeyError};

/// Dense → rescale → ReLU → dense, with `w` among the first layer's weights.
fn segment(w: i32) -> ZkSegment {
	let d1 =
		Dense::new(4, 3, vec![256, -512, w, 0, 5, 6, -7, 8, -9, 10, 11, -12], vec![100, -100, 0])
			.unwrap();
	let d2 = Dense::new(3, 2, vec![1, -2, 3, 4, 5, -6], vec![7, -7]).unwrap();
	let ops = vec![Op::Dense(d1), Op::Rescale { shift: 4 }, Op::Relu, Op::Dense(d2)];
	ZkSegment::new(Segment::new(ops).unwrap(), vec![4], vec![2]).unwrap()
}

/// Runs the ceremony on `z`'s circuit: the zkey and snarkjs's verification key JSON.
fn ceremony(z: &ZkSegment, dir: &Path) -> (Vec<u8>, Vec<u8>) {
	let r1cs_file = dir.join("segment.r1cs");
	std::fs::write(&r1cs_file, r1cs::export(z).unwrap()).unwrap();
	let repo = std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../..");
	run_ceremony(&repo, &r1cs_file, &dir.join("keys"), Some("veritas-zkey test")).unwrap();
	let read = |f: &str| std::fs::read(dir.join("keys").join(f)).unwrap();
	(read("segment.zkey"), read("verification_key.json"))
}

#[test]
fn a_ceremony_key_proves_its_segment_and_a_zkey_of_another_circuit_is_refused() {
	let dir = tempfile::tempdir().unwrap();
	let z = segment(768);
	let (zkey, vk_json) = ceremony(&z, dir.path());
	let keys = import(&zkey, &z).unwrap();
	assert_eq!(keys.vk, snarkjs::verifying_key(&vk_json).unwrap(), "snarkjs's own key");

	let input = [3, -1, 4, 1];
	let (_, c_in, c_out) = z.evaluate(&input, &Salts::NONE).unwrap();
	let s = SegmentStatement {
		genesis: [7; 32],
		subject: Subject::Request(3),
		node: [5; 32],
		fee: 10,
		model: 1,
		file_hash: [6; 32],
		model_digest: [7; 32],
		segment: 1,
		c_in,
		c_out,
	};
	let proof =
		prove(&keys, &z, &s, &input, &Salts::NONE, &mut ChaCha20Rng::from_seed([2; 32])).unwrap();
	let public = |s: &SegmentStatement| {
		PublicInputs::from_scalars(s.zk_public_inputs_le().unwrap().map(Scalar).to_vec()).unwrap()
	};
	let pvk = prepare(&keys.vk).unwrap();
	assert_eq!(verify(&pvk, &proof, &public(&s)), Ok(()));
	let other = SegmentStatement { subject: Subject::Request(4), ..s };
	assert!(verify(&pvk, &proof, &public(&other)).is_err(), "bound to its statement");

	// The same zkey for a segment with one other weight: another circuit.
	assert!(matches!(import(&zkey, &segment(769)), Err(ZkeyError::OtherCircuit(_))));
	// Damaged files.
	for bad in [&zkey[..zkey.len() / 2], &zkey[..64], &[][..], &b"zkey garbage"[..]] {
		assert!(matches!(import(bad, &z), Err(ZkeyError::Malformed(_))), "{} bytes", bad.len());
	}
}
