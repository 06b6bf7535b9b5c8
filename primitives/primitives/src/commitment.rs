//! Commitments to quantized tensors, the same number in Rust, in an arkworks circuit and in a
//! circom circuit.
//!
//! **The rule.** A tensor is a shape `[d_1, …, d_k]` (0 ≤ k ≤ [`MAX_RANK`], every `d_i ≥ 1`) and
//! its `N = d_1·…·d_k` fixed-point integer values in row-major order.
//! 1. Each integer becomes a BN254 scalar: `x ≥ 0` is `x`; `x < 0` is `r − |x|` ([`element`]).
//! 2. The sequence `S = [k, d_1, …, d_k, v_1, …, v_N]` is padded with zeros to a multiple of 3.
//! 3. `acc = 0`; for each three consecutive elements `(a, b, c)` of `S`:
//!    `acc = Poseidon(acc, a, b, c)`, with circomlib's `Poseidon(4)` (BN254, x⁵, 8 full and 60
//!    partial rounds; `veritas_crypto_host::poseidon`).
//! 4. The commitment is the final `acc`, written as 32 big-endian bytes ([`Commitment`]).
//!
//! The shape comes first, so tensors of different shapes (or zero-padded copies) never share a
//! sequence. `scripts/commitments/` checks this rule against a circom circuit built from
//! circomlib's `Poseidon(4)` (`resources/commitment_vectors.json`).

use alloc::{string::String, vec::Vec};
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField, Zero};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use veritas_crypto_host::{wire::Bn254Error, Arkworks, PoseidonEngine};

/// The most dimensions a committed tensor may have.
pub const MAX_RANK: usize = 8;
/// The most values a committed tensor may have.
pub const MAX_ELEMENTS: usize = 1 << 24;
/// How many sequence elements one Poseidon call absorbs (besides the accumulator).
pub const CHUNK: usize = 3;

/// Why a tensor could not be committed to, or bytes are not a commitment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum CommitError {
	/// More than [`MAX_RANK`] dimensions.
	RankTooLarge,
	/// A dimension of size 0.
	EmptyDimension,
	/// More than [`MAX_ELEMENTS`] values.
	TooManyElements,
	/// The number of values is not the product of the shape.
	ShapeMismatch,
	/// 32 bytes that are not a canonical BN254 scalar (≥ r).
	NotCanonical,
	/// The Poseidon engine refused its input (never for scalars this module made).
	Engine,
}

impl From<Bn254Error> for CommitError {
	fn from(_: Bn254Error) -> Self {
		Self::Engine
	}
}

/// A commitment: a BN254 scalar as 32 big-endian bytes (so its hex is the number's hex).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Commitment(pub [u8; 32]);

impl core::fmt::Debug for Commitment {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Commitment(0x")?;
		for b in self.0 {
			write!(f, "{b:02x}")?;
		}
		write!(f, ")")
	}
}

impl Commitment {
	/// The commitment holding `f`.
	pub fn from_field(f: Fr) -> Self {
		let mut out = [0u8; 32];
		out.copy_from_slice(&f.into_bigint().to_bytes_be());
		Self(out)
	}

	/// The scalar, if the bytes are canonical (below r).
	pub fn to_field(&self) -> Result<Fr, CommitError> {
		let f = Fr::from_be_bytes_mod_order(&self.0);
		if Self::from_field(f) == *self {
			Ok(f)
		} else {
			Err(CommitError::NotCanonical)
		}
	}

	/// The number in decimal (circom's and snarkjs' notation), if canonical.
	pub fn to_decimal(&self) -> Result<String, CommitError> {
		Ok(alloc::format!("{}", self.to_field()?.into_bigint()))
	}

	/// Parses a decimal number below r, written without leading zeros (as
	/// [`Commitment::to_decimal`] writes it).
	pub fn from_decimal(s: &str) -> Result<Self, CommitError> {
		use core::str::FromStr;
		// arkworks parses modulo r; the round trip refuses every non-canonical spelling.
		let f = Fr::from_str(s).map_err(|()| CommitError::NotCanonical)?;
		let c = Self::from_field(f);
		if c.to_decimal()? == s {
			Ok(c)
		} else {
			Err(CommitError::NotCanonical)
		}
	}
}

/// The scalar of a fixed-point value: `x` for `x ≥ 0`, `r − |x|` for `x < 0`.
pub fn element(value: i64) -> Fr {
	let magnitude = Fr::from(value.unsigned_abs());
	if value < 0 {
		-magnitude
	} else {
		magnitude
	}
}

/// The number of values a shape holds, checking the shape's limits.
pub fn elements_of(shape: &[u32]) -> Result<usize, CommitError> {
	if shape.len() > MAX_RANK {
		return Err(CommitError::RankTooLarge);
	}
	let mut n: usize = 1;
	for &d in shape {
		if d == 0 {
			return Err(CommitError::EmptyDimension);
		}
		n = n
			.checked_mul(d as usize)
			.filter(|n| *n <= MAX_ELEMENTS)
			.ok_or(CommitError::TooManyElements)?;
	}
	Ok(n)
}

/// How many Poseidon calls committing to a tensor of `rank` dimensions and `n` values takes
/// (what weights are linear in).
pub fn poseidon_calls(rank: usize, n: usize) -> usize {
	(1 + rank + n).div_ceil(CHUNK)
}

/// The commitment to `values` (row-major) of `shape`, with the Poseidon work done by `E`.
pub fn commit_with<E: PoseidonEngine, V: Copy + Into<i64>>(
	shape: &[u32],
	values: &[V],
) -> Result<Commitment, CommitError> {
	if elements_of(shape)? != values.len() {
		return Err(CommitError::ShapeMismatch);
	}
	let header = core::iter::once(shape.len() as u64)
		.chain(shape.iter().map(|&d| u64::from(d)))
		.map(Fr::from);
	let mut sequence = header.chain(values.iter().map(|&v| element(v.into())));
	let mut acc = Fr::zero();
	while let Some(a) = sequence.next() {
		let b = sequence.next().unwrap_or_default();
		let c = sequence.next().unwrap_or_default();
		acc = E::poseidon4(&[acc, a, b, c])?;
	}
	Ok(Commitment::from_field(acc))
}

/// [`commit_with`] computed in-process ([`Arkworks`]).
pub fn commit<V: Copy + Into<i64>>(shape: &[u32], values: &[V]) -> Result<Commitment, CommitError> {
	commit_with::<Arkworks, V>(shape, values)
}

/// The scalars of a commitment sequence, for circuits that recompute it: `S` of the rule,
/// unpadded.
pub fn sequence<V: Copy + Into<i64>>(shape: &[u32], values: &[V]) -> Result<Vec<Fr>, CommitError> {
	if elements_of(shape)? != values.len() {
		return Err(CommitError::ShapeMismatch);
	}
	let mut out = Vec::with_capacity(1 + shape.len() + values.len());
	out.push(Fr::from(shape.len() as u64));
	out.extend(shape.iter().map(|&d| Fr::from(u64::from(d))));
	out.extend(values.iter().map(|&v| element(v.into())));
	Ok(out)
}
