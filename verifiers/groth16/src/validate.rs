//! Validation shared by every decoder: points, keys, proofs and scalars.
//!
//! Nothing here trusts its input. Points are built with arkworks' *unchecked* constructors (the
//! checked ones may panic) and then checked explicitly, so each failed check has its own error:
//! - coordinates are canonical field elements (< q);
//! - points lie on the curve (G1) or the twist (G2), and in the prime-order subgroup (this matters
//!   for G2, whose cofactor is not 1; for G1 it is implied by being on the curve);
//! - no identity where it is meaningless: α, β, γ, δ, every `IC` entry, A, B and C;
//! - keys are not degenerate: γ ≠ δ and δ ≠ the G2 generator;
//! - public inputs are canonical scalars (< r), never reduced modulo r.

use alloc::vec::Vec;
use ark_bn254::{Bn254, Fq, Fr, G1Affine, G2Affine};
use ark_ec::{
	short_weierstrass::{Affine, SWCurveConfig},
	AffineRepr,
};
use ark_ff::{BigInt, PrimeField};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use num_bigint::BigUint;
use veritas_crypto_host::Bn254Engine;

use crate::{
	error::{Groth16Error, Part},
	types::Scalar,
	MAX_IC_LEN,
};

/// The longest number string (decimal or `0x` hex) accepted in JSON, leading zeros included.
pub const MAX_NUMBER_STRING_LEN: usize = 100;

/// Checks that a point is on its curve and in the prime-order subgroup.
pub fn point<P: SWCurveConfig>(p: &Affine<P>, part: Part) -> Result<(), Groth16Error> {
	on_curve(p, part)?;
	if !p.is_in_correct_subgroup_assuming_on_curve() {
		return Err(Groth16Error::PointNotInSubgroup(part));
	}
	Ok(())
}

/// Checks that a point is on its curve (for G1, whose cofactor is 1, that is all).
pub fn on_curve<P: SWCurveConfig>(p: &Affine<P>, part: Part) -> Result<(), Groth16Error> {
	if !p.is_on_curve() {
		return Err(Groth16Error::PointNotOnCurve(part));
	}
	Ok(())
}

/// Checks that G2 points on the twist are in the prime-order subgroup, with the engine `E`
/// (inside the runtime, natively on the host: the check is a 128-bit scalar multiplication).
pub fn g2_subgroup_with<E: Bn254Engine>(
	points: &[G2Affine],
	part: Part,
) -> Result<(), Groth16Error> {
	match E::g2_in_subgroup(points) {
		Ok(true) => Ok(()),
		Ok(false) => Err(Groth16Error::PointNotInSubgroup(part)),
		Err(_) => Err(Groth16Error::PointNotOnCurve(part)),
	}
}

/// Checks that a valid point is not the identity.
pub fn not_identity<P: SWCurveConfig>(p: &Affine<P>, part: Part) -> Result<(), Groth16Error> {
	if p.is_zero() {
		return Err(Groth16Error::IdentityPoint(part));
	}
	Ok(())
}

/// Validates a verifying key fully:
/// - `IC` has between 1 and [`MAX_IC_LEN`] entries;
/// - every point is on its curve and in the prime-order subgroup;
/// - α, β, γ, δ and every `IC` entry are not the identity (an `IC` entry at infinity would be a
///   declared input the circuit never constrains);
/// - γ ≠ δ and δ ≠ the G2 generator (a key without a phase-2 contribution; proofs could be forged).
///
/// γ equal to the G2 generator is allowed: snarkjs never randomises γ, and neither does the SP1
/// key; soundness rests on δ.
pub fn verifying_key(vk: &ark_groth16::VerifyingKey<Bn254>) -> Result<(), Groth16Error> {
	let part = Part::VerifyingKey;
	if vk.gamma_abc_g1.is_empty() {
		return Err(Groth16Error::MalformedBytes(part));
	}
	if vk.gamma_abc_g1.len() > MAX_IC_LEN {
		return Err(Groth16Error::TooManyInputs);
	}
	point(&vk.alpha_g1, part)?;
	point(&vk.beta_g2, part)?;
	point(&vk.gamma_g2, part)?;
	point(&vk.delta_g2, part)?;
	for p in &vk.gamma_abc_g1 {
		point(p, part)?;
	}
	not_identity(&vk.alpha_g1, part)?;
	not_identity(&vk.beta_g2, part)?;
	not_identity(&vk.gamma_g2, part)?;
	not_identity(&vk.delta_g2, part)?;
	for p in &vk.gamma_abc_g1 {
		not_identity(p, part)?;
	}
	if vk.gamma_g2 == vk.delta_g2 || vk.delta_g2 == G2Affine::generator() {
		return Err(Groth16Error::DegenerateKey);
	}
	Ok(())
}

/// Validates a proof: A, B and C on their curves, in the subgroups, and not the identity.
pub fn proof(proof: &ark_groth16::Proof<Bn254>) -> Result<(), Groth16Error> {
	let part = Part::Proof;
	point(&proof.a, part)?;
	point(&proof.b, part)?;
	point(&proof.c, part)?;
	not_identity(&proof.a, part)?;
	not_identity(&proof.b, part)?;
	not_identity(&proof.c, part)?;
	Ok(())
}

/// An element of Fq from 32 little-endian bytes, if canonical (< q).
pub(crate) fn fq_from_le(bytes: &[u8; 32]) -> Option<Fq> {
	Fq::from_bigint(BigInt::new(limbs(bytes)))
}

/// An element of Fq from 32 big-endian bytes, if canonical (< q).
pub(crate) fn fq_from_be(bytes: &[u8; 32], part: Part) -> Result<Fq, Groth16Error> {
	let mut le = *bytes;
	le.reverse();
	fq_from_le(&le).ok_or(Groth16Error::CoordinateNotCanonical(part))
}

/// An element of Fr from 32 little-endian bytes, if canonical (< r).
pub fn scalar_from_le_bytes(bytes: &[u8; 32]) -> Result<Fr, Groth16Error> {
	Fr::from_bigint(BigInt::new(limbs(bytes))).ok_or(Groth16Error::ScalarNotCanonical)
}

fn limbs(bytes: &[u8; 32]) -> [u64; 4] {
	let mut out = [0u64; 4];
	for (limb, chunk) in out.iter_mut().zip(bytes.chunks_exact(8)) {
		let mut b = [0u8; 8];
		b.copy_from_slice(chunk);
		*limb = u64::from_le_bytes(b);
	}
	out
}

/// Parses a non-negative integer written in plain decimal (`"123"`) or hex (`"0x7b"`): ASCII
/// digits only (no sign, spaces or `_`), at most [`MAX_NUMBER_STRING_LEN`] characters. The value
/// is returned as 32 little-endian bytes, or `None` if it does not fit in 256 bits.
pub(crate) fn parse_u256(s: &str) -> Option<[u8; 32]> {
	if s.is_empty() || s.len() > MAX_NUMBER_STRING_LEN {
		return None;
	}
	let (digits, radix) = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
		Some(hex) => (hex, 16),
		None => (s, 10),
	};
	if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
		return None;
	}
	let n = BigUint::parse_bytes(digits.as_bytes(), radix)?;
	let le: Vec<u8> = n.to_bytes_le();
	if le.len() > 32 {
		return None;
	}
	let mut out = [0u8; 32];
	out[..le.len()].copy_from_slice(&le);
	Some(out)
}

/// A public input from a decimal or hex string; rejected (never reduced) if ≥ r.
pub fn scalar_from_str(s: &str) -> Result<Scalar, Groth16Error> {
	let bytes = parse_u256(s).ok_or(Groth16Error::ScalarNotCanonical)?;
	scalar_from_le_bytes(&bytes)?;
	Ok(Scalar(bytes))
}

/// A coordinate from a decimal or hex string; `CoordinateNotCanonical` if ≥ q, `MalformedJson`
/// if it is not a number.
pub(crate) fn fq_from_str(s: &str, part: Part) -> Result<Fq, Groth16Error> {
	let bytes = parse_u256(s).ok_or(Groth16Error::MalformedJson(part))?;
	fq_from_le(&bytes).ok_or(Groth16Error::CoordinateNotCanonical(part))
}

/// Checks that every 32-byte little-endian coordinate of an arkworks point encoding is below q
/// (the flag bits, in the top two bits of the last byte, masked).
fn ark_coordinates_canonical(bytes: &[u8], part: Part) -> Result<(), Groth16Error> {
	let n = bytes.len() / 32;
	for (i, chunk) in bytes.chunks_exact(32).enumerate() {
		let mut c = [0u8; 32];
		c.copy_from_slice(chunk);
		if i + 1 == n {
			c[31] &= 0x3f;
		}
		fq_from_le(&c).ok_or(Groth16Error::CoordinateNotCanonical(part))?;
	}
	Ok(())
}

/// Decodes a point in arkworks' canonical encoding (compressed or uncompressed) and validates it:
/// exact length, canonical coordinates, valid flags, on the curve, in the subgroup, and the
/// unique encoding of the point it decodes to. The identity is accepted here.
fn point_from_ark_bytes<P: SWCurveConfig>(
	bytes: &[u8],
	compress: Compress,
	part: Part,
) -> Result<Affine<P>, Groth16Error> {
	let p = point_from_ark_bytes_on_curve(bytes, compress, part)?;
	point(&p, part)?;
	Ok(p)
}

/// [`point_from_ark_bytes`] without the subgroup check: exact length, canonical coordinates,
/// valid flags, on the curve, unique encoding.
fn point_from_ark_bytes_on_curve<P: SWCurveConfig>(
	bytes: &[u8],
	compress: Compress,
	part: Part,
) -> Result<Affine<P>, Groth16Error> {
	let expected = Affine::<P>::identity().serialized_size(compress);
	if bytes.len() != expected {
		return Err(Groth16Error::WrongLength { expected, actual: bytes.len() });
	}
	ark_coordinates_canonical(bytes, part)?;
	// Both flag bits set is not a valid `SWFlags` value.
	if bytes[bytes.len() - 1] >> 6 == 0b11 {
		return Err(Groth16Error::MalformedBytes(part));
	}
	let p = Affine::<P>::deserialize_with_mode(bytes, compress, Validate::No).map_err(|_| {
		match compress {
			// The only failure left is an x with no y on the curve.
			Compress::Yes => Groth16Error::PointNotOnCurve(part),
			Compress::No => Groth16Error::MalformedBytes(part),
		}
	})?;
	on_curve(&p, part)?;
	let mut again = Vec::with_capacity(expected);
	p.serialize_with_mode(&mut again, compress).map_err(|_| Groth16Error::MalformedBytes(part))?;
	if again != bytes {
		return Err(Groth16Error::MalformedBytes(part));
	}
	Ok(p)
}

/// Decodes and validates a G1 point in arkworks' canonical encoding.
pub fn g1_from_ark_bytes(
	bytes: &[u8],
	compress: Compress,
	part: Part,
) -> Result<G1Affine, Groth16Error> {
	point_from_ark_bytes(bytes, compress, part)
}

/// Decodes a G2 point in arkworks' canonical encoding and checks it is on the twist, without
/// the subgroup check (see [`g2_subgroup_with`]).
pub fn g2_from_ark_bytes_on_curve(
	bytes: &[u8],
	compress: Compress,
	part: Part,
) -> Result<G2Affine, Groth16Error> {
	point_from_ark_bytes_on_curve(bytes, compress, part)
}

/// Decodes and validates a G2 point in arkworks' canonical encoding.
pub fn g2_from_ark_bytes(
	bytes: &[u8],
	compress: Compress,
	part: Part,
) -> Result<G2Affine, Groth16Error> {
	point_from_ark_bytes(bytes, compress, part)
}
