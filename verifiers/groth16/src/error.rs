//! The one error type of this crate, and its classification into "malformed input" and "invalid
//! proof".

use core::fmt;

/// Which part of a statement an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
	/// The verifying key.
	VerifyingKey,
	/// The proof.
	Proof,
	/// The public inputs.
	Inputs,
}

/// Why a verifying key, proof or set of public inputs was refused.
///
/// Every variant but [`Groth16Error::InvalidProof`] means the input is malformed (it was refused
/// before any pairing was computed, or it names a degenerate key): see [`Groth16Error::class`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Groth16Error {
	/// A JSON document does not parse, or lacks or mistypes a field.
	MalformedJson(Part),
	/// A binary encoding is not well formed (bad flag bits, bad length prefix, non-zero padding, or
	/// not the unique canonical encoding of the value it decodes to).
	MalformedBytes(Part),
	/// A binary encoding does not have the length its format requires.
	WrongLength {
		/// The length the format requires: the exact length, or, when the input ended early, the
		/// length needed to read the next field, or the length of the format's plain form.
		expected: usize,
		/// The length that was given.
		actual: usize,
	},
	/// A coordinate of a point is not a canonical element of the base field (it is ≥ q).
	CoordinateNotCanonical(Part),
	/// A point is not on the curve (G1) or on the twist (G2).
	PointNotOnCurve(Part),
	/// A point is on the curve but not in its prime-order subgroup (G2 has a cofactor).
	PointNotInSubgroup(Part),
	/// A point is the identity (point at infinity) where the identity is not allowed.
	IdentityPoint(Part),
	/// A public input is not a canonical scalar: not a plain decimal or hex number, or ≥ r.
	ScalarNotCanonical,
	/// The number of public inputs is not the verifying key's `IC` length minus one.
	WrongInputCount {
		/// The number of inputs the key expects.
		expected: usize,
		/// The number of inputs given.
		actual: usize,
	},
	/// More public inputs (or `IC` entries) than [`crate::MAX_PUBLIC_INPUTS`].
	TooManyInputs,
	/// The verifying key is degenerate (γ = δ, or δ is the G2 generator): proofs could be forged.
	DegenerateKey,
	/// The document names another protocol or curve than Groth16 over BN254.
	UnsupportedProtocol,
	/// A gnark key or proof uses Pedersen commitments (BSB22), which this verifier does not check.
	UnsupportedCommitments,
	/// A batch is empty or larger than [`crate::MAX_BATCH_SIZE`].
	BadBatchSize,
	/// The statement is well formed, but the proof does not verify.
	InvalidProof,
}

/// The two kinds of failure a verifying command reports with different exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
	/// The input could not be decoded or validated (CLI exit code 2).
	Malformed,
	/// The input is well formed but the proof is wrong (CLI exit code 1).
	Invalid,
}

impl Groth16Error {
	/// Whether this error means malformed input or an invalid proof.
	pub const fn class(&self) -> ErrorClass {
		match self {
			Self::InvalidProof => ErrorClass::Invalid,
			_ => ErrorClass::Malformed,
		}
	}

	/// The exit code of a verifying command that fails with this error (1 invalid, 2 malformed).
	pub const fn exit_code(&self) -> u8 {
		match self.class() {
			ErrorClass::Invalid => 1,
			ErrorClass::Malformed => 2,
		}
	}
}

impl fmt::Display for Part {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			Self::VerifyingKey => "verifying key",
			Self::Proof => "proof",
			Self::Inputs => "public inputs",
		})
	}
}

impl fmt::Display for Groth16Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::MalformedJson(p) => write!(f, "malformed JSON ({p})"),
			Self::MalformedBytes(p) => write!(f, "malformed bytes ({p})"),
			Self::WrongLength { expected, actual } => {
				write!(f, "wrong length: expected {expected} bytes, got {actual}")
			},
			Self::CoordinateNotCanonical(p) => write!(f, "coordinate not below q ({p})"),
			Self::PointNotOnCurve(p) => write!(f, "point not on the curve ({p})"),
			Self::PointNotInSubgroup(p) => write!(f, "point not in the prime-order subgroup ({p})"),
			Self::IdentityPoint(p) => write!(f, "identity point not allowed ({p})"),
			Self::ScalarNotCanonical => f.write_str("public input is not a canonical scalar (< r)"),
			Self::WrongInputCount { expected, actual } => {
				write!(f, "wrong number of public inputs: expected {expected}, got {actual}")
			},
			Self::TooManyInputs => f.write_str("too many public inputs"),
			Self::DegenerateKey => {
				f.write_str("degenerate verifying key (gamma = delta or delta = G2 generator)")
			},
			Self::UnsupportedProtocol => f.write_str("unsupported protocol or curve"),
			Self::UnsupportedCommitments => {
				f.write_str("gnark Pedersen commitments (BSB22) are not supported")
			},
			Self::BadBatchSize => f.write_str("batch is empty or too large"),
			Self::InvalidProof => f.write_str("proof does not verify"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Groth16Error {}
