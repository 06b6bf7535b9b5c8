//! gnark's binary BN254 encodings (gnark-crypto): the verifying key as `VerifyingKey.WriteTo`
//! writes it (compressed points) and the proof as `Proof.WriteRawTo` writes it (uncompressed).
//!
//! - Field elements are 32 bytes big-endian. The two top bits of a point's first byte are flags:
//!   `00` uncompressed, `10` compressed with the smallest y, `11` compressed with the largest y,
//!   `01` the identity (all other bits zero). For G1, "largest" means y > (q − 1)/2; for G2 it is
//!   decided on the imaginary part of y (on the real part when that is zero).
//! - **G2 coordinates are written imaginary part first**: x.A1 ‖ x.A0 (‖ y.A1 ‖ y.A0).
//! - Key: α₁ (32) ‖ β₁ (32) ‖ β₂ (64) ‖ γ₂ (64) ‖ δ₁ (32) ‖ δ₂ (64) ‖ u32 n ‖ n × K (32) ‖
//!   u32 len(PublicAndCommitmentCommitted) ‖ u32 len(CommitmentKeys). Both trailing lengths must
//!   be zero (Pedersen commitments are refused). β₁ and δ₁ are not used but must be valid points.
//! - Proof: Ar (64) ‖ Bs (128) ‖ Krs (64) ‖ u32 number of commitments (must be 0) ‖ the commitment
//!   proof of knowledge (64, must be the zero encoding): 324 bytes; or the first 256 bytes alone
//!   (the EVM calldata order A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y).

use ark_bn254::{Bn254, Fq, Fq2, G1Affine, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};

use crate::{
	decode::Reader,
	error::{Groth16Error, Part},
	types::{Proof, VerifyingKey},
	validate, MAX_IC_LEN,
};

/// Length of a raw proof without the commitment fields.
pub const PROOF_LEN_SHORT: usize = 256;
/// Length of a raw proof as `WriteRawTo` writes it when there are no commitments.
pub const PROOF_LEN: usize = 324;
/// Length of a key's fixed part, up to and including the `K` length.
const VK_HEADER_LEN: usize = 292;

const FLAG_MASK: u8 = 0b1100_0000;
const UNCOMPRESSED: u8 = 0b0000_0000;
const COMPRESSED_SMALLEST: u8 = 0b1000_0000;
const COMPRESSED_LARGEST: u8 = 0b1100_0000;
const IDENTITY: u8 = 0b0100_0000;

/// Whether `bytes` (with the flag bits) encode the identity; malformed if the flag says so but
/// other bits are set.
fn identity(bytes: &[u8], part: Part) -> Result<bool, Groth16Error> {
	if bytes[0] & FLAG_MASK != IDENTITY {
		return Ok(false);
	}
	if bytes[0] & !FLAG_MASK != 0 || bytes[1..].iter().any(|b| *b != 0) {
		return Err(Groth16Error::MalformedBytes(part));
	}
	Ok(true)
}

fn fq(bytes: &[u8], part: Part) -> Result<Fq, Groth16Error> {
	let mut b = [0u8; 32];
	b.copy_from_slice(bytes);
	validate::fq_from_be(&b, part)
}

/// An Fq2 element written A1 ‖ A0.
fn fq2(bytes: &[u8], part: Part) -> Result<Fq2, Groth16Error> {
	Ok(Fq2::new(fq(&bytes[32..64], part)?, fq(&bytes[..32], part)?))
}

/// Picks y for a compressed point; gnark's "largest" agrees with arkworks' ordering of the two
/// roots (for Fq2, arkworks compares c1 first, then c0).
fn from_x<P: SWCurveConfig>(
	x: P::BaseField,
	flag: u8,
	part: Part,
) -> Result<Affine<P>, Groth16Error> {
	let (smaller, larger) =
		Affine::<P>::get_ys_from_x_unchecked(x).ok_or(Groth16Error::PointNotOnCurve(part))?;
	let y = if flag == COMPRESSED_LARGEST { larger } else { smaller };
	Ok(Affine::new_unchecked(x, y))
}

/// A compressed G1 point (32 bytes).
fn g1_compressed(bytes: &[u8], part: Part) -> Result<G1Affine, Groth16Error> {
	if identity(bytes, part)? {
		return Ok(G1Affine::identity());
	}
	let flag = bytes[0] & FLAG_MASK;
	if flag != COMPRESSED_SMALLEST && flag != COMPRESSED_LARGEST {
		return Err(Groth16Error::MalformedBytes(part));
	}
	let mut x = [0u8; 32];
	x.copy_from_slice(bytes);
	x[0] &= !FLAG_MASK;
	let p = from_x(fq(&x, part)?, flag, part)?;
	validate::point(&p, part)?;
	Ok(p)
}

/// A compressed G2 point (64 bytes, x.A1 ‖ x.A0).
fn g2_compressed(bytes: &[u8], part: Part) -> Result<G2Affine, Groth16Error> {
	if identity(bytes, part)? {
		return Ok(G2Affine::identity());
	}
	let flag = bytes[0] & FLAG_MASK;
	if flag != COMPRESSED_SMALLEST && flag != COMPRESSED_LARGEST {
		return Err(Groth16Error::MalformedBytes(part));
	}
	let mut x = [0u8; 64];
	x.copy_from_slice(bytes);
	x[0] &= !FLAG_MASK;
	let p = from_x(fq2(&x, part)?, flag, part)?;
	validate::point(&p, part)?;
	Ok(p)
}

/// Whether an uncompressed encoding is the identity: gnark writes it as all zeros (or with the
/// identity flag).
fn uncompressed_identity(bytes: &[u8], part: Part) -> Result<bool, Groth16Error> {
	if identity(bytes, part)? {
		return Ok(true);
	}
	if bytes[0] & FLAG_MASK != UNCOMPRESSED {
		return Err(Groth16Error::MalformedBytes(part));
	}
	Ok(bytes.iter().all(|b| *b == 0))
}

/// An uncompressed G1 point (64 bytes, x ‖ y).
fn g1_uncompressed(bytes: &[u8], part: Part) -> Result<G1Affine, Groth16Error> {
	if uncompressed_identity(bytes, part)? {
		return Ok(G1Affine::identity());
	}
	let p = G1Affine::new_unchecked(fq(&bytes[..32], part)?, fq(&bytes[32..], part)?);
	validate::point(&p, part)?;
	Ok(p)
}

/// An uncompressed G2 point (128 bytes, x.A1 ‖ x.A0 ‖ y.A1 ‖ y.A0).
fn g2_uncompressed(bytes: &[u8], part: Part) -> Result<G2Affine, Groth16Error> {
	if uncompressed_identity(bytes, part)? {
		return Ok(G2Affine::identity());
	}
	let p = G2Affine::new_unchecked(fq2(&bytes[..64], part)?, fq2(&bytes[64..], part)?);
	validate::point(&p, part)?;
	Ok(p)
}

fn u32_be(r: &mut Reader<'_>) -> Result<u32, Groth16Error> {
	Ok(u32::from_be_bytes(r.take_array::<4>()?))
}

/// Decodes and validates a gnark `VerifyingKey.WriteTo` key; keys with Pedersen commitments are
/// refused with [`Groth16Error::UnsupportedCommitments`].
pub fn verifying_key(bytes: &[u8]) -> Result<VerifyingKey, Groth16Error> {
	let part = Part::VerifyingKey;
	let mut r = Reader::new(bytes);
	let alpha = r.take(32)?;
	let beta1 = r.take(32)?;
	let beta2 = r.take(64)?;
	let gamma2 = r.take(64)?;
	let delta1 = r.take(32)?;
	let delta2 = r.take(64)?;
	let n = u32_be(&mut r)? as usize;
	if n > MAX_IC_LEN {
		return Err(Groth16Error::TooManyInputs);
	}
	let k = r.take(n * 32)?;
	let committed = u32_be(&mut r)?;
	let commitment_keys = u32_be(&mut r)?;
	if committed != 0 || commitment_keys != 0 {
		return Err(Groth16Error::UnsupportedCommitments);
	}
	let expected = VK_HEADER_LEN + n * 32 + 8;
	if r.remaining() != 0 {
		return Err(Groth16Error::WrongLength { expected, actual: bytes.len() });
	}
	// The unused G1 β and δ must still be valid points.
	let _beta_g1 = g1_compressed(beta1, part)?;
	let _delta_g1 = g1_compressed(delta1, part)?;
	let vk = ark_groth16::VerifyingKey::<Bn254> {
		alpha_g1: g1_compressed(alpha, part)?,
		beta_g2: g2_compressed(beta2, part)?,
		gamma_g2: g2_compressed(gamma2, part)?,
		delta_g2: g2_compressed(delta2, part)?,
		gamma_abc_g1: k
			.chunks_exact(32)
			.map(|c| g1_compressed(c, part))
			.collect::<Result<_, _>>()?,
	};
	VerifyingKey::from_ark(&vk)
}

/// Decodes and validates a gnark raw proof: 324 bytes (`WriteRawTo`, no commitments) or the
/// 256-byte form without the commitment fields.
pub fn proof(bytes: &[u8]) -> Result<Proof, Groth16Error> {
	let part = Part::Proof;
	let wrong_length = Groth16Error::WrongLength { expected: PROOF_LEN, actual: bytes.len() };
	if bytes.len() != PROOF_LEN_SHORT && bytes.len() < PROOF_LEN {
		return Err(wrong_length);
	}
	let mut r = Reader::new(bytes);
	let a = r.take(64)?;
	let b = r.take(128)?;
	let c = r.take(64)?;
	if bytes.len() != PROOF_LEN_SHORT {
		let commitments = u32_be(&mut r)? as usize;
		// A proof with n commitments has n more G1 points: only call it that if the length agrees.
		if commitments != 0 {
			let with_commitments =
				commitments.checked_mul(64).and_then(|n| n.checked_add(PROOF_LEN));
			return Err(if with_commitments == Some(bytes.len()) {
				Groth16Error::UnsupportedCommitments
			} else {
				wrong_length
			});
		}
		let pok = r.take(64)?;
		if r.remaining() != 0 {
			return Err(wrong_length);
		}
		if !uncompressed_identity(pok, part)? {
			return Err(Groth16Error::MalformedBytes(part));
		}
	}
	let proof = ark_groth16::Proof::<Bn254> {
		a: g1_uncompressed(a, part)?,
		b: g2_uncompressed(b, part)?,
		c: g1_uncompressed(c, part)?,
	};
	Proof::from_ark(&proof)
}

/// Whether `y` is gnark's "lexicographically largest" root for G2 (exposed for tests).
#[cfg(test)]
pub(crate) fn fq2_is_largest(y: &Fq2) -> bool {
	use ark_ff::{PrimeField, Zero};
	let half = |c: &Fq| c.into_bigint() > Fq::MODULUS_MINUS_ONE_DIV_TWO;
	if y.c1.is_zero() {
		half(&y.c0)
	} else {
		half(&y.c1)
	}
}
