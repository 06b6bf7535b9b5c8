//! The `veritas` binary on real fixtures: exit codes (0 valid, 1 invalid, 2 malformed or usage)
//! and messages of the offline commands.
//!
//! Fixtures: the circom/snarkjs statements of `verifiers/groth16/src/resources/circom/` (made here with
//! circom and snarkjs), SP1 v3.0.0's gnark key and proof and their negative corpus
//! (`verifiers/groth16/src/resources/`), and AWS Nitro attestation documents captured on real
//! hardware (`verifiers/tee-nitro/src/resources/`, see its PROVENANCE.md).

use std::{path::PathBuf, process::Command};

use serde_json::Value;

fn repo(relative: &str) -> PathBuf {
	std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("..")
	.join(relative)
}

fn circom(name: &str) -> String {
	repo(&format!("verifiers/groth16/src/resources/circom/{name}")).display().to_string()
}

fn groth16_resource(name: &str) -> String {
	repo(&format!("verifiers/groth16/src/resources/{name}")).display().to_string()
}

fn nitro_resource(name: &str) -> PathBuf {
	repo(&format!("verifiers/tee-nitro/src/resources/{name}"))
}

/// Runs `veritas args…`: (exit code, stdout, stderr).
fn veritas(args: &[&str]) -> (i32, String, String) {
	let out = Command::new(env!("CARGO_BIN_EXE_veritas")).args(args).output().expect("runs");
	(
		out.status.code().expect("exited"),
		String::from_utf8_lossy(&out.stdout).into_owned(),
		String::from_utf8_lossy(&out.stderr).into_owned(),
	)
}

/// The 324-byte gnark raw proof inside SP1's bincode `SP1ProofWithPublicValues` (v3.0.0,
/// Groth16 variant): after a 4-byte tag, length-prefixed fields; the fourth is the proof in hex.
fn sp1_raw_proof(wrapper: &[u8]) -> Vec<u8> {
	let mut pos = 4;
	let mut field = || {
		let n = u64::from_le_bytes(wrapper[pos..pos + 8].try_into().unwrap()) as usize;
		pos += 8;
		let out = wrapper[pos..pos + n].to_vec();
		pos += n;
		out
	};
	field();
	field();
	field();
	hex::decode(field()).expect("hex proof")
}

mod groth16 {
	use super::*;

	#[test]
	fn vk_id_is_the_crates_id_of_the_key() {
		let (code, out, err) =
			veritas(&["groth16", "vk-id", "--vk", &circom("multiplier/verification_key.json")]);
		assert_eq!(code, 0, "{err}");
		let vk = veritas_verifier_groth16::decode::snarkjs::verifying_key(
			&std::fs::read(circom("multiplier/verification_key.json")).unwrap(),
		)
		.unwrap();
		assert_eq!(out.trim(), format!("0x{}", hex::encode(veritas_verifier_groth16::vk_id(&vk))));
	}

	#[test]
	fn verify_accepts_valid_snarkjs_proofs() {
		for dir in ["multiplier", "many_inputs", "poseidon_commit"] {
			let (code, out, err) = veritas(&[
				"groth16",
				"verify",
				"--vk",
				&circom(&format!("{dir}/verification_key.json")),
				"--proof",
				&circom(&format!("{dir}/proof.json")),
				"--inputs",
				&circom(&format!("{dir}/public.json")),
				"--format",
				"snarkjs",
			]);
			assert_eq!(code, 0, "{dir}: {out} {err}");
			assert!(out.starts_with("valid"), "{out}");
		}
	}

	#[test]
	fn verify_reads_gnark_binaries_and_tells_invalid_from_malformed() {
		let dir = tempfile::tempdir().unwrap();
		let wrapper = std::fs::read(groth16_resource("sp1-v3.0.0__fibonacci-groth16.bin")).unwrap();
		let proof = dir.path().join("proof.bin");
		std::fs::write(&proof, sp1_raw_proof(&wrapper)).unwrap();
		let vk = groth16_resource("sp1-v3.0.0__groth16_vk.bin");
		let inputs = groth16_resource("sp1-v3.0.0__fibonacci-groth16.public.snarkjs.json");
		let run = |proof: &str| {
			veritas(&[
				"groth16", "verify", "--vk", &vk, "--proof", proof, "--inputs", &inputs,
				"--format", "gnark",
			])
		};
		let (code, _, err) = run(proof.to_str().unwrap());
		assert_eq!(code, 0, "{err}");
		let (code, _, err) = run(&groth16_resource("negative/gnark_proof_a_negated.bin"));
		assert_eq!((code, err.contains("does not verify")), (1, true), "{err}");
		let (code, _, err) = run(&groth16_resource("negative/gnark_proof_truncated.bin"));
		assert_eq!(code, 2, "{err}");
		assert!(err.contains("gnark_proof_truncated.bin"), "the message names the file: {err}");
	}

	#[test]
	fn verify_reads_arkworks_bytes_in_both_compressions() {
		use veritas_verifier_groth16::decode::{arkworks, snarkjs};
		let dir = tempfile::tempdir().unwrap();
		let vk = snarkjs::verifying_key(
			&std::fs::read(circom("multiplier/verification_key.json")).unwrap(),
		)
		.unwrap();
		let proof =
			snarkjs::proof(&std::fs::read(circom("multiplier/proof.json")).unwrap()).unwrap();
		for (c, name) in [
			(arkworks::Compression::Yes, "compressed"),
			(arkworks::Compression::No, "uncompressed"),
		] {
			let vk_path = dir.path().join("vk.bin");
			let proof_path = dir.path().join("proof.bin");
			std::fs::write(&vk_path, arkworks::encode_verifying_key(&vk, c).unwrap()).unwrap();
			std::fs::write(&proof_path, arkworks::encode_proof(&proof, c).unwrap()).unwrap();
			let (code, _, err) = veritas(&[
				"groth16",
				"verify",
				"--vk",
				vk_path.to_str().unwrap(),
				"--proof",
				proof_path.to_str().unwrap(),
				"--inputs",
				&circom("multiplier/public.json"),
				"--format",
				"arkworks",
			]);
			assert_eq!(code, 0, "{name}: {err}");
		}
	}

	#[test]
	fn verify_exits_1_on_wrong_inputs_and_2_on_bad_files() {
		let vk = circom("many_inputs/verification_key.json");
		let proof = circom("many_inputs/proof.json");
		let run = |inputs: &str| {
			veritas(&["groth16", "verify", "--vk", &vk, "--proof", &proof, "--inputs", inputs])
		};
		let (code, _, err) = run(&circom("many_inputs/public_wrong.json"));
		assert_eq!(code, 1, "{err}");
		let (code, _, err) = run(&groth16_resource("negative/inputs_plus_r.json"));
		assert_eq!(code, 2, "an input ≥ r is malformed: {err}");
		let (code, _, err) = run("/nonexistent/public.json");
		assert_eq!(code, 2, "{err}");
		assert!(err.contains("/nonexistent/public.json"), "{err}");
	}

	#[test]
	fn usage_errors_exit_2() {
		let (code, _, _) = veritas(&["groth16", "vk-id", "--vk", "x", "--format", "plonk"]);
		assert_eq!(code, 2);
		let (code, _, err) =
			veritas(&["vk", "register", "--vk", &circom("multiplier/verification_key.json")]);
		assert_eq!(code, 2, "chain commands need --suri: {err}");
		assert!(err.contains("--suri"), "{err}");
	}
}

mod request {
	use super::*;

	/// `veritas request` with `args` after `--model 0 --policy tee --max-fee 1`, against a chain
	/// nobody serves: what fails before the chain is read exits 2.
	fn request(args: &[&str]) -> (i32, String, String) {
		let mut all = vec!["--url", "ws://127.0.0.1:9", "--suri", "//Alice", "request"];
		all.extend(["--model", "0", "--policy", "tee", "--max-fee", "1"]);
		all.extend(args);
		veritas(&all)
	}

	#[test]
	fn float_features_are_read_before_the_chain_and_refused_when_malformed() {
		let dir = tempfile::tempdir().unwrap();
		let file = |name: &str, body: &str| {
			let path = dir.path().join(name);
			std::fs::write(&path, body).unwrap();
			path.to_str().unwrap().to_owned()
		};
		for (name, body, says) in [
			("text.json", "[0.5, \"x\"]", "is not a number"),
			("object.json", "{\"x\": 1}", "a JSON array expected"),
			("ragged.json", "[[1, 2], [3]]", "ragged"),
			("garbage.json", "[0.5,", "not JSON"),
		] {
			let (code, _, err) = request(&["--features", &file(name, body)]);
			assert_eq!(code, 2, "{name}: {err}");
			assert!(err.contains(says) && err.contains(name), "{name}: {err}");
		}
		// Well-formed features go on to the chain: unreachable here (exit 3).
		let (code, _, err) = request(&["--features", &file("good.json", "[0.5, -1, 2e-3]")]);
		assert_eq!(code, 3, "{err}");
		// One input only.
		let ints = file("ints.json", "[1, 2]");
		let (code, _, err) = request(&["--features", &ints, "--input", &ints]);
		assert_eq!(code, 2, "{err}");
		let (code, _, err) = request(&[]);
		assert_eq!(code, 2, "an input is required: {err}");
	}
}

mod nitro {
	use super::*;

	/// The real documents the provenance file expects to pass under the AWS root, with their
	/// recorded module id and timestamp.
	fn passing_documents() -> Vec<(PathBuf, String, u64)> {
		let vectors: Value =
			serde_json::from_slice(&std::fs::read(nitro_resource("vectors.json")).unwrap())
				.unwrap();
		vectors
			.as_array()
			.unwrap()
			.iter()
			.filter(|v| v["expected_under_aws_root"] == "PASS")
			.map(|v| {
				// One vector names a DER-certificate variant of a document the folder stores once,
				// under its PEM name (as the verifier crate's own test vectors do).
				let name = v["file"].as_str().unwrap().replace("-der.crt", ".pem");
				let file = format!("{name}.cose");
				(
					nitro_resource(&file),
					v["module_id"].as_str().unwrap().to_owned(),
					v["timestamp_ms"].as_u64().unwrap(),
				)
			})
			.collect()
	}

	#[test]
	fn accepts_every_real_document_at_its_own_time_with_its_claims() {
		let docs = passing_documents();
		assert!(docs.len() >= 5, "the vectors hold real passing documents");
		for (path, module_id, timestamp) in docs {
			assert!(path.exists(), "{}", path.display());
			let (code, out, err) =
				veritas(&["nitro", "verify", "--doc", path.to_str().unwrap(), "--json"]);
			assert_eq!(code, 0, "{}: {err}", path.display());
			let claims: Value = serde_json::from_str(&out).unwrap();
			assert_eq!(claims["module_id"], module_id.as_str());
			assert_eq!(claims["timestamp_ms"], timestamp);
			assert_eq!(claims["digest"], "SHA384");
			assert!(claims["pcrs"]["0"].as_str().unwrap().len() == 2 + 96);
		}
	}

	#[test]
	fn refuses_a_tampered_document_a_later_time_and_another_root() {
		let (path, _, timestamp) = passing_documents().remove(0);
		let dir = tempfile::tempdir().unwrap();
		let mut bytes = std::fs::read(&path).unwrap();
		let last = bytes.len() - 1;
		bytes[last] ^= 1; // the last byte of the signature
		let tampered = dir.path().join("tampered.cose");
		std::fs::write(&tampered, &bytes).unwrap();
		let (code, _, err) = veritas(&["nitro", "verify", "--doc", tampered.to_str().unwrap()]);
		assert_eq!(code, 1, "a bad signature is invalid: {err}");

		// Ten years after the document, its certificates have expired.
		let later = (timestamp + 10 * 365 * 24 * 3600 * 1000).to_string();
		let (code, _, err) =
			veritas(&["nitro", "verify", "--doc", path.to_str().unwrap(), "--at", &later]);
		assert_eq!(code, 1, "expired at a later time: {err}");

		// Trusting only another root refuses the AWS chain.
		let der = std::fs::read(nitro_resource("roots/marlin-mock-root.der")).unwrap();
		let pem =
			pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &der).unwrap();
		let root = dir.path().join("other-root.pem");
		std::fs::write(&root, pem).unwrap();
		let (code, _, err) = veritas(&[
			"nitro",
			"verify",
			"--doc",
			path.to_str().unwrap(),
			"--root",
			root.to_str().unwrap(),
		]);
		assert_eq!(code, 1, "an unknown root is invalid: {err}");
	}

	#[test]
	fn exits_2_on_garbage_truncation_and_a_bad_root_file() {
		let (path, _, _) = passing_documents().remove(0);
		let dir = tempfile::tempdir().unwrap();
		let bytes = std::fs::read(&path).unwrap();
		let truncated = dir.path().join("truncated.cose");
		std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
		let (code, _, err) = veritas(&["nitro", "verify", "--doc", truncated.to_str().unwrap()]);
		assert_eq!(code, 2, "{err}");
		let garbage = dir.path().join("garbage.cose");
		std::fs::write(&garbage, b"\xff\x00not cbor at all").unwrap();
		let (code, _, err) = veritas(&["nitro", "verify", "--doc", garbage.to_str().unwrap()]);
		assert_eq!(code, 2, "{err}");
		let (code, _, err) = veritas(&[
			"nitro",
			"verify",
			"--doc",
			path.to_str().unwrap(),
			"--root",
			garbage.to_str().unwrap(),
		]);
		assert_eq!(code, 2, "a root that is not PEM: {err}");
	}
}
