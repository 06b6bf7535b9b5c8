//! [`Bn254Engine`]: the pairing work as a trait, and its two implementations.

use alloc::vec::Vec;
use ark_bn254::{Bn254, Fq12, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{
	pairing::{MillerLoopOutput, Pairing},
	VariableBaseMSM,
};
use ark_ff::{One, Zero};

use crate::{
	interface::veritas_pairing,
	wire::{self, Bn254Error},
	MAX_MSM_LEN, MAX_PAIRS,
};

/// The BN254 operations Groth16 verification needs.
///
/// Every implementation gives the same answer for the same input, errors included.
pub trait Bn254Engine {
	/// The product of the Miller loops of the pairs `(g1[i], g2[i])`, before the final
	/// exponentiation.
	fn multi_miller_loop(g1: &[G1Affine], g2: &[G2Affine]) -> Result<Fq12, Bn254Error>;

	/// The final exponentiation f^((q¹²−1)/r); [`Bn254Error::Zero`] for f = 0.
	fn final_exponentiation(f: Fq12) -> Result<Fq12, Bn254Error>;

	/// Σ `scalars[i]·bases[i]` in G1.
	fn msm_g1(bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, Bn254Error>;

	/// Whether every point of `points` lies in the prime-order subgroup of G2 (the check the
	/// Groth16 verifier needs for a proof's B); [`Bn254Error::NotOnCurve`] if one is off the
	/// twist. At most [`MAX_PAIRS`] points.
	fn g2_in_subgroup(points: &[G2Affine]) -> Result<bool, Bn254Error>;

	/// Whether Π `e(g1[i], g2[i])` = 1: one multi-Miller loop and one final exponentiation.
	fn pairing_product_is_one(g1: &[G1Affine], g2: &[G2Affine]) -> Result<bool, Bn254Error> {
		let f = Self::multi_miller_loop(g1, g2)?;
		Ok(Self::final_exponentiation(f)?.is_one())
	}
}

fn check_pairs(g1: usize, g2: usize) -> Result<(), Bn254Error> {
	if g1 != g2 {
		return Err(Bn254Error::LengthMismatch);
	}
	if g1 > MAX_PAIRS {
		return Err(Bn254Error::TooLarge);
	}
	Ok(())
}

fn check_msm(bases: usize, scalars: usize) -> Result<(), Bn254Error> {
	if bases != scalars {
		return Err(Bn254Error::LengthMismatch);
	}
	if bases > MAX_MSM_LEN {
		return Err(Bn254Error::TooLarge);
	}
	Ok(())
}

/// Plain arkworks, computed wherever this code runs (inside the WASM runtime: the pure-WASM
/// fallback).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arkworks;

impl Bn254Engine for Arkworks {
	fn multi_miller_loop(g1: &[G1Affine], g2: &[G2Affine]) -> Result<Fq12, Bn254Error> {
		check_pairs(g1.len(), g2.len())?;
		if g1.iter().any(|p| !p.is_on_curve()) || g2.iter().any(|p| !p.is_on_curve()) {
			return Err(Bn254Error::NotOnCurve);
		}
		Ok(Bn254::multi_miller_loop(g1.iter().copied(), g2.iter().copied()).0)
	}

	fn final_exponentiation(f: Fq12) -> Result<Fq12, Bn254Error> {
		if f.is_zero() {
			return Err(Bn254Error::Zero);
		}
		Bn254::final_exponentiation(MillerLoopOutput(f)).map(|p| p.0).ok_or(Bn254Error::Zero)
	}

	fn msm_g1(bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, Bn254Error> {
		check_msm(bases.len(), scalars.len())?;
		if bases.iter().any(|p| !p.is_on_curve()) {
			return Err(Bn254Error::NotOnCurve);
		}
		G1Projective::msm(bases, scalars).map_err(|_| Bn254Error::LengthMismatch)
	}

	fn g2_in_subgroup(points: &[G2Affine]) -> Result<bool, Bn254Error> {
		if points.len() > MAX_PAIRS {
			return Err(Bn254Error::TooLarge);
		}
		if points.iter().any(|p| !p.is_on_curve()) {
			return Err(Bn254Error::NotOnCurve);
		}
		Ok(points.iter().all(|p| p.is_in_correct_subgroup_assuming_on_curve()))
	}
}

/// The node's native implementation, through the [`veritas_pairing`] runtime interface. Inside
/// the WASM runtime this is a host call; in native code it calls the same functions directly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Host;

impl Bn254Engine for Host {
	fn multi_miller_loop(g1: &[G1Affine], g2: &[G2Affine]) -> Result<Fq12, Bn254Error> {
		check_pairs(g1.len(), g2.len())?;
		let f = veritas_pairing::multi_miller_loop(&wire::encode_g1s(g1), &wire::encode_g2s(g2))?;
		wire::decode_fq12(&f)
	}

	fn final_exponentiation(f: Fq12) -> Result<Fq12, Bn254Error> {
		let out = veritas_pairing::final_exponentiation(&wire::encode_fq12(&f))?;
		wire::decode_fq12(&out)
	}

	fn msm_g1(bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, Bn254Error> {
		check_msm(bases.len(), scalars.len())?;
		let out =
			veritas_pairing::msm_g1(&wire::encode_g1s(bases), &wire::encode_scalars(scalars))?;
		let points: Vec<G1Affine> = wire::decode_g1s(&out, 1)?;
		points.first().map(|p| (*p).into()).ok_or(Bn254Error::Malformed)
	}

	fn g2_in_subgroup(points: &[G2Affine]) -> Result<bool, Bn254Error> {
		if points.len() > MAX_PAIRS {
			return Err(Bn254Error::TooLarge);
		}
		veritas_pairing::g2_in_subgroup(&wire::encode_g2s(points))
	}
}
