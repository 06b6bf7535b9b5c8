//! # Groth16 verifier for BN254
//!
//! A pure, `no_std` verifier of Groth16 proofs over BN254 (alt_bn128, "bn128" in snarkjs), shared
//! by the runtime and by off-chain code.
//!
//! - [`types`]: canonical SCALE types for keys, proofs and public inputs (what the chain stores).
//! - [`decode`]: decoders for arkworks canonical serialization, snarkjs/circom JSON, and gnark's
//!   binary (and JSON) encodings. Every decoder validates fully ([`validate`]).
//! - [`verify()`](verify::verify) and [`batch_verify()`](batch::batch_verify): verification with a
//!   [`PreparedVerifyingKey`]; a batch costs one multi-Miller loop and one final exponentiation.
//! - [`vk_id`]: the id of a key, SHA-256 of its canonical SCALE encoding.
//! - [`verify_with()`] and [`batch_verify_with()`] take a [`Bn254Engine`] that does the pairing
//!   work: [`Arkworks`] (plain arkworks) or [`Host`] (the node's native host functions, inside
//!   the runtime; see `veritas-crypto-host`).
//! - `verifier::Groth16` / `Groth16Host` (feature `traits`): the implementations of the
//!   runtime's `Verifier` trait.
//!
//! Errors are one enum, [`Groth16Error`]; [`Groth16Error::class`] tells malformed input (exit code
//! 2) from an invalid proof (exit code 1).

#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
#![deny(missing_docs)]

extern crate alloc;

pub mod batch;
pub mod decode;
pub mod error;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod types;
pub mod validate;
#[cfg(feature = "traits")]
pub mod verifier;
pub mod verify;

#[cfg(test)]
mod negative_corpus;
#[cfg(test)]
mod verifier_should;

use codec::Encode;
use sha2::{Digest, Sha256};

pub use batch::{batch_verify, batch_verify_with};
pub use error::{ErrorClass, Groth16Error, Part};
pub use types::{G1Point, G2Point, Proof, PublicInputs, Scalar, VerifyingKey};
#[cfg(feature = "traits")]
pub use verifier::{Groth16, Groth16Host, Groth16With};
pub use verify::{prepare, prepare_validated, verify, verify_with, PreparedVerifyingKey};
pub use veritas_crypto_host::{Arkworks, Bn254Engine, Host};

/// The most public inputs a statement may have.
pub const MAX_PUBLIC_INPUTS: usize = 64;
/// The most `IC` entries a verifying key may have (one per public input, plus one).
pub const MAX_IC_LEN: usize = MAX_PUBLIC_INPUTS + 1;
/// The most proofs [`batch_verify`] accepts at once.
pub const MAX_BATCH_SIZE: usize = 256;
/// The largest JSON document (key, proof or inputs) the decoders read.
pub const MAX_JSON_LEN: usize = 256 * 1024;

/// The id of a verifying key: SHA-256 of its canonical SCALE encoding.
pub fn vk_id(vk: &VerifyingKey) -> [u8; 32] {
	Sha256::digest(vk.encode()).into()
}
