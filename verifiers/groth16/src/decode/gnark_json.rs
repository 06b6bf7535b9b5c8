//! gnark's Groth16 BN254 structs as Go's `encoding/json` writes them (as in zkVerify's fixtures):
//!
//! - proof: `{"Ar": {"X", "Y"}, "Bs": {"X": {"A0", "A1"}, "Y": {..}}, "Krs": {..},
//!   "Commitments": [], "CommitmentPok": {"X": 0, "Y": 0}}`;
//! - key: `{"G1": {"Alpha", "Beta", "Delta", "K": [..]}, "G2": {"Beta", "Delta", "Gamma"},
//!   "CommitmentKeys": [], "PublicAndCommitmentCommitted": []}`.
//!
//! Coordinates are decimal strings (small JSON integers are accepted too); `A0` is the real part
//! (c0), `A1` the imaginary part (c1). Non-empty commitment fields are refused with
//! [`Groth16Error::UnsupportedCommitments`].

use alloc::{string::String, vec::Vec};
use ark_bn254::{Bn254, Fq, Fq2, G1Affine, G2Affine};
use ark_ff::Zero;
use serde::Deserialize;

use crate::{
	decode::parse_json,
	error::{Groth16Error, Part},
	types::{Proof, VerifyingKey},
	validate, MAX_IC_LEN,
};

/// A number written as a string, or as a JSON integer that fits in a u64.
#[derive(Deserialize)]
#[serde(untagged)]
enum Num {
	Str(String),
	Int(u64),
}

impl Num {
	fn fq(&self, part: Part) -> Result<Fq, Groth16Error> {
		match self {
			Self::Str(s) => validate::fq_from_str(s, part),
			Self::Int(n) => Ok(Fq::from(*n)),
		}
	}
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct G1Json {
	x: Num,
	y: Num,
}

#[derive(Deserialize)]
struct Fq2Json {
	#[serde(rename = "A0")]
	a0: Num,
	#[serde(rename = "A1")]
	a1: Num,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct G2Json {
	x: Fq2Json,
	y: Fq2Json,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ProofJson {
	ar: G1Json,
	bs: G2Json,
	krs: G1Json,
	#[serde(default)]
	commitments: Vec<serde_json::Value>,
	commitment_pok: Option<G1Json>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VkG1Json {
	alpha: G1Json,
	beta: G1Json,
	delta: G1Json,
	k: Vec<G1Json>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VkG2Json {
	beta: G2Json,
	delta: G2Json,
	gamma: G2Json,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VkJson {
	g1: VkG1Json,
	g2: VkG2Json,
	#[serde(default)]
	commitment_keys: Vec<serde_json::Value>,
	#[serde(default)]
	public_and_commitment_committed: Vec<serde_json::Value>,
}

impl G1Json {
	/// The point, or the identity for (0, 0) (how gnark writes it).
	fn point(&self, part: Part) -> Result<G1Affine, Groth16Error> {
		let (x, y) = (self.x.fq(part)?, self.y.fq(part)?);
		Ok(if x.is_zero() && y.is_zero() {
			G1Affine::identity()
		} else {
			G1Affine::new_unchecked(x, y)
		})
	}
}

impl Fq2Json {
	fn fq2(&self, part: Part) -> Result<Fq2, Groth16Error> {
		Ok(Fq2::new(self.a0.fq(part)?, self.a1.fq(part)?))
	}
}

impl G2Json {
	fn point(&self, part: Part) -> Result<G2Affine, Groth16Error> {
		let (x, y) = (self.x.fq2(part)?, self.y.fq2(part)?);
		Ok(if x.is_zero() && y.is_zero() {
			G2Affine::identity()
		} else {
			G2Affine::new_unchecked(x, y)
		})
	}
}

/// Decodes and validates a gnark JSON verifying key.
pub fn verifying_key(json: &[u8]) -> Result<VerifyingKey, Groth16Error> {
	let part = Part::VerifyingKey;
	let vk: VkJson = parse_json(json, part)?;
	if !vk.commitment_keys.is_empty() || !vk.public_and_commitment_committed.is_empty() {
		return Err(Groth16Error::UnsupportedCommitments);
	}
	if vk.g1.k.len() > MAX_IC_LEN {
		return Err(Groth16Error::TooManyInputs);
	}
	// The unused G1 β and δ must still be valid points.
	validate::point(&vk.g1.beta.point(part)?, part)?;
	validate::point(&vk.g1.delta.point(part)?, part)?;
	let ark = ark_groth16::VerifyingKey::<Bn254> {
		alpha_g1: vk.g1.alpha.point(part)?,
		beta_g2: vk.g2.beta.point(part)?,
		gamma_g2: vk.g2.gamma.point(part)?,
		delta_g2: vk.g2.delta.point(part)?,
		gamma_abc_g1: vk.g1.k.iter().map(|p| p.point(part)).collect::<Result<_, _>>()?,
	};
	VerifyingKey::from_ark(&ark)
}

/// Decodes and validates a gnark JSON proof.
pub fn proof(json: &[u8]) -> Result<Proof, Groth16Error> {
	let part = Part::Proof;
	let p: ProofJson = parse_json(json, part)?;
	if !p.commitments.is_empty() {
		return Err(Groth16Error::UnsupportedCommitments);
	}
	if let Some(pok) = &p.commitment_pok {
		if !pok.point(part)?.infinity {
			return Err(Groth16Error::UnsupportedCommitments);
		}
	}
	let ark = ark_groth16::Proof::<Bn254> {
		a: p.ar.point(part)?,
		b: p.bs.point(part)?,
		c: p.krs.point(part)?,
	};
	Proof::from_ark(&ark)
}
