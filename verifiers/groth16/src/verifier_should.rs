//! Pure tests of the verifier on real third-party fixtures (`resources/PROVENANCE.md`) and on
//! corrupted copies of them.

use alloc::{string::String, vec::Vec};

use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, PrimeField, UniformRand};
use ark_serialize::Compress;

use crate::{
	batch_verify_with,
	decode::{self, arkworks, gnark, gnark_json, snarkjs},
	prepare,
	types::{g1_bytes, g2_bytes},
	verify_with, vk_id, Arkworks, Groth16Error, Host, Part, PreparedVerifyingKey, Proof,
	PublicInputs, Scalar, VerifyingKey, MAX_PUBLIC_INPUTS,
};

/// Verifies with both engines (plain arkworks and the host functions, called natively here) and
/// checks that they agree, so every vector below runs through both paths.
fn verify(
	vk: &PreparedVerifyingKey,
	proof: &Proof,
	inputs: &PublicInputs,
) -> Result<(), Groth16Error> {
	let pure = verify_with::<Arkworks>(vk, proof, inputs);
	assert_eq!(verify_with::<Host>(vk, proof, inputs), pure, "the engines disagree");
	pure
}

/// [`verify`] for batches.
fn batch_verify(
	vk: &PreparedVerifyingKey,
	items: &[(Proof, PublicInputs)],
) -> Result<(), Groth16Error> {
	let pure = batch_verify_with::<Arkworks>(vk, items);
	assert_eq!(batch_verify_with::<Host>(vk, items), pure, "the engines disagree");
	pure
}

/// The fixtures, loaded at compile time.
mod fixtures {
	use super::*;

	pub(super) const SP1_V3_VK: &[u8] = include_bytes!("resources/sp1-v3.0.0__groth16_vk.bin");
	pub(super) const SP1_V3_VK_JSON: &str =
		include_str!("resources/sp1-v3.0.0__groth16_vk.snarkjs.json");
	pub(super) const SP1_V6_VK: &[u8] = include_bytes!("resources/sp1-v6.1.0__groth16_vk.bin");
	pub(super) const SP1_V6_VK_JSON: &str =
		include_str!("resources/sp1-v6.1.0__groth16_vk.snarkjs.json");

	/// An SP1 v3.0.0 proof: the bincode `SP1ProofWithPublicValues` file, and its snarkjs JSON.
	pub(super) struct Sp1Proof {
		pub(super) name: &'static str,
		pub(super) wrapper: &'static [u8],
		pub(super) proof_json: &'static str,
		pub(super) public_json: &'static str,
	}

	macro_rules! sp1 {
		($name:literal) => {
			Sp1Proof {
				name: $name,
				wrapper: include_bytes!(concat!("resources/sp1-v3.0.0__", $name, ".bin")),
				proof_json: include_str!(concat!(
					"resources/sp1-v3.0.0__",
					$name,
					".proof.snarkjs.json"
				)),
				public_json: include_str!(concat!(
					"resources/sp1-v3.0.0__",
					$name,
					".public.snarkjs.json"
				)),
			}
		};
	}

	pub(super) const SP1_V3_PROOFS: [Sp1Proof; 5] = [
		sp1!("fibonacci-groth16"),
		sp1!("branch__fibonacci_groth16_proof"),
		sp1!("branch__fibonacci_groth16_proof2"),
		sp1!("branch__is-prime_groth16_proof"),
		sp1!("branch__proof-with-is-prime"),
	];

	pub(super) const ZKV_GNARK: &str = include_str!("resources/groth16_gnark_bn254.json");
	pub(super) const ZKV_GNARK_VK: &str = include_str!("resources/groth16_gnark_bn254_vk.json");
	pub(super) const ZKV_GNARK_AS_SNARKJS: [&str; 3] = [
		include_str!("resources/zkverifyjs__groth16_gnark_bn254.vk.snarkjs.json"),
		include_str!("resources/zkverifyjs__groth16_gnark_bn254.proof.snarkjs.json"),
		include_str!("resources/zkverifyjs__groth16_gnark_bn254.public.snarkjs.json"),
	];
	pub(super) const ZKV_SNARKJS_BN128: &str = include_str!("resources/groth16_snarkjs_bn128.json");
	pub(super) const ZKV_SNARKJS_BN254: &str = include_str!("resources/groth16_snarkjs_bn254.json");

	/// The parts of an SP1 v3.0.0 `SP1ProofWithPublicValues` (bincode 1) a verifier needs.
	pub(super) struct Sp1Wrapper {
		pub(super) public_inputs: Vec<String>,
		pub(super) encoded_proof: Vec<u8>,
		pub(super) raw_proof: Vec<u8>,
		pub(super) vkey_hash: [u8; 32],
	}

	fn take<'a>(b: &mut &'a [u8], n: usize) -> &'a [u8] {
		let (head, tail) = b.split_at(n);
		*b = tail;
		head
	}

	fn bytes<'a>(b: &mut &'a [u8]) -> &'a [u8] {
		let n = u64::from_le_bytes(take(b, 8).try_into().unwrap()) as usize;
		take(b, n)
	}

	pub(super) fn sp1_wrapper(mut b: &[u8]) -> Sp1Wrapper {
		assert_eq!(take(&mut b, 4), 3u32.to_le_bytes(), "Groth16 variant");
		let public_inputs =
			(0..2).map(|_| String::from_utf8(bytes(&mut b).to_vec()).unwrap()).collect();
		let encoded_proof = hex::decode(bytes(&mut b)).unwrap();
		let raw_proof = hex::decode(bytes(&mut b)).unwrap();
		let vkey_hash = take(&mut b, 32).try_into().unwrap();
		Sp1Wrapper { public_inputs, encoded_proof, raw_proof, vkey_hash }
	}

	pub(super) fn inputs(strs: &[String]) -> PublicInputs {
		PublicInputs::from_scalars(
			strs.iter().map(|s| crate::validate::scalar_from_str(s).unwrap()).collect(),
		)
		.unwrap()
	}

	pub(super) fn json_field(json: &str, field: &str) -> Vec<u8> {
		let v: serde_json::Value = serde_json::from_str(json).unwrap();
		serde_json::to_vec(&v[field]).unwrap()
	}

	/// The SP1 v3.0.0 key, prepared, and the first proof with its inputs.
	pub(super) fn sp1_statement() -> (crate::PreparedVerifyingKey, Proof, PublicInputs) {
		let vk = gnark::verifying_key(SP1_V3_VK).unwrap();
		let w = sp1_wrapper(SP1_V3_PROOFS[0].wrapper);
		(prepare(&vk).unwrap(), gnark::proof(&w.raw_proof).unwrap(), inputs(&w.public_inputs))
	}

	/// A point on the twist that is not in the r-torsion subgroup.
	pub(super) fn g2_outside_subgroup() -> G2Affine {
		(1u64..)
			.find_map(|i| {
				let x = Fq2::new(Fq::from(i), Fq::from(1u64));
				G2Affine::get_point_from_x_unchecked(x, false)
					.filter(|p| !p.is_in_correct_subgroup_assuming_on_curve())
			})
			.unwrap()
	}

	/// 32 big-endian bytes of a base-field element (gnark's encoding).
	pub(super) fn fq_be(x: &Fq) -> Vec<u8> {
		x.into_bigint().to_bytes_be()
	}

	/// gnark's uncompressed G2 encoding: x.A1 ‖ x.A0 ‖ y.A1 ‖ y.A0.
	pub(super) fn gnark_g2(p: &G2Affine) -> Vec<u8> {
		[fq_be(&p.x.c1), fq_be(&p.x.c0), fq_be(&p.y.c1), fq_be(&p.y.c0)].concat()
	}

	/// The modulus r in decimal.
	pub(super) fn r_decimal() -> String {
		use alloc::string::ToString;
		num_bigint::BigUint::from_bytes_le(&Fr::MODULUS.to_bytes_le()).to_string()
	}
}

use fixtures::*;

/// x·y = z with z public: a tiny circuit to prove with arkworks.
mod circuit {
	use super::*;
	use ark_relations::{
		lc,
		r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError},
	};
	use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

	#[derive(Clone)]
	struct Mul {
		x: Option<Fr>,
		y: Option<Fr>,
		z: Option<Fr>,
	}

	impl ConstraintSynthesizer<Fr> for Mul {
		fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
			let z = cs.new_input_variable(|| self.z.ok_or(SynthesisError::AssignmentMissing))?;
			let x = cs.new_witness_variable(|| self.x.ok_or(SynthesisError::AssignmentMissing))?;
			let y = cs.new_witness_variable(|| self.y.ok_or(SynthesisError::AssignmentMissing))?;
			cs.enforce_constraint(lc!() + x, lc!() + y, lc!() + z)
		}
	}

	/// A key, a proof of 3·5 = 15, and the public input 15; all from a seeded RNG.
	pub(super) fn prove() -> (ark_groth16::VerifyingKey<Bn254>, ark_groth16::Proof<Bn254>, Fr) {
		let mut rng = ChaCha20Rng::seed_from_u64(0x0076_6572_6974_6173);
		let blank = Mul { x: None, y: None, z: None };
		let pk = ark_groth16::Groth16::<Bn254>::generate_random_parameters_with_reduction(
			blank, &mut rng,
		)
		.unwrap();
		let (x, y) = (Fr::from(3u64), Fr::from(5u64));
		let full = Mul { x: Some(x), y: Some(y), z: Some(x * y) };
		let proof =
			ark_groth16::Groth16::<Bn254>::create_random_proof_with_reduction(full, &pk, &mut rng)
				.unwrap();
		(pk.vk, proof, x * y)
	}

	/// A random valid G1 point, other than any in the fixtures.
	pub(super) fn random_g1() -> G1Affine {
		let mut rng = ChaCha20Rng::seed_from_u64(7);
		G1Projective::rand(&mut rng).into_affine()
	}
}

mod decode_gnark {
	use super::*;

	mod accepts {
		use super::*;

		#[test]
		fn the_sp1_v3_key_with_two_inputs_and_gamma_at_the_generator() {
			let vk = gnark::verifying_key(SP1_V3_VK).unwrap();
			assert_eq!(vk.num_inputs(), 2);
			assert_eq!(vk.gamma_g2, g2_bytes(&G2Affine::generator()));
		}

		#[test]
		fn the_sp1_v6_key_with_five_inputs() {
			let vk = gnark::verifying_key(SP1_V6_VK).unwrap();
			assert_eq!(vk.num_inputs(), 5);
			assert!(prepare(&vk).is_ok());
		}

		#[test]
		fn the_sp1_v3_proofs_whose_256_byte_form_is_the_324_byte_prefix() {
			for p in &SP1_V3_PROOFS {
				let w = sp1_wrapper(p.wrapper);
				assert_eq!(w.raw_proof.len(), gnark::PROOF_LEN, "{}", p.name);
				assert_eq!(w.encoded_proof[..], w.raw_proof[..256], "{}", p.name);
				assert_eq!(
					gnark::proof(&w.raw_proof).unwrap(),
					gnark::proof(&w.encoded_proof).unwrap(),
					"{}",
					p.name
				);
			}
		}

		#[test]
		fn compressed_y_choice_as_gnark_defines_it() {
			// Every compressed G2 point of the key decodes to a y whose flag matches gnark's rule.
			let vk = gnark::verifying_key(SP1_V3_VK).unwrap().to_ark().unwrap();
			for (offset, p) in [(64, vk.beta_g2), (128, vk.gamma_g2), (224, vk.delta_g2)] {
				let largest = SP1_V3_VK[offset] >> 6 == 0b11;
				assert_eq!(gnark::fq2_is_largest(&p.y), largest);
			}
		}
	}

	mod rejects {
		use super::*;

		#[test]
		fn a_truncated_or_oversized_key() {
			let n = SP1_V3_VK.len();
			assert!(matches!(
				gnark::verifying_key(&SP1_V3_VK[..n - 1]),
				Err(Groth16Error::WrongLength { .. })
			));
			let mut long = SP1_V3_VK.to_vec();
			long.push(0);
			assert_eq!(
				gnark::verifying_key(&long),
				Err(Groth16Error::WrongLength { expected: n, actual: n + 1 })
			);
			assert!(matches!(gnark::verifying_key(&[]), Err(Groth16Error::WrongLength { .. })));
		}

		#[test]
		fn a_truncated_or_oversized_proof() {
			let w = sp1_wrapper(SP1_V3_PROOFS[0].wrapper);
			for len in [0, 255, 257, 259, 323] {
				assert!(
					matches!(
						gnark::proof(&w.raw_proof[..len]),
						Err(Groth16Error::WrongLength { .. })
					),
					"{len}"
				);
			}
			let mut long = w.raw_proof;
			long.push(0);
			assert_eq!(
				gnark::proof(&long),
				Err(Groth16Error::WrongLength { expected: 324, actual: 325 })
			);
		}

		#[test]
		fn a_key_with_commitments() {
			let n = SP1_V3_VK.len();
			for at in [n - 5, n - 1] {
				let mut vk = SP1_V3_VK.to_vec();
				vk[at] = 1;
				assert_eq!(gnark::verifying_key(&vk), Err(Groth16Error::UnsupportedCommitments));
			}
		}

		#[test]
		fn a_proof_with_commitments() {
			let mut raw = sp1_wrapper(SP1_V3_PROOFS[0].wrapper).raw_proof;
			raw[259] = 1;
			// The count says one commitment but the point is missing.
			assert_eq!(
				gnark::proof(&raw),
				Err(Groth16Error::WrongLength { expected: 324, actual: 324 })
			);
			// One commitment (a G1 point, here A) before the proof of knowledge.
			let a = raw[..64].to_vec();
			raw.splice(260..260, a);
			assert_eq!(gnark::proof(&raw), Err(Groth16Error::UnsupportedCommitments));
		}

		#[test]
		fn a_non_zero_commitment_proof_of_knowledge() {
			let mut raw = sp1_wrapper(SP1_V3_PROOFS[0].wrapper).raw_proof;
			raw[300] = 1;
			assert_eq!(gnark::proof(&raw), Err(Groth16Error::MalformedBytes(Part::Proof)));
		}

		#[test]
		fn a_key_declaring_too_many_inputs() {
			let mut vk = SP1_V3_VK.to_vec();
			vk[288..292].copy_from_slice(&66u32.to_be_bytes());
			assert_eq!(gnark::verifying_key(&vk), Err(Groth16Error::TooManyInputs));
			vk[288..292].copy_from_slice(&u32::MAX.to_be_bytes());
			assert_eq!(gnark::verifying_key(&vk), Err(Groth16Error::TooManyInputs));
		}

		#[test]
		fn a_compressed_x_with_no_point_on_the_curve() {
			let mut vk = SP1_V3_VK.to_vec();
			// Find a G1 x (keeping the flags) that has no y: change the last byte of α.x.
			let found = (0u8..=255).any(|b| {
				vk[31] = b;
				gnark::verifying_key(&vk) == Err(Groth16Error::PointNotOnCurve(Part::VerifyingKey))
			});
			assert!(found);
		}

		#[test]
		fn a_coordinate_not_below_q() {
			let mut vk = SP1_V3_VK.to_vec();
			vk[0] |= 0x3f;
			vk[1..32].fill(0xff);
			assert_eq!(
				gnark::verifying_key(&vk),
				Err(Groth16Error::CoordinateNotCanonical(Part::VerifyingKey))
			);
		}

		#[test]
		fn an_uncompressed_flag_in_a_compressed_key() {
			let mut vk = SP1_V3_VK.to_vec();
			vk[0] &= 0x3f;
			assert_eq!(
				gnark::verifying_key(&vk),
				Err(Groth16Error::MalformedBytes(Part::VerifyingKey))
			);
		}

		#[test]
		fn an_identity_alpha() {
			let mut vk = SP1_V3_VK.to_vec();
			vk[..32].fill(0);
			vk[0] = 0x40;
			assert_eq!(
				gnark::verifying_key(&vk),
				Err(Groth16Error::IdentityPoint(Part::VerifyingKey))
			);
		}

		#[test]
		fn a_b_outside_the_subgroup() {
			let mut raw = sp1_wrapper(SP1_V3_PROOFS[0].wrapper).raw_proof;
			raw[64..192].copy_from_slice(&gnark_g2(&g2_outside_subgroup()));
			assert_eq!(gnark::proof(&raw), Err(Groth16Error::PointNotInSubgroup(Part::Proof)));
		}

		#[test]
		fn a_byte_flip_in_a_b_or_c() {
			let raw = sp1_wrapper(SP1_V3_PROOFS[0].wrapper).raw_proof;
			for at in [40, 100, 200] {
				let mut bad = raw.clone();
				bad[at] ^= 1;
				assert_eq!(
					gnark::proof(&bad),
					Err(Groth16Error::PointNotOnCurve(Part::Proof)),
					"byte {at}"
				);
			}
		}

		#[test]
		fn json_fed_to_the_binary_decoder() {
			assert!(matches!(
				gnark::verifying_key(SP1_V3_VK_JSON.as_bytes()),
				Err(Groth16Error::TooManyInputs | Groth16Error::WrongLength { .. })
			));
			assert!(matches!(
				gnark::proof(SP1_V3_PROOFS[0].proof_json.as_bytes()),
				Err(Groth16Error::WrongLength { .. })
			));
		}
	}
}

mod decode_snarkjs {
	use super::*;

	mod accepts {
		use super::*;

		#[test]
		fn the_same_sp1_key_and_proofs_as_the_gnark_binary() {
			assert_eq!(
				snarkjs::verifying_key(SP1_V3_VK_JSON.as_bytes()).unwrap(),
				gnark::verifying_key(SP1_V3_VK).unwrap()
			);
			assert_eq!(
				snarkjs::verifying_key(SP1_V6_VK_JSON.as_bytes()).unwrap(),
				gnark::verifying_key(SP1_V6_VK).unwrap()
			);
			for p in &SP1_V3_PROOFS {
				let w = sp1_wrapper(p.wrapper);
				assert_eq!(
					snarkjs::proof(p.proof_json.as_bytes()).unwrap(),
					gnark::proof(&w.raw_proof).unwrap(),
					"{}",
					p.name
				);
				assert_eq!(
					snarkjs::public_inputs(p.public_json.as_bytes()).unwrap(),
					inputs(&w.public_inputs),
					"{}",
					p.name
				);
			}
		}

		#[test]
		fn hex_public_inputs() {
			let a = decode::public_inputs_json(br#"["0x0f", "255"]"#).unwrap();
			let b = decode::public_inputs_json(br#"["15", "0xFF"]"#).unwrap();
			assert_eq!(a, b);
			assert_eq!(a.to_ark().unwrap(), [Fr::from(15u64), Fr::from(255u64)]);
		}

		#[test]
		fn the_largest_scalar_r_minus_one() {
			let r_minus_one = Fr::from(-1i64);
			let s = alloc::format!("[\"{}\"]", r_minus_one);
			assert_eq!(
				decode::public_inputs_json(s.as_bytes()).unwrap().to_ark().unwrap(),
				[r_minus_one]
			);
		}
	}

	mod rejects {
		use super::*;

		fn replace(json: &str, from: &str, to: &str) -> Vec<u8> {
			assert!(json.contains(from), "{from}");
			json.replacen(from, to, 1).into_bytes()
		}

		#[test]
		fn an_input_equal_to_r_or_above() {
			let r = r_decimal();
			for s in [
				r.clone(),
				alloc::format!("{}1", r),
				"0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001".into(),
				"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff".into(),
				"1".repeat(90),
			] {
				let json = alloc::format!("[\"{s}\"]");
				assert_eq!(
					decode::public_inputs_json(json.as_bytes()),
					Err(Groth16Error::ScalarNotCanonical),
					"{s}"
				);
			}
		}

		#[test]
		fn an_input_that_is_not_a_plain_number() {
			for s in ["", "-1", "+1", " 1", "1_000", "0x", "1e3", "abc", "0x1g"] {
				let json = alloc::format!("[\"{s}\"]");
				assert_eq!(
					decode::public_inputs_json(json.as_bytes()),
					Err(Groth16Error::ScalarNotCanonical),
					"{s:?}"
				);
			}
			assert_eq!(
				decode::public_inputs_json(b"[1]"),
				Err(Groth16Error::MalformedJson(Part::Inputs))
			);
		}

		#[test]
		fn too_many_inputs() {
			let json = alloc::format!("[{}\"1\"]", "\"1\",".repeat(MAX_PUBLIC_INPUTS));
			assert_eq!(
				decode::public_inputs_json(json.as_bytes()),
				Err(Groth16Error::TooManyInputs)
			);
		}

		#[test]
		fn a_point_off_the_curve() {
			let p = SP1_V3_PROOFS[0].proof_json;
			let y = "176903007709136045541072982498014572241979898447245338056300996981144415120";
			assert_eq!(
				snarkjs::proof(&replace(p, y, "1")),
				Err(Groth16Error::PointNotOnCurve(Part::Proof))
			);
		}

		#[test]
		fn a_coordinate_not_below_q() {
			let p = SP1_V3_PROOFS[0].proof_json;
			let y = "176903007709136045541072982498014572241979898447245338056300996981144415120";
			let q = "21888242871839275222246405745257275088696311157297823662689037894645226208583";
			assert_eq!(
				snarkjs::proof(&replace(p, y, q)),
				Err(Groth16Error::CoordinateNotCanonical(Part::Proof))
			);
		}

		#[test]
		fn an_identity_a() {
			let v: serde_json::Value = serde_json::from_str(SP1_V3_PROOFS[0].proof_json).unwrap();
			let mut v = v;
			v["pi_a"] = serde_json::json!(["0", "1", "0"]);
			assert_eq!(
				snarkjs::proof(&serde_json::to_vec(&v).unwrap()),
				Err(Groth16Error::IdentityPoint(Part::Proof))
			);
		}

		#[test]
		fn a_non_normalised_point() {
			let v: serde_json::Value = serde_json::from_str(SP1_V3_PROOFS[0].proof_json).unwrap();
			let mut v = v;
			v["pi_a"][2] = serde_json::json!("2");
			assert_eq!(
				snarkjs::proof(&serde_json::to_vec(&v).unwrap()),
				Err(Groth16Error::MalformedJson(Part::Proof))
			);
		}

		#[test]
		fn another_protocol_or_curve() {
			let vk = SP1_V3_VK_JSON;
			assert_eq!(
				snarkjs::verifying_key(&replace(vk, "\"groth16\"", "\"plonk\"")),
				Err(Groth16Error::UnsupportedProtocol)
			);
			assert_eq!(
				snarkjs::verifying_key(&replace(vk, "\"bn128\"", "\"bls12381\"")),
				Err(Groth16Error::UnsupportedProtocol)
			);
		}

		#[test]
		fn an_n_public_that_disagrees_with_ic() {
			assert_eq!(
				snarkjs::verifying_key(&replace(
					SP1_V3_VK_JSON,
					"\"nPublic\": 2",
					"\"nPublic\": 3"
				)),
				Err(Groth16Error::MalformedJson(Part::VerifyingKey))
			);
		}

		#[test]
		fn a_key_with_too_many_ic_entries() {
			let mut v: serde_json::Value = serde_json::from_str(SP1_V3_VK_JSON).unwrap();
			let ic0 = v["IC"][0].clone();
			v["IC"] = serde_json::Value::Array(alloc::vec![ic0; MAX_PUBLIC_INPUTS + 2]);
			v["nPublic"] = serde_json::json!(MAX_PUBLIC_INPUTS + 1);
			assert_eq!(
				snarkjs::verifying_key(&serde_json::to_vec(&v).unwrap()),
				Err(Groth16Error::TooManyInputs)
			);
		}

		#[test]
		fn binary_fed_to_the_json_decoder() {
			assert_eq!(
				snarkjs::verifying_key(SP1_V3_VK),
				Err(Groth16Error::MalformedJson(Part::VerifyingKey))
			);
			let w = sp1_wrapper(SP1_V3_PROOFS[0].wrapper);
			assert_eq!(snarkjs::proof(&w.raw_proof), Err(Groth16Error::MalformedJson(Part::Proof)));
			assert_eq!(
				decode::public_inputs_json(&w.raw_proof),
				Err(Groth16Error::MalformedJson(Part::Inputs))
			);
		}

		#[test]
		fn an_oversized_document() {
			let big = alloc::vec![b' '; crate::MAX_JSON_LEN + 1];
			assert!(matches!(snarkjs::proof(&big), Err(Groth16Error::WrongLength { .. })));
		}
	}
}

mod decode_gnark_json {
	use super::*;

	#[test]
	fn accepts_the_zkverify_fixture_as_its_snarkjs_conversion() {
		let vk = gnark_json::verifying_key(&json_field(ZKV_GNARK, "vk")).unwrap();
		assert_eq!(vk, gnark_json::verifying_key(ZKV_GNARK_VK.as_bytes()).unwrap());
		assert_eq!(vk, snarkjs::verifying_key(ZKV_GNARK_AS_SNARKJS[0].as_bytes()).unwrap());
		assert_eq!(
			gnark_json::proof(&json_field(ZKV_GNARK, "proof")).unwrap(),
			snarkjs::proof(ZKV_GNARK_AS_SNARKJS[1].as_bytes()).unwrap()
		);
	}

	#[test]
	fn rejects_commitments() {
		let mut v: serde_json::Value = serde_json::from_str(ZKV_GNARK).unwrap();
		v["vk"]["CommitmentKeys"] = serde_json::json!([{}]);
		assert_eq!(
			gnark_json::verifying_key(&serde_json::to_vec(&v["vk"]).unwrap()),
			Err(Groth16Error::UnsupportedCommitments)
		);
		v["proof"]["Commitments"] = serde_json::json!([{"X": "1", "Y": "2"}]);
		assert_eq!(
			gnark_json::proof(&serde_json::to_vec(&v["proof"]).unwrap()),
			Err(Groth16Error::UnsupportedCommitments)
		);
	}

	#[test]
	fn rejects_swapped_g2_coordinates() {
		let mut v: serde_json::Value = serde_json::from_str(ZKV_GNARK).unwrap();
		let x = v["proof"]["Bs"]["X"].clone();
		v["proof"]["Bs"]["X"]["A0"] = x["A1"].clone();
		v["proof"]["Bs"]["X"]["A1"] = x["A0"].clone();
		assert_eq!(
			gnark_json::proof(&serde_json::to_vec(&v["proof"]).unwrap()),
			Err(Groth16Error::PointNotOnCurve(Part::Proof))
		);
	}
}

mod decode_arkworks {
	use super::*;

	#[test]
	fn round_trips_a_key_proof_and_inputs_compressed_and_uncompressed() {
		let (vk, proof, z) = circuit::prove();
		let vk = VerifyingKey::from_ark(&vk).unwrap();
		let proof = Proof::from_ark(&proof).unwrap();
		let inputs = PublicInputs::from_ark(&[z]).unwrap();
		for c in [Compress::Yes, Compress::No] {
			let vk_bytes = arkworks::encode_verifying_key(&vk, c).unwrap();
			let proof_bytes = arkworks::encode_proof(&proof, c).unwrap();
			assert_eq!(arkworks::verifying_key(&vk_bytes, c).unwrap(), vk);
			assert_eq!(arkworks::proof(&proof_bytes, c).unwrap(), proof);
			// Byte-for-byte what arkworks itself writes.
			let mut ark_vk = Vec::new();
			ark_serialize::CanonicalSerialize::serialize_with_mode(
				&vk.to_ark().unwrap(),
				&mut ark_vk,
				c,
			)
			.unwrap();
			assert_eq!(ark_vk, vk_bytes);
		}
		let input_bytes = arkworks::encode_public_inputs(&inputs).unwrap();
		assert_eq!(arkworks::public_inputs(&input_bytes).unwrap(), inputs);
	}

	#[test]
	fn rejects_truncated_oversized_and_lying_lengths() {
		let (vk, proof, _) = circuit::prove();
		let vk = VerifyingKey::from_ark(&vk).unwrap();
		let proof = Proof::from_ark(&proof).unwrap();
		for c in [Compress::Yes, Compress::No] {
			let b = arkworks::encode_proof(&proof, c).unwrap();
			assert!(matches!(arkworks::proof(&b[1..], c), Err(Groth16Error::WrongLength { .. })));
			let mut long = b.clone();
			long.push(0);
			assert!(matches!(arkworks::proof(&long, c), Err(Groth16Error::WrongLength { .. })));
			let b = arkworks::encode_verifying_key(&vk, c).unwrap();
			assert!(matches!(
				arkworks::verifying_key(&b[..b.len() - 1], c),
				Err(Groth16Error::WrongLength { .. })
			));
			// The IC length prefix claims 2^64 - 1 entries.
			let at = b.len() - 8 - 2 * if c == Compress::Yes { 32 } else { 64 };
			let mut lying = b.clone();
			lying[at..at + 8].fill(0xff);
			assert_eq!(arkworks::verifying_key(&lying, c), Err(Groth16Error::TooManyInputs));
		}
		assert_eq!(arkworks::public_inputs(&[0xff; 8]), Err(Groth16Error::TooManyInputs));
	}

	#[test]
	fn rejects_an_input_not_below_r() {
		let mut b = 1u64.to_le_bytes().to_vec();
		b.extend_from_slice(&Fr::MODULUS.to_bytes_le());
		assert_eq!(arkworks::public_inputs(&b), Err(Groth16Error::ScalarNotCanonical));
	}

	#[test]
	fn rejects_a_compressed_point_with_both_flags_or_no_y() {
		let (_, proof, _) = circuit::prove();
		let b = arkworks::encode_proof(&Proof::from_ark(&proof).unwrap(), Compress::Yes).unwrap();
		let mut both = b.clone();
		both[31] |= 0xc0;
		assert_eq!(
			arkworks::proof(&both, Compress::Yes),
			Err(Groth16Error::MalformedBytes(Part::Proof))
		);
		let mut no_y = b;
		let found = (0u8..=255).any(|v| {
			no_y[0] = v;
			arkworks::proof(&no_y, Compress::Yes) == Err(Groth16Error::PointNotOnCurve(Part::Proof))
		});
		assert!(found);
	}

	#[test]
	fn rejects_a_non_canonical_identity_encoding() {
		let mut p = Proof::from_ark(&circuit::prove().1).unwrap();
		p.a = g1_bytes(&G1Affine::identity());
		p.a.0[0] = 1;
		assert_eq!(p.to_ark(), Err(Groth16Error::MalformedBytes(Part::Proof)));
	}
}

mod verify {
	use super::*;

	mod accepts {
		use super::*;

		#[test]
		fn all_five_sp1_v3_proofs_from_gnark_binary() {
			let vk = prepare(&gnark::verifying_key(SP1_V3_VK).unwrap()).unwrap();
			for p in &SP1_V3_PROOFS {
				let w = sp1_wrapper(p.wrapper);
				assert_eq!(vk_id(&gnark::verifying_key(SP1_V3_VK).unwrap()), vk.id());
				// The proof file names the key it belongs to: sha256 of the key file.
				use sha2::Digest;
				assert_eq!(w.vkey_hash[..], sha2::Sha256::digest(SP1_V3_VK)[..], "{}", p.name);
				let proof = gnark::proof(&w.raw_proof).unwrap();
				assert_eq!(verify(&vk, &proof, &inputs(&w.public_inputs)), Ok(()), "{}", p.name);
			}
		}

		#[test]
		fn all_five_sp1_v3_proofs_from_snarkjs_json() {
			let vk = prepare(&snarkjs::verifying_key(SP1_V3_VK_JSON.as_bytes()).unwrap()).unwrap();
			for p in &SP1_V3_PROOFS {
				let proof = snarkjs::proof(p.proof_json.as_bytes()).unwrap();
				let inputs = snarkjs::public_inputs(p.public_json.as_bytes()).unwrap();
				assert_eq!(verify(&vk, &proof, &inputs), Ok(()), "{}", p.name);
			}
		}

		#[test]
		fn the_zkverify_gnark_json_fixture() {
			let vk =
				prepare(&gnark_json::verifying_key(&json_field(ZKV_GNARK, "vk")).unwrap()).unwrap();
			let proof = gnark_json::proof(&json_field(ZKV_GNARK, "proof")).unwrap();
			let inputs =
				decode::public_inputs_json(&json_field(ZKV_GNARK, "publicSignals")).unwrap();
			assert_eq!(inputs.to_ark().unwrap(), [Fr::from(10u64), Fr::from(1u64)]);
			assert_eq!(verify(&vk, &proof, &inputs), Ok(()));
			let [vk_j, proof_j, inputs_j] = ZKV_GNARK_AS_SNARKJS;
			let vk = prepare(&snarkjs::verifying_key(vk_j.as_bytes()).unwrap()).unwrap();
			let proof = snarkjs::proof(proof_j.as_bytes()).unwrap();
			let inputs = snarkjs::public_inputs(inputs_j.as_bytes()).unwrap();
			assert_eq!(verify(&vk, &proof, &inputs), Ok(()));
		}

		#[test]
		fn the_zkverify_snarkjs_fixtures_labelled_bn128_and_bn254() {
			// Despite the shared PROVENANCE.md, the two files hold different keys and proofs.
			let mut statements = Vec::new();
			for (file, label) in [(ZKV_SNARKJS_BN128, "bn128"), (ZKV_SNARKJS_BN254, "bn254")] {
				assert!(file.contains(&alloc::format!("\"curve\": \"{label}\"")));
				let vk =
					prepare(&snarkjs::verifying_key(&json_field(file, "vk")).unwrap()).unwrap();
				let proof = snarkjs::proof(&json_field(file, "proof")).unwrap();
				let inputs =
					decode::public_inputs_json(&json_field(file, "publicSignals")).unwrap();
				assert_eq!(inputs.len(), 1);
				assert_eq!(verify(&vk, &proof, &inputs), Ok(()));
				statements.push((vk, proof, inputs));
			}
			let [(vk0, ..), (_, proof1, inputs1)] = &statements[..] else { unreachable!() };
			assert_eq!(verify(vk0, proof1, inputs1), Err(Groth16Error::InvalidProof));
		}

		#[test]
		fn an_arkworks_proof_of_x_times_y_equals_z() {
			let (vk, proof, z) = circuit::prove();
			let vk = prepare(&VerifyingKey::from_ark(&vk).unwrap()).unwrap();
			let inputs = PublicInputs::from_ark(&[z]).unwrap();
			for c in [Compress::Yes, Compress::No] {
				let bytes = arkworks::encode_proof(&Proof::from_ark(&proof).unwrap(), c).unwrap();
				let proof = arkworks::proof(&bytes, c).unwrap();
				assert_eq!(verify(&vk, &proof, &inputs), Ok(()));
			}
			let wrong = PublicInputs::from_ark(&[Fr::from(16u64)]).unwrap();
			let proof = Proof::from_ark(&proof).unwrap();
			assert_eq!(verify(&vk, &proof, &wrong), Err(Groth16Error::InvalidProof));
		}

		#[test]
		fn a_rerandomised_proof_which_is_why_a_proof_is_no_id() {
			let (vk, proof, z) = circuit::prove();
			let mut rng =
				<rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::seed_from_u64(1);
			let other = ark_groth16::Groth16::<Bn254>::rerandomize_proof(&vk, &proof, &mut rng);
			assert_ne!(other, proof);
			let vk = prepare(&VerifyingKey::from_ark(&vk).unwrap()).unwrap();
			let inputs = PublicInputs::from_ark(&[z]).unwrap();
			assert_eq!(verify(&vk, &Proof::from_ark(&other).unwrap(), &inputs), Ok(()));
		}
	}

	mod rejects {
		use super::*;

		fn with_a(proof: &Proof, f: impl Fn(G1Affine) -> G1Affine) -> Proof {
			let a = proof.a.to_ark(Part::Proof).unwrap();
			Proof { a: g1_bytes(&f(a)), ..*proof }
		}

		#[test]
		fn a_tampered_a() {
			let (vk, proof, inputs) = sp1_statement();
			let bad = with_a(&proof, |a| (a + G1Affine::generator()).into_affine());
			assert_eq!(verify(&vk, &bad, &inputs), Err(Groth16Error::InvalidProof));
		}

		#[test]
		fn a_negated_a() {
			let (vk, proof, inputs) = sp1_statement();
			let bad = with_a(&proof, |a| -a);
			assert_eq!(verify(&vk, &bad, &inputs), Err(Groth16Error::InvalidProof));
		}

		#[test]
		fn a_tampered_b() {
			let (vk, proof, inputs) = sp1_statement();
			let b = proof.b.to_ark(Part::Proof).unwrap();
			let bad = Proof { b: g2_bytes(&(b + G2Affine::generator()).into_affine()), ..proof };
			assert_eq!(verify(&vk, &bad, &inputs), Err(Groth16Error::InvalidProof));
		}

		#[test]
		fn a_tampered_c() {
			let (vk, proof, inputs) = sp1_statement();
			let bad = Proof { c: g1_bytes(&circuit::random_g1()), ..proof };
			assert_eq!(verify(&vk, &bad, &inputs), Err(Groth16Error::InvalidProof));
		}

		#[test]
		fn a_proof_swapped_between_two_statements() {
			let vk = prepare(&gnark::verifying_key(SP1_V3_VK).unwrap()).unwrap();
			let w0 = sp1_wrapper(SP1_V3_PROOFS[0].wrapper);
			let w3 = sp1_wrapper(SP1_V3_PROOFS[3].wrapper);
			let proof = gnark::proof(&w3.raw_proof).unwrap();
			assert_eq!(
				verify(&vk, &proof, &inputs(&w0.public_inputs)),
				Err(Groth16Error::InvalidProof)
			);
		}

		#[test]
		fn a_wrong_public_input() {
			let (vk, proof, inputs) = sp1_statement();
			for i in 0..2 {
				let mut xs = inputs.to_ark().unwrap();
				xs[i] += Fr::from(1u64);
				let bad = PublicInputs::from_ark(&xs).unwrap();
				assert_eq!(verify(&vk, &proof, &bad), Err(Groth16Error::InvalidProof));
			}
		}

		#[test]
		fn an_input_plus_r() {
			let (vk, proof, inputs) = sp1_statement();
			let mut scalars: Vec<Scalar> = inputs.0.to_vec();
			// x + r still fits in 256 bits; as a canonical scalar it is refused, never reduced.
			let mut x = Fr::MODULUS;
			let carry = x.add_with_carry(&inputs.to_ark().unwrap()[0].into_bigint());
			assert!(!carry);
			scalars[0] = Scalar(x.to_bytes_le().try_into().unwrap());
			assert_eq!(
				PublicInputs::from_scalars(scalars.clone()),
				Err(Groth16Error::ScalarNotCanonical)
			);
			// Forcing it past the constructor does not help.
			let forced = PublicInputs(scalars.try_into().unwrap());
			assert_eq!(verify(&vk, &proof, &forced), Err(Groth16Error::ScalarNotCanonical));
			let json = alloc::format!(
				"[\"{}\", \"{}\"]",
				num_bigint::BigUint::from_bytes_le(&x.to_bytes_le()),
				inputs.to_ark().unwrap()[1]
			);
			assert_eq!(
				decode::public_inputs_json(json.as_bytes()),
				Err(Groth16Error::ScalarNotCanonical)
			);
		}

		#[test]
		fn a_wrong_input_count() {
			let (vk, proof, inputs) = sp1_statement();
			let one = PublicInputs::from_scalars(inputs.0[..1].to_vec()).unwrap();
			assert_eq!(
				verify(&vk, &proof, &one),
				Err(Groth16Error::WrongInputCount { expected: 2, actual: 1 })
			);
			let mut three = inputs.0.to_vec();
			three.push(three[0]);
			let three = PublicInputs::from_scalars(three).unwrap();
			assert_eq!(
				verify(&vk, &proof, &three),
				Err(Groth16Error::WrongInputCount { expected: 2, actual: 3 })
			);
		}

		#[test]
		fn too_many_inputs() {
			let many = alloc::vec![Scalar([0; 32]); MAX_PUBLIC_INPUTS + 1];
			assert_eq!(PublicInputs::from_scalars(many), Err(Groth16Error::TooManyInputs));
		}

		#[test]
		fn a_point_off_the_curve() {
			let (vk, proof, inputs) = sp1_statement();
			let off = G1Affine::new_unchecked(Fq::from(1u64), Fq::from(1u64));
			assert!(!off.is_on_curve());
			let bad = Proof { a: g1_bytes(&off), ..proof };
			assert_eq!(verify(&vk, &bad, &inputs), Err(Groth16Error::PointNotOnCurve(Part::Proof)));
		}

		#[test]
		fn a_b_outside_the_subgroup() {
			let (vk, proof, inputs) = sp1_statement();
			let p = g2_outside_subgroup();
			assert!(p.is_on_curve());
			let bad = Proof { b: g2_bytes(&p), ..proof };
			assert_eq!(
				verify(&vk, &bad, &inputs),
				Err(Groth16Error::PointNotInSubgroup(Part::Proof))
			);
			// The same point is refused by the constructor from arkworks types.
			let mut ark = proof.to_ark().unwrap();
			ark.b = p;
			assert_eq!(Proof::from_ark(&ark), Err(Groth16Error::PointNotInSubgroup(Part::Proof)));
		}

		#[test]
		fn identity_points() {
			let (vk, proof, inputs) = sp1_statement();
			let id1 = g1_bytes(&G1Affine::identity());
			let id2 = g2_bytes(&G2Affine::identity());
			for bad in
				[Proof { a: id1, ..proof }, Proof { b: id2, ..proof }, Proof { c: id1, ..proof }]
			{
				assert_eq!(
					verify(&vk, &bad, &inputs),
					Err(Groth16Error::IdentityPoint(Part::Proof))
				);
			}
		}
	}
}

mod verifying_key {
	use super::*;

	fn sp1() -> ark_groth16::VerifyingKey<Bn254> {
		gnark::verifying_key(SP1_V3_VK).unwrap().to_ark().unwrap()
	}

	#[test]
	fn id_is_the_sha256_of_the_scale_encoding_and_format_independent() {
		use codec::Encode;
		use sha2::Digest;
		let vk = gnark::verifying_key(SP1_V3_VK).unwrap();
		let id = vk_id(&vk);
		assert_eq!(id[..], sha2::Sha256::digest(vk.encode())[..]);
		assert_eq!(id, vk_id(&snarkjs::verifying_key(SP1_V3_VK_JSON.as_bytes()).unwrap()));
		assert_ne!(id, vk_id(&gnark::verifying_key(SP1_V6_VK).unwrap()));
	}

	#[test]
	fn scale_round_trips_and_bounds_its_size() {
		use codec::{Decode, Encode, MaxEncodedLen};
		let vk = gnark::verifying_key(SP1_V6_VK).unwrap();
		let bytes = vk.encode();
		assert_eq!(VerifyingKey::decode(&mut &bytes[..]).unwrap(), vk);
		// Compact lengths of 64 and more take two bytes.
		assert_eq!(VerifyingKey::max_encoded_len(), 64 + 3 * 128 + 2 + 65 * 64);
		assert_eq!(Proof::max_encoded_len(), 256);
		assert_eq!(PublicInputs::max_encoded_len(), 2 + 64 * 32);
	}

	mod rejects {
		use super::*;

		#[test]
		fn gamma_equal_to_delta() {
			let mut vk = sp1();
			vk.gamma_g2 = vk.delta_g2;
			assert_eq!(VerifyingKey::from_ark(&vk), Err(Groth16Error::DegenerateKey));
		}

		#[test]
		fn delta_equal_to_the_generator() {
			let mut vk = sp1();
			vk.delta_g2 = G2Affine::generator();
			assert_eq!(VerifyingKey::from_ark(&vk), Err(Groth16Error::DegenerateKey));
		}

		#[test]
		fn identity_points() {
			let base = sp1();
			let mut vks = Vec::new();
			for i in 0..6 {
				let mut vk = base.clone();
				match i {
					0 => vk.alpha_g1 = G1Affine::identity(),
					1 => vk.beta_g2 = G2Affine::identity(),
					2 => vk.gamma_g2 = G2Affine::identity(),
					3 => vk.delta_g2 = G2Affine::identity(),
					4 => vk.gamma_abc_g1[0] = G1Affine::identity(),
					_ => vk.gamma_abc_g1[2] = G1Affine::identity(),
				}
				vks.push(vk);
			}
			for vk in vks {
				assert_eq!(
					VerifyingKey::from_ark(&vk),
					Err(Groth16Error::IdentityPoint(Part::VerifyingKey))
				);
			}
		}

		#[test]
		fn a_delta_outside_the_subgroup_in_stored_bytes() {
			let mut vk = gnark::verifying_key(SP1_V3_VK).unwrap();
			vk.delta_g2 = g2_bytes(&g2_outside_subgroup());
			assert_eq!(
				prepare(&vk).map(|_| ()),
				Err(Groth16Error::PointNotInSubgroup(Part::VerifyingKey))
			);
		}

		#[test]
		fn an_empty_or_oversized_ic() {
			let mut vk = sp1();
			vk.gamma_abc_g1.clear();
			assert_eq!(
				VerifyingKey::from_ark(&vk),
				Err(Groth16Error::MalformedBytes(Part::VerifyingKey))
			);
			vk.gamma_abc_g1 = alloc::vec![circuit::random_g1(); MAX_PUBLIC_INPUTS + 2];
			assert_eq!(VerifyingKey::from_ark(&vk), Err(Groth16Error::TooManyInputs));
		}

		#[test]
		fn too_many_ic_entries_in_scale() {
			use codec::{Compact, Decode, Encode};
			let vk = gnark::verifying_key(SP1_V3_VK).unwrap();
			let mut bytes = vk.encode();
			let at = 64 + 3 * 128;
			let mut prefix = Compact(u32::MAX).encode();
			prefix.extend_from_slice(&bytes[at + 1..]);
			bytes.truncate(at);
			bytes.extend(prefix);
			assert!(VerifyingKey::decode(&mut &bytes[..]).is_err());
		}
	}
}

mod batch {
	use super::*;

	fn sp1_batch() -> (crate::PreparedVerifyingKey, Vec<(Proof, PublicInputs)>) {
		let vk = prepare(&gnark::verifying_key(SP1_V3_VK).unwrap()).unwrap();
		let items = SP1_V3_PROOFS
			.iter()
			.map(|p| {
				let w = sp1_wrapper(p.wrapper);
				(gnark::proof(&w.raw_proof).unwrap(), inputs(&w.public_inputs))
			})
			.collect();
		(vk, items)
	}

	#[test]
	fn accepts_the_five_sp1_proofs_and_a_single_one() {
		let (vk, items) = sp1_batch();
		assert_eq!(batch_verify(&vk, &items), Ok(()));
		assert_eq!(batch_verify(&vk, &items[2..3]), Ok(()));
	}

	#[test]
	fn accepts_the_same_proof_twice() {
		let (vk, items) = sp1_batch();
		assert_eq!(batch_verify(&vk, &[items[0].clone(), items[0].clone()]), Ok(()));
	}

	mod rejects {
		use super::*;

		#[test]
		fn five_valid_proofs_and_one_with_a_wrong_input() {
			let (vk, mut items) = sp1_batch();
			let (proof, inputs) = items[1].clone();
			let mut xs = inputs.to_ark().unwrap();
			xs[1] += Fr::from(1u64);
			let bad = (proof, PublicInputs::from_ark(&xs).unwrap());
			assert_eq!(verify(&vk, &bad.0, &bad.1), Err(Groth16Error::InvalidProof));
			for at in [0, 3, items.len()] {
				let mut batch = items.clone();
				batch.insert(at, bad.clone());
				assert_eq!(batch_verify(&vk, &batch), Err(Groth16Error::InvalidProof), "at {at}");
			}
			// A negated A in the middle.
			let a = items[2].0.a.to_ark(Part::Proof).unwrap();
			items[2].0.a = g1_bytes(&-a);
			assert_eq!(batch_verify(&vk, &items), Err(Groth16Error::InvalidProof));
		}

		#[test]
		fn two_invalid_proofs_that_would_cancel_without_randomness() {
			// A₁ + G and A₂ − G with the same B: their errors cancel in an unweighted sum.
			let (vk, items) = sp1_batch();
			let (p, x) = items[0].clone();
			let a = p.a.to_ark(Part::Proof).unwrap();
			let g = G1Affine::generator();
			let plus = Proof { a: g1_bytes(&(a + g).into_affine()), ..p };
			let minus = Proof { a: g1_bytes(&(a - g).into_affine()), ..p };
			assert_eq!(
				batch_verify(&vk, &[(plus, x.clone()), (minus, x)]),
				Err(Groth16Error::InvalidProof)
			);
		}

		#[test]
		fn an_empty_batch_or_one_past_the_limit() {
			let (vk, items) = sp1_batch();
			assert_eq!(batch_verify(&vk, &[]), Err(Groth16Error::BadBatchSize));
			let big = alloc::vec![items[0].clone(); crate::MAX_BATCH_SIZE + 1];
			assert_eq!(batch_verify(&vk, &big), Err(Groth16Error::BadBatchSize));
		}

		#[test]
		fn an_item_with_a_wrong_input_count() {
			let (vk, mut items) = sp1_batch();
			items[4].1 = PublicInputs::default();
			assert_eq!(
				batch_verify(&vk, &items),
				Err(Groth16Error::WrongInputCount { expected: 2, actual: 0 })
			);
		}
	}
}

mod errors {
	use super::*;

	#[test]
	fn classify_an_invalid_proof_apart_from_malformed_input() {
		assert_eq!(Groth16Error::InvalidProof.exit_code(), 1);
		for e in [
			Groth16Error::MalformedJson(Part::Proof),
			Groth16Error::ScalarNotCanonical,
			Groth16Error::PointNotInSubgroup(Part::Proof),
			Groth16Error::DegenerateKey,
			Groth16Error::UnsupportedCommitments,
		] {
			assert_eq!(e.class(), crate::ErrorClass::Malformed);
			assert_eq!(e.exit_code(), 2);
		}
	}

	#[test]
	fn name_the_failed_check() {
		use alloc::string::ToString;
		assert_eq!(
			Groth16Error::PointNotInSubgroup(Part::Proof).to_string(),
			"point not in the prime-order subgroup (proof)"
		);
	}
}
