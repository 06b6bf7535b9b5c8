//! Canonical SCALE types: what the runtime stores and what every decoder produces.
//!
//! Points are held as arkworks' *uncompressed* canonical serialization (little-endian
//! coordinates, flags in the two top bits of the last byte; G2 coordinates `c0` then `c1`), so no
//! square root is needed to use them. Scalars are arkworks' canonical 32-byte little-endian form.
//! Every type converts to and from arkworks types with full validation ([`crate::validate`]).

use alloc::vec::Vec;
use ark_bn254::{Bn254, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use veritas_crypto_host::Bn254Engine;

use crate::{
	error::{Groth16Error, Part},
	validate, MAX_IC_LEN, MAX_PUBLIC_INPUTS,
};

/// Length of an uncompressed G1 point.
pub const G1_LEN: usize = 64;
/// Length of an uncompressed G2 point.
pub const G2_LEN: usize = 128;
/// Length of a scalar (an element of Fr).
pub const SCALAR_LEN: usize = 32;

/// A G1 point in arkworks' uncompressed canonical encoding.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct G1Point(pub [u8; G1_LEN]);

/// A G2 point in arkworks' uncompressed canonical encoding.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct G2Point(pub [u8; G2_LEN]);

/// A public input: an element of Fr, 32 bytes little-endian, canonical (< r).
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Scalar(pub [u8; SCALAR_LEN]);

/// A Groth16 verifying key over BN254.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct VerifyingKey {
	/// α in G1.
	pub alpha_g1: G1Point,
	/// β in G2.
	pub beta_g2: G2Point,
	/// γ in G2.
	pub gamma_g2: G2Point,
	/// δ in G2.
	pub delta_g2: G2Point,
	/// `IC` (arkworks' `gamma_abc_g1`, gnark's `K`): one point per public input, plus one.
	pub ic: BoundedVec<G1Point, ConstU32<{ MAX_IC_LEN as u32 }>>,
}

/// A Groth16 proof over BN254.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Proof {
	/// A in G1.
	pub a: G1Point,
	/// B in G2.
	pub b: G2Point,
	/// C in G1.
	pub c: G1Point,
}

/// The public inputs of a statement, at most [`MAX_PUBLIC_INPUTS`].
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PublicInputs(pub BoundedVec<Scalar, ConstU32<{ MAX_PUBLIC_INPUTS as u32 }>>);

pub(crate) fn g1_bytes(p: &G1Affine) -> G1Point {
	let mut out = [0u8; G1_LEN];
	// An affine point always serializes into exactly `G1_LEN` bytes.
	let _ = p.serialize_with_mode(&mut out[..], Compress::No);
	G1Point(out)
}

pub(crate) fn g2_bytes(p: &G2Affine) -> G2Point {
	let mut out = [0u8; G2_LEN];
	let _ = p.serialize_with_mode(&mut out[..], Compress::No);
	G2Point(out)
}

impl G1Point {
	/// Decodes and validates the point (canonical bytes, on the curve, in the subgroup). The
	/// identity is accepted here; callers that forbid it check it.
	pub fn to_ark(&self, part: Part) -> Result<G1Affine, Groth16Error> {
		validate::g1_from_ark_bytes(&self.0, Compress::No, part)
	}
}

impl G2Point {
	/// Decodes and validates the point (canonical bytes, on the twist, in the r-torsion). The
	/// identity is accepted here; callers that forbid it check it.
	pub fn to_ark(&self, part: Part) -> Result<G2Affine, Groth16Error> {
		validate::g2_from_ark_bytes(&self.0, Compress::No, part)
	}
}

impl Scalar {
	/// The scalar as an element of Fr; fails if it is not canonical (≥ r).
	pub fn to_ark(&self) -> Result<Fr, Groth16Error> {
		validate::scalar_from_le_bytes(&self.0)
	}

	/// The canonical encoding of `x`.
	pub fn from_ark(x: &Fr) -> Self {
		let mut out = [0u8; SCALAR_LEN];
		let _ = x.serialize_with_mode(&mut out[..], Compress::No);
		Self(out)
	}
}

impl VerifyingKey {
	/// Validates an arkworks key fully (see [`validate::verifying_key`]) and encodes it.
	pub fn from_ark(vk: &ark_groth16::VerifyingKey<Bn254>) -> Result<Self, Groth16Error> {
		validate::verifying_key(vk)?;
		let ic: Vec<G1Point> = vk.gamma_abc_g1.iter().map(g1_bytes).collect();
		Ok(Self {
			alpha_g1: g1_bytes(&vk.alpha_g1),
			beta_g2: g2_bytes(&vk.beta_g2),
			gamma_g2: g2_bytes(&vk.gamma_g2),
			delta_g2: g2_bytes(&vk.delta_g2),
			ic: BoundedVec::try_from(ic).map_err(|_| Groth16Error::TooManyInputs)?,
		})
	}

	/// Decodes every point and validates the key fully.
	pub fn to_ark(&self) -> Result<ark_groth16::VerifyingKey<Bn254>, Groth16Error> {
		let part = Part::VerifyingKey;
		let vk = ark_groth16::VerifyingKey {
			alpha_g1: self.alpha_g1.to_ark(part)?,
			beta_g2: self.beta_g2.to_ark(part)?,
			gamma_g2: self.gamma_g2.to_ark(part)?,
			delta_g2: self.delta_g2.to_ark(part)?,
			gamma_abc_g1: self.ic.iter().map(|p| p.to_ark(part)).collect::<Result<_, _>>()?,
		};
		validate::verifying_key(&vk)?;
		Ok(vk)
	}

	/// Decodes every point without validating it (no curve, subgroup or degeneracy check), for
	/// keys validated before; see [`crate::prepare_validated`]. Fails only on an encoding that
	/// arkworks cannot read, or an empty `IC`.
	pub fn to_ark_unvalidated(&self) -> Result<ark_groth16::VerifyingKey<Bn254>, Groth16Error> {
		fn read<T: CanonicalDeserialize>(bytes: &[u8]) -> Result<T, Groth16Error> {
			T::deserialize_with_mode(bytes, Compress::No, Validate::No)
				.map_err(|_| Groth16Error::MalformedBytes(Part::VerifyingKey))
		}
		if self.ic.is_empty() {
			return Err(Groth16Error::MalformedBytes(Part::VerifyingKey));
		}
		Ok(ark_groth16::VerifyingKey {
			alpha_g1: read(&self.alpha_g1.0)?,
			beta_g2: read(&self.beta_g2.0)?,
			gamma_g2: read(&self.gamma_g2.0)?,
			delta_g2: read(&self.delta_g2.0)?,
			gamma_abc_g1: self.ic.iter().map(|p| read(&p.0)).collect::<Result<_, _>>()?,
		})
	}

	/// The number of public inputs this key expects (`IC` length minus one).
	pub fn num_inputs(&self) -> usize {
		self.ic.len().saturating_sub(1)
	}
}

impl Proof {
	/// Validates an arkworks proof (points on their curves, in the subgroups, not the identity)
	/// and encodes it.
	pub fn from_ark(proof: &ark_groth16::Proof<Bn254>) -> Result<Self, Groth16Error> {
		validate::proof(proof)?;
		Ok(Self { a: g1_bytes(&proof.a), b: g2_bytes(&proof.b), c: g1_bytes(&proof.c) })
	}

	/// Decodes and validates the proof, with G2's subgroup check done by the engine `E` (see
	/// [`validate::g2_subgroup_with`]); same checks, same order, same errors as [`Proof::to_ark`].
	pub fn to_ark_with<E: Bn254Engine>(&self) -> Result<ark_groth16::Proof<Bn254>, Groth16Error> {
		let part = Part::Proof;
		let a = self.a.to_ark(part)?;
		let b = validate::g2_from_ark_bytes_on_curve(&self.b.0, Compress::No, part)?;
		validate::g2_subgroup_with::<E>(core::slice::from_ref(&b), part)?;
		let c = self.c.to_ark(part)?;
		if a.is_zero() || b.is_zero() || c.is_zero() {
			return Err(Groth16Error::IdentityPoint(part));
		}
		Ok(ark_groth16::Proof { a, b, c })
	}

	/// Decodes and validates the proof.
	pub fn to_ark(&self) -> Result<ark_groth16::Proof<Bn254>, Groth16Error> {
		let part = Part::Proof;
		let proof = ark_groth16::Proof {
			a: self.a.to_ark(part)?,
			b: self.b.to_ark(part)?,
			c: self.c.to_ark(part)?,
		};
		validate::proof(&proof)?;
		Ok(proof)
	}
}

impl PublicInputs {
	/// Public inputs from canonical scalars; fails with [`Groth16Error::TooManyInputs`] past the
	/// limit and with [`Groth16Error::ScalarNotCanonical`] if one is ≥ r.
	pub fn from_scalars(scalars: Vec<Scalar>) -> Result<Self, Groth16Error> {
		for s in &scalars {
			s.to_ark()?;
		}
		Ok(Self(BoundedVec::try_from(scalars).map_err(|_| Groth16Error::TooManyInputs)?))
	}

	/// Public inputs from field elements (always canonical).
	pub fn from_ark(inputs: &[Fr]) -> Result<Self, Groth16Error> {
		let scalars: Vec<Scalar> = inputs.iter().map(Scalar::from_ark).collect();
		Ok(Self(BoundedVec::try_from(scalars).map_err(|_| Groth16Error::TooManyInputs)?))
	}

	/// The inputs as field elements; fails if one is not canonical.
	pub fn to_ark(&self) -> Result<Vec<Fr>, Groth16Error> {
		self.0.iter().map(Scalar::to_ark).collect()
	}

	/// The number of inputs.
	pub fn len(&self) -> usize {
		self.0.len()
	}

	/// Whether there are no inputs.
	pub fn is_empty(&self) -> bool {
		self.0.is_empty()
	}
}
