//! The operations on bytes, exactly as the host runs them: decode ([`crate::wire`]), compute
//! with arkworks, encode. The runtime interface calls these natively.

use alloc::vec::Vec;
use ark_bn254::G1Projective;
use ark_ec::CurveGroup;

use crate::{
	wire::{self, Bn254Error},
	Arkworks, Bn254Engine, MAX_MSM_LEN, MAX_PAIRS,
};

/// The multi-Miller loop of the pairs `(g1[i], g2[i])`: an encoded Fq12 element.
pub fn multi_miller_loop(g1: &[u8], g2: &[u8]) -> Result<Vec<u8>, Bn254Error> {
	let a = wire::decode_g1s(g1, MAX_PAIRS)?;
	let b = wire::decode_g2s(g2, MAX_PAIRS)?;
	Ok(wire::encode_fq12(&Arkworks::multi_miller_loop(&a, &b)?))
}

/// The final exponentiation of an encoded Fq12 element.
pub fn final_exponentiation(f: &[u8]) -> Result<Vec<u8>, Bn254Error> {
	let f = wire::decode_fq12(f)?;
	Ok(wire::encode_fq12(&Arkworks::final_exponentiation(f)?))
}

/// Σ `scalars[i]·bases[i]` in G1: an encoded (affine) G1 point.
pub fn msm_g1(bases: &[u8], scalars: &[u8]) -> Result<Vec<u8>, Bn254Error> {
	let bases = wire::decode_g1s(bases, MAX_MSM_LEN)?;
	let scalars = wire::decode_scalars(scalars, MAX_MSM_LEN)?;
	let sum: G1Projective = Arkworks::msm_g1(&bases, &scalars)?;
	Ok(wire::encode_g1s(&[sum.into_affine()]))
}

/// Whether every encoded G2 point lies in the prime-order subgroup.
pub fn g2_in_subgroup(points: &[u8]) -> Result<bool, Bn254Error> {
	Arkworks::g2_in_subgroup(&wire::decode_g2s(points, MAX_PAIRS)?)
}

/// Arkworks' pairing, for tests that compare against it.
#[cfg(test)]
pub(crate) fn reference_pairing_product(
	a: &[ark_bn254::G1Affine],
	b: &[ark_bn254::G2Affine],
) -> ark_bn254::Fq12 {
	use ark_ec::pairing::Pairing;
	ark_bn254::Bn254::multi_pairing(a.iter().copied(), b.iter().copied()).0
}
