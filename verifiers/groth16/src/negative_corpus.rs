//! Replays the negative corpus in `resources/negative/` (written by its `generate.py` from the
//! real fixtures): every file goes through the check its `MANIFEST.tsv` line names and must fail
//! with exactly the error that line names.

use alloc::{format, string::String, vec::Vec};

use crate::{
	decode::{self, gnark, snarkjs},
	prepare,
	verify::verify_with,
	Arkworks, Bn254Engine, Groth16Error, Host,
};

macro_rules! corpus {
	($($name:literal,)*) => {
		[$(($name, include_bytes!(concat!("resources/negative/", $name)).as_slice()),)*]
	};
}

const FILES: [(&str, &[u8]); 37] = corpus![
	"gnark_vk_truncated.bin",
	"gnark_vk_oversized.bin",
	"gnark_vk_commitment_keys.bin",
	"gnark_vk_committed_public.bin",
	"gnark_vk_too_many_inputs.bin",
	"gnark_vk_alpha_identity.bin",
	"gnark_vk_alpha_x_ge_q.bin",
	"gnark_vk_alpha_not_on_curve.bin",
	"gnark_vk_uncompressed_flag.bin",
	"gnark_proof_truncated.bin",
	"gnark_proof_oversized.bin",
	"gnark_proof_a_byte_flip.bin",
	"gnark_proof_b_byte_flip.bin",
	"gnark_proof_c_y_ge_q.bin",
	"gnark_proof_pok_nonzero.bin",
	"gnark_proof_a_identity.bin",
	"gnark_proof_a_negated.bin",
	"gnark_proof_a_c_swapped.bin",
	"inputs_equal_to_r.json",
	"inputs_plus_r.json",
	"inputs_hex_plus_r.json",
	"inputs_wrong_value.json",
	"inputs_one_missing.json",
	"inputs_one_extra.json",
	"inputs_too_many.json",
	"inputs_negative.json",
	"inputs_numbers_not_strings.json",
	"snarkjs_proof_a_off_curve.json",
	"snarkjs_proof_b_off_subgroup.json",
	"snarkjs_proof_c_identity.json",
	"snarkjs_proof_b_c0_c1_swapped.json",
	"snarkjs_vk_gamma_equals_delta.json",
	"snarkjs_vk_plonk.json",
	"snarkjs_vk_ic_identity.json",
	"snarkjs_vk_n_public_mismatch.json",
	"wrong_format_json_to_gnark_proof.json",
	"wrong_format_gnark_vk_to_snarkjs.bin",
];

const MANIFEST: &str = include_str!("resources/negative/MANIFEST.tsv");
const SP1_VK: &[u8] = include_bytes!("resources/sp1-v3.0.0__groth16_vk.bin");
const SP1_PROOF: &str = include_str!("resources/sp1-v3.0.0__fibonacci-groth16.proof.snarkjs.json");
const SP1_INPUTS: &str =
	include_str!("resources/sp1-v3.0.0__fibonacci-groth16.public.snarkjs.json");

/// Runs `data` through `check` with both engines, which must agree.
fn run(check: &str, data: &[u8]) -> Result<(), Groth16Error> {
	let pure = run_with::<Arkworks>(check, data);
	assert_eq!(run_with::<Host>(check, data), pure, "the engines disagree on {check}");
	pure
}

/// Runs `data` through `check`; the SP1 v3.0.0 key and its fibonacci statement fill in the rest.
fn run_with<E: Bn254Engine>(check: &str, data: &[u8]) -> Result<(), Groth16Error> {
	let vk = || prepare(&gnark::verifying_key(SP1_VK).unwrap()).unwrap();
	match check {
		"gnark-vk" => gnark::verifying_key(data).map(drop),
		"gnark-proof" => gnark::proof(data).map(drop),
		"snarkjs-vk" => snarkjs::verifying_key(data).map(drop),
		"snarkjs-proof" => snarkjs::proof(data).map(drop),
		"verify-gnark-proof" => {
			let inputs = decode::public_inputs_json(SP1_INPUTS.as_bytes()).unwrap();
			verify_with::<E>(&vk(), &gnark::proof(data)?, &inputs)
		},
		"verify-inputs" => {
			let proof = snarkjs::proof(SP1_PROOF.as_bytes()).unwrap();
			verify_with::<E>(&vk(), &proof, &decode::public_inputs_json(data)?)
		},
		other => panic!("unknown check {other}"),
	}
}

#[test]
fn every_file_fails_with_the_error_its_manifest_names() {
	let lines: Vec<(&str, &str, &str)> = MANIFEST
		.lines()
		.filter(|l| !l.starts_with('#') && !l.is_empty())
		.map(|l| {
			let mut f = l.split('\t');
			(f.next().unwrap(), f.next().unwrap(), f.next().unwrap())
		})
		.collect();
	assert_eq!(lines.len(), FILES.len(), "the manifest and the file list agree");
	let mut failures: Vec<String> = Vec::new();
	for ((file, check, expected), (name, data)) in lines.iter().zip(FILES.iter()) {
		assert_eq!(file, name);
		let got = match run(check, data) {
			Ok(()) => "Ok".into(),
			Err(e) => format!("{e:?}"),
		};
		if got != *expected {
			failures.push(format!("{file}: expected {expected}, got {got}"));
		}
	}
	assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_genuine_statement_behind_the_corpus_verifies() {
	assert_eq!(run("verify-inputs", SP1_INPUTS.as_bytes()), Ok(()));
}
