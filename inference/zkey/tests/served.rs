//! A model served with a segment key from a snarkjs ceremony, as an operator does it: the
//! ceremony (`scripts/zkey-ceremony.sh`) on the segment's R1CS export, then `veritas-zkey import`
//! writing `keys/segment-1.pk`. The key replaces the development seed's for that segment only,
//! the manifest names it, proofs the node makes with it (arkworks' prover, the key converted)
//! verify under the ceremony's own verifying key; a zkey of another segment or a damaged one is
//! refused by the import (exit 1, nothing written), and a damaged or misplaced key file stops the
//! model from loading. Needs node and npm (snarkjs), as `scripts/test.sh` does; a missing one
//! fails the test.

use std::{path::PathBuf, process::Command};

use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use serde_json::{json, Value};
use veritas_engine::TestSet;
use veritas_primitives::{SegmentStatement, Subject};
use veritas_prover::{prove, Salts};
use veritas_service::{
	served::{key_path, manifest_json, segment_r1cs, MANIFEST_FILE, MODEL_FILE},
	ServeError, ServedModel, DEV_SETUP_SEED,
};
use veritas_verifier_groth16::{decode::snarkjs, prepare, verify, vk_id, PublicInputs, Scalar};
use veritas_zkey::run_ceremony;

fn repo() -> PathBuf {
	std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../..")
}

#[test]
fn a_ceremony_key_replaces_the_seed_s_for_its_segment_and_the_manifest_names_it() {
	let shipped = repo().join("models/digits-mlp");
	let dir = tempfile::tempdir().unwrap();
	for file in [MODEL_FILE, MANIFEST_FILE] {
		std::fs::copy(shipped.join(file), dir.path().join(file)).unwrap();
	}
	let work = tempfile::tempdir().unwrap();
	let r1cs = work.path().join("segment-1.r1cs");
	std::fs::write(&r1cs, segment_r1cs(dir.path(), 256, 1).unwrap()).unwrap();
	let keys_dir = work.path().join("keys");
	run_ceremony(&repo(), &r1cs, &keys_dir, Some("served test")).unwrap();
	let zkey = keys_dir.join("segment.zkey");
	let vk_json = std::fs::read(keys_dir.join("verification_key.json")).unwrap();
	let ceremony_vk = snarkjs::verifying_key(&vk_json).unwrap();
	let key_id = format!("0x{}", hex::encode(vk_id(&ceremony_vk)));

	// The zkey of segment 1 is not segment 0's, nor is half a zkey segment 1's: refused, nothing
	// written.
	let damaged = work.path().join("damaged.zkey");
	std::fs::write(&damaged, &std::fs::read(&zkey).unwrap()[..1000]).unwrap();
	for (segment, file) in [(0, &zkey), (1, &damaged)] {
		let (code, _, stderr) = import(dir.path(), segment, file);
		assert_eq!(code, 1, "{stderr}");
		assert!(!key_path(dir.path(), segment).exists());
	}
	assert_eq!(import(&work.path().join("no-model"), 1, &zkey).0, 2, "no model directory");
	let (code, stdout, stderr) = import(dir.path(), 1, &zkey);
	assert_eq!(code, 0, "{stderr}");
	assert!(stdout.contains(&key_id), "{stdout}");
	let key_file = key_path(dir.path(), 1);

	// The shipped manifest names the seed's key for segment 1.
	assert!(matches!(ServedModel::load(dir.path(), &DEV_SETUP_SEED), Err(ServeError::Mismatch(_))));
	// The manifest made now names the ceremony's key for segment 1, the seed's for segment 0.
	let measurement = veritas_attester::dev_image_measurement_id(b"veritas-inference");
	let made =
		manifest_json(dir.path(), "digits-mlp", 256, &measurement, &DEV_SETUP_SEED, true).unwrap();
	let shipped_json: Value =
		serde_json::from_slice(&std::fs::read(shipped.join(MANIFEST_FILE)).unwrap()).unwrap();
	assert_eq!(made["segments"][0], shipped_json["segments"][0]);
	assert_eq!(made["segments"][1]["vk"], json!(key_id));
	std::fs::write(dir.path().join(MANIFEST_FILE), serde_json::to_vec(&made).unwrap()).unwrap();

	let served = ServedModel::load(dir.path(), &DEV_SETUP_SEED).unwrap();
	let keys = served.keys[1].as_ref().unwrap();
	assert_eq!(keys.vk, ceremony_vk);
	// A proof of segment 1 made with the served keys verifies under the ceremony's key.
	let set = TestSet::load(&shipped.join("test-set.json")).unwrap();
	let x = served.quantize_input(&set.inputs[0]).unwrap();
	let hidden = served.run_segments(&x).unwrap().remove(0);
	let segment = served.segments[1].zk().unwrap();
	let (_, c_in, c_out) = segment.evaluate(&hidden, &Salts::NONE).unwrap();
	let s = SegmentStatement {
		genesis: [1; 32],
		subject: Subject::Request(5),
		node: [5; 32],
		fee: 10,
		model: 0,
		file_hash: served.manifest.file_hash,
		model_digest: served.digest,
		segment: 1,
		c_in,
		c_out,
	};
	let mut rng = ChaCha20Rng::from_seed([9; 32]);
	let proof = prove(keys, segment, &s, &hidden, &Salts::NONE, &mut rng).unwrap();
	let public = s.zk_public_inputs_le().unwrap().map(Scalar).to_vec();
	let inputs = PublicInputs::from_scalars(public).unwrap();
	assert_eq!(verify(&prepare(&ceremony_vk).unwrap(), &proof, &inputs), Ok(()));

	// Segment 1's key file as segment 0's: another circuit, refused.
	let bytes = std::fs::read(&key_file).unwrap();
	std::fs::write(key_path(dir.path(), 0), &bytes).unwrap();
	assert!(matches!(ServedModel::load(dir.path(), &DEV_SETUP_SEED), Err(ServeError::Setup(_))));
	std::fs::remove_file(key_path(dir.path(), 0)).unwrap();
	// A damaged key file stops the model from loading.
	std::fs::write(&key_file, &bytes[..bytes.len() / 3]).unwrap();
	assert!(matches!(ServedModel::load(dir.path(), &DEV_SETUP_SEED), Err(ServeError::Setup(_))));
}

/// `veritas-zkey import --model DIR --segment I ZKEY`: the exit code, stdout and stderr.
fn import(
	model: &std::path::Path,
	segment: usize,
	zkey: &std::path::Path,
) -> (i32, String, String) {
	let out = Command::new(env!("CARGO_BIN_EXE_veritas-zkey"))
		.args(["import", "--model"])
		.arg(model)
		.args(["--segment", &segment.to_string()])
		.arg(zkey)
		.output()
		.unwrap();
	let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
	(out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}
