//! Salted commitments: a commitment blinded by a secret scalar, so that a tensor with few
//! possible values (a short text context, a yes/no feature) cannot be found by committing to
//! every candidate and comparing.
//!
//! **The rule.** For a salt `s ≠ 0`, the salted commitment to a tensor whose commitment
//! ([`crate::commitment`]) is `c` is `Poseidon(c, s, 2^64, 0)` (circomlib's `Poseidon(4)`); for
//! `s = 0` it is `c` itself, so unsalted commitments are salted ones with salt 0.
//!
//! The third input, [`salt_tag`] = 2^64, is a value no step of the commitment rule absorbs in that
//! place (a rank ≤ 8, a `u32` dimension, an `i64` value's scalar — below 2^63 or above r − 2^63
//! — or padding 0), so a salted commitment is never the commitment of another tensor.
//! `scripts/commitments/` checks the rule against a circom circuit
//! (`resources/commitment_vectors.json`, the vectors with a `salt`).

use ark_bn254::Fr;
use ark_ff::Zero;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use veritas_crypto_host::{Arkworks, PoseidonEngine};

use crate::commitment::{commit_with, CommitError, Commitment};

/// The domain tag of a salted commitment: 2^64.
pub fn salt_tag() -> Fr {
	Fr::from(1u128 << 64)
}

/// A salt: a secret BN254 scalar as 32 big-endian bytes, chosen at random by whoever commits
/// and told only to whom must open the commitment. All zeros is "no salt".
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Salt(pub [u8; 32]);

impl core::fmt::Debug for Salt {
	/// A salt is a secret: only whether there is one is printed.
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		if self.is_none() {
			write!(f, "Salt(none)")
		} else {
			write!(f, "Salt(..)")
		}
	}
}

impl Salt {
	/// No salt: salted commitments are plain ones.
	pub const NONE: Self = Self([0; 32]);

	/// Whether this is [`Salt::NONE`].
	pub fn is_none(&self) -> bool {
		self.0 == [0; 32]
	}

	/// A salt from 31 random bytes (a 248-bit scalar, always below r).
	pub fn from_random(bytes: [u8; 31]) -> Self {
		let mut out = [0u8; 32];
		out[1..].copy_from_slice(&bytes);
		Self(out)
	}

	/// The scalar, if the bytes are canonical (below r).
	pub fn to_field(&self) -> Result<Fr, CommitError> {
		Commitment(self.0).to_field()
	}
}

/// `c` blinded by `salt` ([the rule](self)), with the Poseidon work done by `E`.
pub fn salted_with<E: PoseidonEngine>(
	c: Commitment,
	salt: &Salt,
) -> Result<Commitment, CommitError> {
	let s = salt.to_field()?;
	if s.is_zero() {
		return Ok(c);
	}
	let blinded = E::poseidon4(&[c.to_field()?, s, salt_tag(), Fr::zero()])?;
	Ok(Commitment::from_field(blinded))
}

/// [`salted_with`] computed in-process ([`Arkworks`]).
pub fn salted(c: Commitment, salt: &Salt) -> Result<Commitment, CommitError> {
	salted_with::<Arkworks>(c, salt)
}

/// The salted commitment to `values` (row-major) of `shape`.
pub fn commit_salted<V: Copy + Into<i64>>(
	shape: &[u32],
	values: &[V],
	salt: &Salt,
) -> Result<Commitment, CommitError> {
	salted(commit_with::<Arkworks, V>(shape, values)?, salt)
}

/// The salt of a decimal number below r (circom's and snarkjs' notation).
pub fn salt_from_decimal(s: &str) -> Result<Salt, CommitError> {
	Ok(Salt(Commitment::from_decimal(s)?.0))
}
