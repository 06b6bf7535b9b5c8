//! The shipped models as the node serves them: each manifest describes its model file and names
//! the keys the development seed makes; a receipt made by `answer` carries the engine's output,
//! a commitment chain, and evidence that verifies (Groth16 proofs, enclave signatures, attested
//! documents). Bad manifests, inputs and policies are refused with typed errors.

use std::path::PathBuf;

use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use veritas_attester::{pcrs_for_image, DevCa, DevEnclave, EnclaveSession};
use veritas_engine::TestSet;
use veritas_primitives::{
	commit_salted, enclave_signing_message, salt::Salt, Evidence, EvidenceKind, OutputMode, Subject,
};
use veritas_service::{
	answer,
	answer::{check, Opening},
	served::{manifest_json, scale_bits, MANIFEST_FILE, MODEL_FILE},
	worker::{needs_remake, now_ms, REMAKE_AFTER_MS},
	AnswerError, Binding, ServeError, ServedModel, DEV_SETUP_SEED,
};
use veritas_verifier_groth16::{prepare, verify, PublicInputs, Scalar};

fn model_dir(name: &str) -> PathBuf {
	std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../../models")
	.join(name)
}

fn session() -> EnclaveSession<DevEnclave> {
	let enclave = DevEnclave::new(DevCa::standard().unwrap(), pcrs_for_image(b"test image"));
	EnclaveSession::generate(enclave).unwrap()
}

#[test]
fn every_shipped_manifest_describes_its_model_and_names_the_dev_keys() {
	for name in ["digits-mlp", "digits-mlp-large", "digits-cnn", "text-char-mlp"] {
		let dir = model_dir(name);
		let served =
			ServedModel::load(&dir, &DEV_SETUP_SEED).unwrap_or_else(|e| panic!("{name}: {e}"));
		assert_eq!(served.name, name);
		assert_eq!(served.segments.len(), served.manifest.segments.len());
		assert!(served.keys.iter().all(Option::is_some), "{name}: every segment accepts ZK");
		// The manifest is what `veritas-inference manifest` prints today.
		let shipped: serde_json::Value =
			serde_json::from_slice(&std::fs::read(dir.join(MANIFEST_FILE)).unwrap()).unwrap();
		// Their TEE segments name the measurement of the default DevEnclave image.
		let measurement = veritas_attester::dev_image_measurement_id(b"veritas-inference");
		let made =
			manifest_json(&dir, name, served.manifest.scale, &measurement, &DEV_SETUP_SEED, true)
				.unwrap();
		// Made with the public seed and a development image: marked as such (I1).
		assert!(served.manifest.development, "{name}");
		assert_eq!(shipped, made, "{name}: regenerate with `veritas-inference manifest`");
	}
}

#[test]
fn another_setup_seed_or_a_changed_file_is_refused() {
	let dir = model_dir("digits-mlp");
	assert!(matches!(ServedModel::load(&dir, &[9; 32]), Err(ServeError::Mismatch(_))));

	let copy = tempfile::tempdir().unwrap();
	let mut model = std::fs::read(dir.join(MODEL_FILE)).unwrap();
	std::fs::copy(dir.join(MANIFEST_FILE), copy.path().join(MANIFEST_FILE)).unwrap();
	// Another model file (the large model's) under the same manifest.
	std::fs::copy(model_dir("digits-mlp-large").join(MODEL_FILE), copy.path().join(MODEL_FILE))
		.unwrap();
	assert!(matches!(
		ServedModel::load(copy.path(), &DEV_SETUP_SEED),
		Err(ServeError::Mismatch(_))
	));
	// A damaged model file.
	model.truncate(model.len() / 2);
	std::fs::write(copy.path().join(MODEL_FILE), &model).unwrap();
	assert!(matches!(
		ServedModel::load(copy.path(), &DEV_SETUP_SEED),
		Err(ServeError::Model(_) | ServeError::Mismatch(_))
	));
	// No manifest.
	std::fs::remove_file(copy.path().join(MANIFEST_FILE)).unwrap();
	assert!(matches!(
		ServedModel::load(copy.path(), &DEV_SETUP_SEED),
		Err(ServeError::Manifest(_))
	));
	// A manifest that is not JSON.
	std::fs::write(copy.path().join(MANIFEST_FILE), b"{ not json").unwrap();
	assert!(matches!(
		ServedModel::load(copy.path(), &DEV_SETUP_SEED),
		Err(ServeError::Manifest(_))
	));
}

#[test]
fn scales_are_powers_of_two() {
	assert_eq!(scale_bits(256), Some(8));
	assert_eq!(scale_bits(2), Some(1));
	assert_eq!(scale_bits(65536), Some(16));
	for bad in [0, 1, 3, 255, 1 << 17] {
		assert_eq!(scale_bits(bad), None, "{bad}");
	}
}

#[test]
fn a_hybrid_receipt_carries_the_engine_output_and_evidence_that_verifies() {
	let served = ServedModel::load(&model_dir("digits-mlp"), &DEV_SETUP_SEED).unwrap();
	let set = TestSet::load(&model_dir("digits-mlp").join("test-set.json")).unwrap();
	let input = served.quantize_input(&set.inputs[0]).unwrap();
	let session = session();
	let binding = Binding {
		genesis: [1; 32],
		subject: Subject::Request(4),
		node: [9; 32],
		model: 2,
		fee: 10,
	};
	let policy = [EvidenceKind::Tee, EvidenceKind::Zk];
	let mut rng = ChaCha20Rng::from_seed([5; 32]);
	let receipt =
		answer(&served, binding, Opening::plain(&input), &policy, Some(&session), &mut rng, false)
			.unwrap();

	assert_eq!(receipt.output, served.run(&input).unwrap());
	assert_eq!((receipt.subject, receipt.model, receipt.fee), (Subject::Request(4), 2, 10));
	assert_eq!(receipt.c_out.len(), 2);
	let c_in = |i: usize| if i == 0 { receipt.c_0 } else { receipt.c_out[i - 1] };
	let statement = |i: usize| binding.statement(&served, i as u8, c_in(i), receipt.c_out[i]);
	// Segment 0: the enclave's signature of its statement.
	let Evidence::Tee { key, signature } = &receipt.evidence[0] else { panic!("TEE evidence") };
	assert_eq!(*key, session.public_key());
	let vk = ed25519_zebra::VerificationKey::try_from(*key).unwrap();
	let message = enclave_signing_message(&statement(0).signing_payload());
	vk.verify(&ed25519_zebra::Signature::from(*signature), &message).unwrap();
	// Segment 1: a Groth16 proof of its statement under the manifest's key.
	let Evidence::Zk { proof } = &receipt.evidence[1] else { panic!("ZK evidence") };
	let keys = served.keys[1].as_ref().unwrap();
	let inputs = PublicInputs::from_scalars(
		statement(1).zk_public_inputs_le().unwrap().map(Scalar).to_vec(),
	)
	.unwrap();
	assert_eq!(verify(&prepare(&keys.vk).unwrap(), proof, &inputs), Ok(()));
	// …and not of another statement (another request).
	let mut other = statement(1);
	other.subject = Subject::Request(5);
	let other =
		PublicInputs::from_scalars(other.zk_public_inputs_le().unwrap().map(Scalar).to_vec())
			.unwrap();
	assert!(verify(&prepare(&keys.vk).unwrap(), proof, &other).is_err());
}

/// L7: a salted input salts `c_0` and `c_1` (the output's commitment stays plain, for the chain
/// to check against the output); the enclave signs and the prover proves the salted statements.
#[test]
fn l7_a_salted_receipt_salts_every_commitment_but_the_output_s() {
	let served = ServedModel::load(&model_dir("digits-mlp"), &DEV_SETUP_SEED).unwrap();
	let set = TestSet::load(&model_dir("digits-mlp").join("test-set.json")).unwrap();
	let input = served.quantize_input(&set.inputs[2]).unwrap();
	let session = session();
	let binding = Binding {
		genesis: [1; 32],
		subject: Subject::Request(8),
		node: [9; 32],
		model: 2,
		fee: 10,
	};
	let salt = Salt::from_random([0x5a; 31]);
	let mut rng = ChaCha20Rng::from_seed([8; 32]);
	let policy = [EvidenceKind::Tee, EvidenceKind::Zk];
	let salted = Opening { values: &input, salt, output: OutputMode::Published };
	let receipt =
		answer(&served, binding, salted, &policy, Some(&session), &mut rng, false).unwrap();
	let plain =
		answer(&served, binding, Opening::plain(&input), &policy, Some(&session), &mut rng, false)
			.unwrap();
	assert_eq!(receipt.output, plain.output);
	let shape = &served.manifest.input_shape;
	assert_eq!(receipt.c_0, commit_salted(shape, &input, &salt).unwrap());
	assert_ne!(receipt.c_0, plain.c_0);
	assert_ne!(receipt.c_out[0], plain.c_out[0], "the hidden layer's commitment is salted");
	assert_eq!(receipt.c_out[1], plain.c_out[1], "the output's is not");
	let statement = |i: usize| {
		let c_in = if i == 0 { receipt.c_0 } else { receipt.c_out[i - 1] };
		binding.statement(&served, i as u8, c_in, receipt.c_out[i])
	};
	let Evidence::Tee { key, signature } = &receipt.evidence[0] else { panic!("TEE evidence") };
	let vk = ed25519_zebra::VerificationKey::try_from(*key).unwrap();
	let message = enclave_signing_message(&statement(0).signing_payload());
	vk.verify(&ed25519_zebra::Signature::from(*signature), &message).unwrap();
	let Evidence::Zk { proof } = &receipt.evidence[1] else { panic!("ZK evidence") };
	let public = statement(1).zk_public_inputs_le().unwrap().map(Scalar).to_vec();
	let keys = served.keys[1].as_ref().unwrap();
	let verified =
		verify(&prepare(&keys.vk).unwrap(), proof, &PublicInputs::from_scalars(public).unwrap());
	assert_eq!(verified, Ok(()));
	// A committed output: `c_n` is salted too (the receipt still carries the values, which the
	// node takes out when it submits).
	let committed = Opening { values: &input, salt, output: OutputMode::Committed };
	let receipt =
		answer(&served, binding, committed, &policy, Some(&session), &mut rng, false).unwrap();
	let output_shape = &served.manifest.output_shape;
	assert_eq!(receipt.c_out[1], commit_salted(output_shape, &receipt.output, &salt).unwrap());
	assert_ne!(receipt.c_out[1], plain.c_out[1]);
}

/// L7: `text-char-mlp` takes three characters of a 32-letter alphabet (32,768 possible inputs).
/// Without a salt, whoever sees `c_0` finds the input by committing to candidates; with one, no
/// candidate commits to `c_0`, not even the input itself. The search here tries the 1,024
/// candidates that share the input's first character (every candidate is one more Poseidon
/// chain, ≈ 33 hashes: the full 32³ would only take 32 times longer).
#[test]
fn l7_a_salted_c0_hides_a_low_entropy_input() {
	let served = ServedModel::load(&model_dir("text-char-mlp"), &DEV_SETUP_SEED).unwrap();
	let shape = &served.manifest.input_shape;
	let one_hot = |chars: [usize; 3]| {
		let mut x = vec![0f32; 96];
		for (i, c) in chars.iter().enumerate() {
			x[32 * i + c] = 1.0;
		}
		served.quantize_input(&x).unwrap()
	};
	let secret = [18, 19, 0]; // "sta"
	let x = one_hot(secret);
	let plain = commit_salted(shape, &x, &Salt::NONE).unwrap();
	let salted = commit_salted(shape, &x, &Salt::from_random([0x77; 31])).unwrap();
	let (mut found_plain, mut found_salted) = (Vec::new(), Vec::new());
	for second in 0..32 {
		for third in 0..32 {
			let candidate = [secret[0], second, third];
			let c = commit_salted(shape, &one_hot(candidate), &Salt::NONE).unwrap();
			if c == plain {
				found_plain.push(candidate);
			}
			if c == salted {
				found_salted.push(candidate);
			}
		}
	}
	assert_eq!(found_plain, vec![secret], "unsalted, the search finds the input");
	assert!(found_salted.is_empty(), "salted, it finds nothing");
}

/// H2: a node told that chain model 0 is `digits-cnn` (while the chain registered `digits-mlp`
/// as 0) makes evidence naming the content it ran, the CNN's: it verifies for the CNN's
/// statement and not for the one the chain rebuilds for model 0.
#[test]
fn h2_evidence_names_the_model_it_ran() {
	let mlp = ServedModel::load(&model_dir("digits-mlp"), &DEV_SETUP_SEED).unwrap();
	let cnn = ServedModel::load(&model_dir("digits-cnn"), &DEV_SETUP_SEED).unwrap();
	assert_ne!(mlp.digest, cnn.digest);
	let set = TestSet::load(&model_dir("digits-cnn").join("test-set.json")).unwrap();
	let input = cnn.quantize_input(&set.inputs[0]).unwrap();
	let session = session();
	let binding = Binding {
		genesis: [1; 32],
		subject: Subject::Request(7),
		node: [9; 32],
		model: 0,
		fee: 10,
	};
	let policy = [EvidenceKind::Tee, EvidenceKind::TeeAttested];
	let mut rng = ChaCha20Rng::from_seed([7; 32]);
	let receipt =
		answer(&cnn, binding, Opening::plain(&input), &policy, Some(&session), &mut rng, false)
			.unwrap();
	let c_in = |i: usize| if i == 0 { receipt.c_0 } else { receipt.c_out[i - 1] };
	let statement =
		|i: usize, m: &ServedModel| binding.statement(m, i as u8, c_in(i), receipt.c_out[i]);
	let Evidence::Tee { key, signature } = &receipt.evidence[0] else { panic!("TEE evidence") };
	let vk = ed25519_zebra::VerificationKey::try_from(*key).unwrap();
	let signature = ed25519_zebra::Signature::from(*signature);
	let signed = |m: &ServedModel| {
		vk.verify(&signature, &enclave_signing_message(&statement(0, m).signing_payload()))
	};
	assert!(signed(&cnn).is_ok(), "the signature is of the content it ran");
	assert!(signed(&mlp).is_err(), "and not of model 0 as the chain registered it");
	let Evidence::TeeAttested { document } = &receipt.evidence[1] else { panic!("a document") };
	let roots = [DevCa::standard().unwrap().root_fingerprint()];
	let verified = veritas_verifier_tee_nitro::verify(document, &roots, now_ms()).unwrap();
	let user_data = verified.user_data.unwrap();
	assert_eq!(user_data, statement(1, &cnn).attestation_user_data());
	assert_ne!(user_data, statement(1, &mlp).attestation_user_data());
	// A proof's binding input differs the same way, so a proof for the CNN fails for model 0.
	assert_ne!(statement(1, &cnn).binding(), statement(1, &mlp).binding());
}

#[test]
fn attested_and_unproved_segments_and_refusals() {
	let served = ServedModel::load(&model_dir("digits-mlp"), &DEV_SETUP_SEED).unwrap();
	let input = vec![3; served.inputs()];
	let session = session();
	let binding =
		Binding { genesis: [1; 32], subject: Subject::Request(1), node: [9; 32], model: 0, fee: 0 };
	let mut rng = ChaCha20Rng::from_seed([6; 32]);
	let policy = [EvidenceKind::TeeAttested, EvidenceKind::None];
	let receipt =
		answer(&served, binding, Opening::plain(&input), &policy, Some(&session), &mut rng, false)
			.unwrap();
	let Evidence::TeeAttested { document } = &receipt.evidence[0] else { panic!("a document") };
	let statement = binding.statement(&served, 0, receipt.c_0, receipt.c_out[0]);
	let roots = [DevCa::standard().unwrap().root_fingerprint()];
	let verified = veritas_verifier_tee_nitro::verify(document, &roots, now_ms()).unwrap();
	assert_eq!(verified.user_data.as_deref(), Some(&statement.attestation_user_data()[..]));
	assert_eq!(receipt.evidence[1], Evidence::None);

	// Refused before any work.
	let no_enclave: Option<&EnclaveSession<DevEnclave>> = None;
	assert_eq!(
		answer(
			&served,
			binding,
			Opening::plain(&input),
			&[EvidenceKind::Tee, EvidenceKind::Zk],
			no_enclave,
			&mut rng,
			false
		),
		Err(AnswerError::NoEnclave)
	);
	assert_eq!(
		check(&served, &input, &[EvidenceKind::Zk]),
		Err(AnswerError::PolicyLength { segments: 2, policy: 1 })
	);
	assert_eq!(
		check(&served, &input[1..], &[EvidenceKind::Zk, EvidenceKind::Zk]),
		Err(AnswerError::InputLength { expected: 64, given: 63 })
	);
	// A value far outside what the layers were quantized for overflows the fixed-point range.
	let huge = vec![i32::MAX; served.inputs()];
	assert!(matches!(
		answer(
			&served,
			binding,
			Opening::plain(&huge),
			&[EvidenceKind::None, EvidenceKind::None],
			no_enclave,
			&mut rng,
			false
		),
		Err(AnswerError::Run(_))
	));
}

#[test]
fn the_text_model_completes_prompts_in_its_alphabet_deterministically() {
	use veritas_service::chat::{exchange_user_data, TextModel, MAX_COMPLETION, TEXT_FILE};
	let dir = model_dir("text-char-mlp");
	let text = TextModel::load(&dir).unwrap();
	let a = text.complete("Beautiful is better than", 40).unwrap();
	assert_eq!(a.chars().count(), 40);
	assert!(a.chars().all(|c| "abcdefghijklmnopqrstuvwxyz .,'-!".contains(c)), "{a:?}");
	assert_eq!(text.complete("Beautiful is better than", 40).unwrap(), a);
	// Characters outside the alphabet and short prompts are fine.
	assert_eq!(text.complete("", 5).unwrap().chars().count(), 5);
	assert_eq!(text.complete("∑ ünïcode", 3).unwrap().chars().count(), 3);
	assert_eq!(text.complete("x", 10_000).unwrap().chars().count(), MAX_COMPLETION);
	// The exchange digest binds both sides.
	assert_ne!(exchange_user_data(&[1; 32], &[2; 32]), exchange_user_data(&[2; 32], &[1; 32]));

	// A text.json that does not fit the model, or none.
	let copy = tempfile::tempdir().unwrap();
	std::fs::copy(dir.join(MODEL_FILE), copy.path().join(MODEL_FILE)).unwrap();
	assert!(matches!(TextModel::load(copy.path()), Err(ServeError::Manifest(_))));
	std::fs::write(copy.path().join(TEXT_FILE), br#"{"alphabet": "abc", "context": 3}"#).unwrap();
	assert!(matches!(TextModel::load(copy.path()), Err(ServeError::Mismatch(_))));
	std::fs::write(copy.path().join(TEXT_FILE), br#"{"alphabet": "abc"}"#).unwrap();
	assert!(matches!(TextModel::load(copy.path()), Err(ServeError::Manifest(_))));
}

/// L5: a receipt whose attestation document is older than `REMAKE_AFTER_MS` is made again
/// before the chain (5 minutes at most) would refuse it.
#[test]
fn l5_stale_attested_evidence_is_remade() {
	let served = ServedModel::load(&model_dir("digits-mlp"), &DEV_SETUP_SEED).unwrap();
	let input = vec![3; served.inputs()];
	let made_at = 1_700_000_000_000;
	let enclave = DevEnclave::new(DevCa::standard().unwrap(), pcrs_for_image(b"test image"));
	let session = EnclaveSession::generate(enclave.at(made_at)).unwrap();
	let binding =
		Binding { genesis: [1; 32], subject: Subject::Request(1), node: [9; 32], model: 0, fee: 0 };
	let mut rng = ChaCha20Rng::from_seed([8; 32]);
	let attested = [EvidenceKind::TeeAttested, EvidenceKind::Tee];
	let mut receipt = answer(
		&served,
		binding,
		Opening::plain(&input),
		&attested,
		Some(&session),
		&mut rng,
		false,
	)
	.unwrap();
	assert!(!needs_remake(&receipt, made_at));
	assert!(!needs_remake(&receipt, made_at + REMAKE_AFTER_MS));
	assert!(needs_remake(&receipt, made_at + REMAKE_AFTER_MS + 1));
	// Without an attestation document, nothing grows stale.
	let signed = [EvidenceKind::Tee, EvidenceKind::None];
	let plain =
		answer(&served, binding, Opening::plain(&input), &signed, Some(&session), &mut rng, false)
			.unwrap();
	assert!(!needs_remake(&plain, u64::MAX));
	// A document that does not even parse would be refused too: made again.
	receipt.evidence[0] = Evidence::TeeAttested { document: vec![0xa0; 8] };
	assert!(needs_remake(&receipt, made_at));
}

/// The engine's graph fixture with BatchNorm, a residual `Add`, `Concat`, a shape-chain flatten,
/// `Softmax` and a dynamic batch, in a model directory of its own.
fn graph_model_dir() -> tempfile::TempDir {
	let dir = tempfile::tempdir().unwrap();
	let fixture = model_dir("../inference/engine/resources/graphs/residual.onnx");
	std::fs::copy(fixture, dir.path().join(MODEL_FILE)).unwrap();
	dir
}

/// A model outside the chain of layers the circuits cover is served as one graph segment that
/// tract runs: its manifest offers `none`, `tee` and `tee_attested` (no key), a TEE receipt
/// carries tract's output rounded at the scale and a signature of its statement, a ZK policy is
/// refused, and a manifest asking ZK of it is refused naming what has no circuit.
#[test]
fn a_graph_model_is_served_with_tee_evidence_and_a_zk_manifest_is_refused_saying_why() {
	let dir = graph_model_dir();
	let measurement = veritas_attester::dev_image_measurement_id(b"veritas-inference");
	let made =
		manifest_json(dir.path(), "residual", 256, &measurement, &DEV_SETUP_SEED, true).unwrap();
	assert_eq!(made["segments"].as_array().unwrap().len(), 1);
	assert_eq!(made["segments"][0]["accepts"], serde_json::json!(["none", "tee", "tee_attested"]));
	assert!(made["segments"][0].get("vk").is_none());
	assert_eq!(
		(made["input_shape"].clone(), made["output_shape"].clone()),
		(serde_json::json!([1, 3, 8, 8]), serde_json::json!([1, 3]))
	);
	std::fs::write(dir.path().join(MANIFEST_FILE), serde_json::to_vec(&made).unwrap()).unwrap();
	let served = ServedModel::load(dir.path(), &DEV_SETUP_SEED).unwrap();
	assert!(served.segments[0].zk().is_none() && served.keys[0].is_none());

	let input: Vec<i32> = (0..served.inputs()).map(|i| (i as i32 * 37) % 512 - 256).collect();
	// What tract gives on the same floats, rounded at the scale: computed here without the node.
	let graph = veritas_engine::OnnxGraph::load(&dir.path().join(MODEL_FILE)).unwrap();
	let floats: Vec<f32> = input.iter().map(|v| *v as f32 / 256.0).collect();
	let expected: Vec<i32> =
		graph.run(&floats).unwrap().iter().map(|v| (v * 256.0).round() as i32).collect();
	assert_eq!(served.run(&input).unwrap(), expected);

	let session = session();
	let binding =
		Binding { genesis: [1; 32], subject: Subject::Request(8), node: [9; 32], model: 3, fee: 1 };
	let mut rng = ChaCha20Rng::from_seed([5; 32]);
	let receipt = answer(
		&served,
		binding,
		Opening::plain(&input),
		&[EvidenceKind::Tee],
		Some(&session),
		&mut rng,
		false,
	)
	.unwrap();
	assert_eq!(receipt.output, expected);
	assert_eq!(receipt.c_0, commit_salted(&[1, 3, 8, 8], &input, &Salt::NONE).unwrap());
	assert_eq!(receipt.c_out, vec![commit_salted(&[1, 3], &expected, &Salt::NONE).unwrap()]);
	let Evidence::Tee { key, signature } = &receipt.evidence[0] else { panic!("TEE evidence") };
	let statement = binding.statement(&served, 0, receipt.c_0, receipt.c_out[0]);
	let vk = ed25519_zebra::VerificationKey::try_from(*key).unwrap();
	let message = enclave_signing_message(&statement.signing_payload());
	vk.verify(&ed25519_zebra::Signature::from(*signature), &message).unwrap();
	assert_eq!(
		check(&served, &input, &[EvidenceKind::Zk]),
		Err(AnswerError::NotAccepted { segment: 0, kind: EvidenceKind::Zk })
	);

	// The same manifest asking ZK of the segment: refused, naming what the circuits lack (here the
	// first thing the layer reader meets: the dynamic batch of the input `image`).
	let mut asks_zk = made.clone();
	asks_zk["segments"][0]["accepts"] = serde_json::json!(["tee", "zk"]);
	std::fs::write(dir.path().join(MANIFEST_FILE), serde_json::to_vec(&asks_zk).unwrap()).unwrap();
	let Err(ServeError::Mismatch(why)) = ServedModel::load(dir.path(), &DEV_SETUP_SEED) else {
		panic!("a ZK manifest of a graph model is refused")
	};
	assert!(why.contains("no circuit") && why.contains("`image`"), "{why}");
	// A file that is not ONNX: a model error, nothing served.
	std::fs::write(dir.path().join(MANIFEST_FILE), serde_json::to_vec(&made).unwrap()).unwrap();
	std::fs::write(dir.path().join(MODEL_FILE), b"not onnx").unwrap();
	assert!(matches!(
		ServedModel::load(dir.path(), &DEV_SETUP_SEED),
		Err(ServeError::Model(_) | ServeError::Mismatch(_))
	));
}
