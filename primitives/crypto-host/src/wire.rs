//! The byte encodings the runtime interface passes: arkworks' uncompressed canonical
//! serialization, concatenated.
//!
//! - a G1 point is 64 bytes, a G2 point 128 bytes (flags in the top bits of the last byte);
//! - a scalar is 32 bytes little-endian, canonical (< r);
//! - an Fq12 element is 384 bytes.
//!
//! Decoding checks lengths, limits, canonical coordinates and curve membership.

use alloc::vec::Vec;
use ark_bn254::{Fq12, Fr, G1Affine, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use codec::{Decode, Encode};

/// Length of an encoded G1 point.
pub const G1_LEN: usize = 64;
/// Length of an encoded G2 point.
pub const G2_LEN: usize = 128;
/// Length of an encoded scalar.
pub const SCALAR_LEN: usize = 32;
/// Length of an encoded Fq12 element.
pub const FQ12_LEN: usize = 384;

/// Why a BN254 operation refused its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Bn254Error {
	/// Bytes that are not a sequence of encoded elements (wrong length, bad flags, a coordinate
	/// or scalar not canonical).
	Malformed,
	/// A point that is not on its curve.
	NotOnCurve,
	/// The two argument lists have different lengths.
	LengthMismatch,
	/// More elements than [`crate::MAX_PAIRS`] or [`crate::MAX_MSM_LEN`].
	TooLarge,
	/// The final exponentiation of zero (which has no inverse).
	Zero,
}

fn points<P: SWCurveConfig>(
	bytes: &[u8],
	len: usize,
	max: usize,
) -> Result<Vec<Affine<P>>, Bn254Error> {
	if !bytes.len().is_multiple_of(len) {
		return Err(Bn254Error::Malformed);
	}
	if bytes.len() / len > max {
		return Err(Bn254Error::TooLarge);
	}
	bytes
		.chunks_exact(len)
		.map(|chunk| {
			let p = Affine::<P>::deserialize_with_mode(chunk, Compress::No, Validate::No)
				.map_err(|_| Bn254Error::Malformed)?;
			if !p.is_on_curve() {
				return Err(Bn254Error::NotOnCurve);
			}
			Ok(p)
		})
		.collect()
}

fn encode_all<T: CanonicalSerialize>(items: &[T], len: usize) -> Vec<u8> {
	let mut out = Vec::with_capacity(items.len() * len);
	for item in items {
		// Serializing into a Vec cannot fail.
		let _ = item.serialize_with_mode(&mut out, Compress::No);
	}
	out
}

/// Decodes G1 points (at most `max`), each canonical and on the curve.
pub fn decode_g1s(bytes: &[u8], max: usize) -> Result<Vec<G1Affine>, Bn254Error> {
	points(bytes, G1_LEN, max)
}

/// Decodes G2 points (at most `max`), each canonical and on the twist.
pub fn decode_g2s(bytes: &[u8], max: usize) -> Result<Vec<G2Affine>, Bn254Error> {
	points(bytes, G2_LEN, max)
}

/// Decodes canonical scalars (at most `max`).
pub fn decode_scalars(bytes: &[u8], max: usize) -> Result<Vec<Fr>, Bn254Error> {
	if !bytes.len().is_multiple_of(SCALAR_LEN) {
		return Err(Bn254Error::Malformed);
	}
	if bytes.len() / SCALAR_LEN > max {
		return Err(Bn254Error::TooLarge);
	}
	bytes
		.chunks_exact(SCALAR_LEN)
		.map(|c| {
			Fr::deserialize_with_mode(c, Compress::No, Validate::Yes)
				.map_err(|_| Bn254Error::Malformed)
		})
		.collect()
}

/// Decodes one Fq12 element (every coordinate canonical).
pub fn decode_fq12(bytes: &[u8]) -> Result<Fq12, Bn254Error> {
	if bytes.len() != FQ12_LEN {
		return Err(Bn254Error::Malformed);
	}
	Fq12::deserialize_with_mode(bytes, Compress::No, Validate::Yes)
		.map_err(|_| Bn254Error::Malformed)
}

/// Encodes G1 points.
pub fn encode_g1s(points: &[G1Affine]) -> Vec<u8> {
	encode_all(points, G1_LEN)
}

/// Encodes G2 points.
pub fn encode_g2s(points: &[G2Affine]) -> Vec<u8> {
	encode_all(points, G2_LEN)
}

/// Encodes scalars.
pub fn encode_scalars(scalars: &[Fr]) -> Vec<u8> {
	encode_all(scalars, SCALAR_LEN)
}

/// Encodes one Fq12 element.
pub fn encode_fq12(f: &Fq12) -> Vec<u8> {
	encode_all(core::slice::from_ref(f), FQ12_LEN)
}
