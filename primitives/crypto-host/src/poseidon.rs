//! Poseidon over BN254 with circomlib's parameters, width 5: circom's `Poseidon(4)`. The
//! permutation is `ark-crypto-primitives`' sponge permutation with circomlib's constants (from
//! `light-poseidon`, written out at build time); the hash of four elements is the first state
//! element after permuting `[0, x1, x2, x3, x4]`, exactly as circomlib computes it.
//!
//! [`PoseidonEngine`] has the same two implementations as the other operations: [`Arkworks`]
//! (wherever the code runs) and [`Host`] (natively in the node, through
//! [`crate::veritas_poseidon`]).

use alloc::{vec, vec::Vec};
use ark_bn254::Fr;
use ark_crypto_primitives::sponge::{
	poseidon::{PoseidonConfig, PoseidonSponge},
	CryptographicSponge, DuplexSpongeMode,
};
use ark_ff::{BigInt, Zero};

use crate::{
	interface::veritas_poseidon,
	wire::{self, Bn254Error},
	Arkworks, Host,
};

mod constants {
	#![allow(clippy::unreadable_literal)]
	use super::{BigInt, Fr};
	include!(concat!(env!("OUT_DIR"), "/poseidon_constants.rs"));
}

/// How many elements one hash takes.
pub const ARITY: usize = 4;

/// circomlib's `Poseidon(4)`.
pub trait PoseidonEngine {
	/// The Poseidon hash of four field elements.
	fn poseidon4(inputs: &[Fr; ARITY]) -> Result<Fr, Bn254Error>;
}

/// The sponge configuration of circomlib's width-5 Poseidon.
pub fn config() -> PoseidonConfig<Fr> {
	PoseidonConfig::new(
		constants::FULL_ROUNDS,
		constants::PARTIAL_ROUNDS,
		5,
		constants::MDS.iter().map(|row| row.to_vec()).collect(),
		constants::ROUND_CONSTANTS.iter().map(|row| row.to_vec()).collect(),
		ARITY,
		1,
	)
}

/// Permutes `sponge`'s state `[0, inputs…]` and returns its first element.
fn permute_first(sponge: &mut PoseidonSponge<Fr>, inputs: &[Fr; ARITY]) -> Fr {
	sponge.state.clear();
	sponge.state.push(Fr::zero());
	sponge.state.extend_from_slice(inputs);
	sponge.mode = DuplexSpongeMode::Absorbing { next_absorb_index: 0 };
	// Squeezing a fresh sponge permutes the state once; circomlib's output is the capacity
	// element of the permuted state, which the sponge keeps but does not squeeze.
	let _: Vec<Fr> = sponge.squeeze_field_elements(1);
	sponge.state[0]
}

/// A sponge over [`config`], built directly rather than with `PoseidonSponge::new` (which
/// would clone the whole configuration once more).
fn new_sponge() -> PoseidonSponge<Fr> {
	PoseidonSponge {
		parameters: config(),
		state: vec![Fr::zero(); ARITY + 1],
		mode: DuplexSpongeMode::Absorbing { next_absorb_index: 0 },
	}
}

/// With `std`, each thread keeps one sponge, so a hash does not rebuild the configuration (its
/// round constants and MDS matrix).
#[cfg(feature = "std")]
fn hash(inputs: &[Fr; ARITY]) -> Fr {
	std::thread_local! {
		static SPONGE: core::cell::RefCell<PoseidonSponge<Fr>> =
			core::cell::RefCell::new(new_sponge());
	}
	SPONGE.with(|sponge| permute_first(&mut sponge.borrow_mut(), inputs))
}

/// Without `std` (the pure-WASM fallback, which the runtime does not use), a sponge per hash.
#[cfg(not(feature = "std"))]
fn hash(inputs: &[Fr; ARITY]) -> Fr {
	permute_first(&mut new_sponge(), inputs)
}

impl PoseidonEngine for Arkworks {
	fn poseidon4(inputs: &[Fr; ARITY]) -> Result<Fr, Bn254Error> {
		Ok(hash(inputs))
	}
}

impl PoseidonEngine for Host {
	fn poseidon4(inputs: &[Fr; ARITY]) -> Result<Fr, Bn254Error> {
		let out = veritas_poseidon::poseidon4(&wire::encode_scalars(inputs))?;
		wire::decode_scalars(&out, 1)?.first().copied().ok_or(Bn254Error::Malformed)
	}
}

/// The byte-level operation the host runs: four canonical scalars in, one out.
pub fn poseidon4(inputs: &[u8]) -> Result<Vec<u8>, Bn254Error> {
	let scalars = wire::decode_scalars(inputs, ARITY)?;
	let inputs: &[Fr; ARITY] =
		scalars.as_slice().try_into().map_err(|_| Bn254Error::LengthMismatch)?;
	Ok(wire::encode_scalars(&[Arkworks::poseidon4(inputs)?]))
}
