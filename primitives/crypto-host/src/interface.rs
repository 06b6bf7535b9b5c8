//! The runtime interfaces: what the WASM runtime imports and the node implements natively.
//!
//! Each function takes its arguments as bytes ([`crate::wire`] for BN254, SEC1 and `r‖s` for
//! P-384) and returns the encoded result or a typed error. The bodies run on the host (or
//! directly, in native code).

use alloc::vec::Vec;
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassFatPointerAndRead},
	runtime_interface,
};

use crate::{ecdsa_p384::P384Error, wire::Bn254Error};

/// BN254 pairing work, done natively by the node.
#[runtime_interface]
pub trait VeritasPairing {
	/// The multi-Miller loop of the pairs `(g1[i], g2[i])` (concatenated encoded points), as an
	/// encoded Fq12 element. Fails on malformed or off-curve points, unequal counts, or more than
	/// [`crate::MAX_PAIRS`] pairs.
	fn multi_miller_loop(
		g1: PassFatPointerAndRead<&[u8]>,
		g2: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<Vec<u8>, Bn254Error>> {
		crate::ops::multi_miller_loop(g1, g2)
	}

	/// The final exponentiation of an encoded Fq12 element.
	fn final_exponentiation(
		f: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<Vec<u8>, Bn254Error>> {
		crate::ops::final_exponentiation(f)
	}

	/// Σ `scalars[i]·bases[i]` in G1 (concatenated encoded points and canonical scalars), as one
	/// encoded affine G1 point.
	fn msm_g1(
		bases: PassFatPointerAndRead<&[u8]>,
		scalars: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<Vec<u8>, Bn254Error>> {
		crate::ops::msm_g1(bases, scalars)
	}

	/// Whether every encoded G2 point (concatenated) lies in the prime-order subgroup; fails on
	/// malformed or off-twist points, or more than [`crate::MAX_PAIRS`] points.
	fn g2_in_subgroup(
		points: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<bool, Bn254Error>> {
		crate::ops::g2_in_subgroup(points)
	}
}

/// ECDSA P-384 verification, done natively by the node.
#[runtime_interface]
pub trait VeritasP384 {
	/// Whether the 96-byte `r‖s` `signature` is valid for the 48-byte SHA-384 digest `prehash`
	/// under the SEC1-encoded `public_key`. Fails on a malformed key, signature or digest.
	fn verify_prehash(
		public_key: PassFatPointerAndRead<&[u8]>,
		prehash: PassFatPointerAndRead<&[u8]>,
		signature: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<bool, P384Error>> {
		crate::ecdsa_p384::verify(public_key, prehash, signature)
	}
}

/// Poseidon over BN254 (circomlib's parameters), done natively by the node.
#[runtime_interface]
pub trait VeritasPoseidon {
	/// circomlib's `Poseidon(4)` of four canonical scalars (concatenated [`crate::wire`]
	/// encodings): one encoded scalar. Fails on anything but four canonical scalars.
	fn poseidon4(
		inputs: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<Vec<u8>, Bn254Error>> {
		crate::poseidon::poseidon4(inputs)
	}
}
