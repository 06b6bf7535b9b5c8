//! # Elliptic-curve work for the WASM runtime, done natively by the node
//!
//! Groth16 verification is dominated by a multi-Miller loop, a final exponentiation and (with
//! many public inputs) a multi-scalar multiplication in G1; Nitro attestation documents by five
//! or more ECDSA P-384 verifications. Compiled to WASM these run several times slower than
//! natively, so the node offers them as host functions:
//!
//! - [`veritas_pairing`]: the runtime interface (`multi_miller_loop`, `final_exponentiation`,
//!   `msm_g1`, `g2_in_subgroup`). Arguments and results are plain bytes ([`wire`]); the host treats them as
//!   untrusted and answers every malformed input with a [`Bn254Error`], never a panic.
//! - [`veritas_p384`]: ECDSA P-384 verification of a SHA-384 digest (`verify_prehash`), with
//!   [`P384Engine`] implemented by [`Host`] and [`RustCrypto`] (the pure fallback) in the same
//!   way.
//! - [`veritas_poseidon`]: circomlib's `Poseidon(4)` over BN254 (the permutation behind
//!   Veritas' tensor commitments), with [`PoseidonEngine`] implemented by [`Host`] and
//!   [`Arkworks`].
//! - [`HostFunctions`]: what the node registers in its executor and its benchmark CLI.
//! - [`Bn254Engine`]: the operations as a trait over arkworks types, with two implementations
//!   that give identical answers: [`Host`] (calls the runtime interface; inside the runtime
//!   this runs natively in the node, outside it calls the same native code directly) and
//!   [`Arkworks`] (plain arkworks wherever it is compiled: the pure-WASM fallback).
//!
//! The pairing and MSM functions check that points are canonical and on their curves (cheap),
//! not that G2 points lie in the prime-order subgroup (costly): that is the caller's job, with
//! `g2_in_subgroup`. The Groth16 verifier validates every point it decodes before any pairing
//! work.

#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
#![deny(missing_docs)]

extern crate alloc;

pub mod ecdsa_p384;
pub mod engine;
pub mod interface;
pub mod ops;
pub mod poseidon;
pub mod wire;

pub use ecdsa_p384::{P384Engine, P384Error, RustCrypto};
pub use engine::{Arkworks, Bn254Engine, Host};
pub use interface::{veritas_p384, veritas_pairing, veritas_poseidon};
pub use poseidon::PoseidonEngine;
pub use wire::Bn254Error;

/// The host functions of this interface, for the node's executor and benchmark CLI.
#[cfg(not(substrate_runtime))]
pub type HostFunctions =
	(veritas_pairing::HostFunctions, veritas_p384::HostFunctions, veritas_poseidon::HostFunctions);

/// The most pairs one multi-Miller loop takes (a batch of 256 Groth16 proofs needs 259).
pub const MAX_PAIRS: usize = 1024;
/// The most terms one multi-scalar multiplication takes.
pub const MAX_MSM_LEN: usize = 1024;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_p384;
#[cfg(test)]
mod tests_poseidon;
