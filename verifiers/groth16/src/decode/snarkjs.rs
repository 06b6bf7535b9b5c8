//! snarkjs/circom JSON: `verification_key.json`, `proof.json` and `public.json`.
//!
//! Points are arrays of decimal strings in projective form with z = 1 (`["x", "y", "1"]`; G2:
//! `[["x.c0", "x.c1"], ["y.c0", "y.c1"], ["1", "0"]]`); z = 0 is the identity (which validation
//! then refuses). The key must say `"protocol": "groth16"` and `"curve": "bn128"` (or `"bn254"`);
//! a proof's `protocol` and `curve`, if present, must say the same. `nPublic`, if present, must
//! equal the `IC` length minus one.

use alloc::{string::String, vec::Vec};
use ark_bn254::{Bn254, Fq, Fq2, G1Affine, G2Affine};
use ark_ff::{One, Zero};
use serde::Deserialize;

use crate::{
	decode::parse_json,
	error::{Groth16Error, Part},
	types::{Proof, PublicInputs, VerifyingKey},
	validate, MAX_IC_LEN,
};

type G1Json = Vec<String>;
type G2Json = Vec<Vec<String>>;

#[derive(Deserialize)]
struct VkJson {
	protocol: String,
	curve: String,
	#[serde(rename = "nPublic")]
	n_public: Option<u64>,
	vk_alpha_1: G1Json,
	vk_beta_2: G2Json,
	vk_gamma_2: G2Json,
	vk_delta_2: G2Json,
	#[serde(rename = "IC")]
	ic: Vec<G1Json>,
}

#[derive(Deserialize)]
struct ProofJson {
	pi_a: G1Json,
	pi_b: G2Json,
	pi_c: G1Json,
	protocol: Option<String>,
	curve: Option<String>,
}

fn check_protocol(protocol: Option<&str>, curve: Option<&str>) -> Result<(), Groth16Error> {
	if protocol.is_some_and(|p| p != "groth16")
		|| curve.is_some_and(|c| c != "bn128" && c != "bn254")
	{
		return Err(Groth16Error::UnsupportedProtocol);
	}
	Ok(())
}

/// Reads the z coordinate: `true` for 1 (affine), `false` for 0 (identity).
fn is_affine<'a>(z: impl Iterator<Item = &'a str>, part: Part) -> Result<bool, Groth16Error> {
	let mut z = z.map(|s| validate::fq_from_str(s, part));
	let first = z.next().ok_or(Groth16Error::MalformedJson(part))??;
	let rest = z.collect::<Result<Vec<Fq>, _>>()?;
	if rest.iter().any(|c| !c.is_zero()) {
		return Err(Groth16Error::MalformedJson(part));
	}
	if first.is_one() {
		Ok(true)
	} else if first.is_zero() {
		Ok(false)
	} else {
		// Only normalised points (z = 1) are accepted.
		Err(Groth16Error::MalformedJson(part))
	}
}

pub(crate) fn g1(p: &[String], part: Part) -> Result<G1Affine, Groth16Error> {
	let (x, y, affine) = match p {
		[x, y] => (x, y, true),
		[x, y, z] => (x, y, is_affine(core::iter::once(z.as_str()), part)?),
		_ => return Err(Groth16Error::MalformedJson(part)),
	};
	let (x, y) = (validate::fq_from_str(x, part)?, validate::fq_from_str(y, part)?);
	Ok(if affine { G1Affine::new_unchecked(x, y) } else { G1Affine::identity() })
}

fn fq2(c: &[String], part: Part) -> Result<Fq2, Groth16Error> {
	match c {
		[c0, c1] => {
			Ok(Fq2::new(validate::fq_from_str(c0, part)?, validate::fq_from_str(c1, part)?))
		},
		_ => Err(Groth16Error::MalformedJson(part)),
	}
}

fn g2(p: &[Vec<String>], part: Part) -> Result<G2Affine, Groth16Error> {
	let (x, y, affine) = match p {
		[x, y] => (x, y, true),
		[x, y, z] => (x, y, is_affine(z.iter().map(|s| s.as_str()), part)?),
		_ => return Err(Groth16Error::MalformedJson(part)),
	};
	let (x, y) = (fq2(x, part)?, fq2(y, part)?);
	Ok(if affine { G2Affine::new_unchecked(x, y) } else { G2Affine::identity() })
}

/// Decodes and validates a snarkjs `verification_key.json`.
pub fn verifying_key(json: &[u8]) -> Result<VerifyingKey, Groth16Error> {
	let part = Part::VerifyingKey;
	let vk: VkJson = parse_json(json, part)?;
	check_protocol(Some(&vk.protocol), Some(&vk.curve))?;
	if vk.ic.len() > MAX_IC_LEN {
		return Err(Groth16Error::TooManyInputs);
	}
	if let Some(n) = vk.n_public {
		if n.checked_add(1) != Some(vk.ic.len() as u64) {
			return Err(Groth16Error::MalformedJson(part));
		}
	}
	let ark = ark_groth16::VerifyingKey::<Bn254> {
		alpha_g1: g1(&vk.vk_alpha_1, part)?,
		beta_g2: g2(&vk.vk_beta_2, part)?,
		gamma_g2: g2(&vk.vk_gamma_2, part)?,
		delta_g2: g2(&vk.vk_delta_2, part)?,
		gamma_abc_g1: vk.ic.iter().map(|p| g1(p, part)).collect::<Result<_, _>>()?,
	};
	VerifyingKey::from_ark(&ark)
}

/// Decodes and validates a snarkjs `proof.json`.
pub fn proof(json: &[u8]) -> Result<Proof, Groth16Error> {
	let part = Part::Proof;
	let p: ProofJson = parse_json(json, part)?;
	check_protocol(p.protocol.as_deref(), p.curve.as_deref())?;
	let ark = ark_groth16::Proof::<Bn254> {
		a: g1(&p.pi_a, part)?,
		b: g2(&p.pi_b, part)?,
		c: g1(&p.pi_c, part)?,
	};
	Proof::from_ark(&ark)
}

/// Decodes snarkjs' `public.json` (an array of decimal strings); same as
/// [`crate::decode::public_inputs_json`].
pub fn public_inputs(json: &[u8]) -> Result<PublicInputs, Groth16Error> {
	crate::decode::public_inputs_json(json)
}
