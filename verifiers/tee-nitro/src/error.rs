//! The one error type of this crate, with a variant per failed check.

use core::fmt;

/// Where in the certificate path a certificate sits; named in chain errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertRole {
	/// The document's `certificate`, whose key signs the document.
	Leaf,
	/// `cabundle[i]` for `i > 0`: an intermediate CA.
	Intermediate(u8),
	/// `cabundle[0]`: the root copy, which must be one of the trusted roots.
	Root,
}

impl fmt::Display for CertRole {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Leaf => f.write_str("leaf certificate"),
			Self::Intermediate(i) => write!(f, "cabundle[{i}]"),
			Self::Root => f.write_str("root certificate (cabundle[0])"),
		}
	}
}

/// Whether an error means "this is not an attestation document" or "this document is not valid".
///
/// The CLI maps [`ErrorClass::Malformed`] to exit code 2 and [`ErrorClass::Invalid`] to exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
	/// The input does not have the shape AWS specifies (bad CBOR, COSE, field, DER, size).
	Malformed,
	/// The input is well-formed, but a signature, the chain, a time or a policy check failed.
	Invalid,
}

/// Why an attestation document was rejected. Each variant names one failed check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NitroError {
	/// The bytes are not well-formed CBOR of the expected type (or have trailing bytes).
	MalformedCbor,
	/// The CBOR is not a `COSE_Sign1` as AWS produces it (structure, tag, headers).
	MalformedCose,
	/// The protected header names an algorithm other than ES384 (-35).
	UnsupportedAlgorithm,
	/// A required payload field is absent.
	MissingField(&'static str),
	/// A payload field appears twice.
	DuplicateField(&'static str),
	/// The payload has a key that the AWS specification does not define.
	UnknownField,
	/// A field (or the whole document) is larger than this crate's limit.
	FieldTooLarge(&'static str),
	/// A field has the wrong type or a value outside what AWS specifies.
	InvalidField(&'static str),
	/// The `digest` field is not `"SHA384"`.
	UnsupportedDigest,
	/// A PCR value's length is not the document's digest length (48 bytes for SHA384): AWS's
	/// format allows 32, 48 or 64 bytes, but the NSM only ever reports the digest's length.
	PcrLength {
		/// The PCR's index.
		index: u8,
		/// Its length in bytes.
		len: u8,
	},
	/// A certificate is not valid DER X.509.
	CertificateParse(CertRole),
	/// A certificate uses a signature algorithm or key type other than ECDSA P-384 / SHA-384.
	UnsupportedCertificateAlgorithm(CertRole),
	/// A certificate's public key is not a valid P-384 point.
	InvalidPublicKey(CertRole),
	/// The COSE signature does not verify under the leaf certificate's key.
	BadSignature,
	/// A certificate is not issued (by name or by signature) by the next one in the path.
	ChainBroken(CertRole),
	/// The verification time is after a certificate's `notAfter`.
	CertificateExpired(CertRole),
	/// The verification time is before a certificate's `notBefore`.
	CertificateNotYetValid(CertRole),
	/// `cabundle[0]` is not one of the trusted roots.
	UntrustedRoot,
	/// A certificate above the leaf lacks basicConstraints CA:TRUE (critical), or the leaf is a CA.
	NotACa(CertRole),
	/// A CA's pathLenConstraint is smaller than the number of CAs below it.
	PathLenExceeded(CertRole),
	/// keyUsage lacks keyCertSign (CA) or digitalSignature (leaf).
	KeyUsage(CertRole),
	/// A certificate has an extension twice, or a critical extension this verifier does not know.
	BadExtension(CertRole),
	/// A PCR the policy requires is absent from the document.
	PcrMissing(u8),
	/// A PCR differs from the expected measurement.
	PcrMismatch(u8),
	/// PCR0, PCR1 and PCR2 are all zero: the enclave runs in debug mode.
	DebugEnclave,
}

impl NitroError {
	/// Classifies the error as malformed input (exit 2) or a failed verification (exit 1).
	pub const fn class(&self) -> ErrorClass {
		match self {
			Self::MalformedCbor
			| Self::MalformedCose
			| Self::UnsupportedAlgorithm
			| Self::MissingField(_)
			| Self::DuplicateField(_)
			| Self::UnknownField
			| Self::FieldTooLarge(_)
			| Self::InvalidField(_)
			| Self::UnsupportedDigest
			| Self::PcrLength { .. }
			| Self::CertificateParse(_) => ErrorClass::Malformed,
			Self::UnsupportedCertificateAlgorithm(_)
			| Self::InvalidPublicKey(_)
			| Self::BadSignature
			| Self::ChainBroken(_)
			| Self::CertificateExpired(_)
			| Self::CertificateNotYetValid(_)
			| Self::UntrustedRoot
			| Self::NotACa(_)
			| Self::PathLenExceeded(_)
			| Self::KeyUsage(_)
			| Self::BadExtension(_)
			| Self::PcrMissing(_)
			| Self::PcrMismatch(_)
			| Self::DebugEnclave => ErrorClass::Invalid,
		}
	}

	/// The exit code of `veritas nitro verify` for this error: 2 if malformed, 1 if invalid.
	pub const fn exit_code(&self) -> u8 {
		match self.class() {
			ErrorClass::Malformed => 2,
			ErrorClass::Invalid => 1,
		}
	}
}

impl fmt::Display for NitroError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::MalformedCbor => f.write_str("malformed CBOR"),
			Self::MalformedCose => f.write_str("not a COSE_Sign1 attestation document"),
			Self::UnsupportedAlgorithm => f.write_str("COSE algorithm is not ES384"),
			Self::MissingField(n) => write!(f, "missing field `{n}`"),
			Self::DuplicateField(n) => write!(f, "duplicate field `{n}`"),
			Self::UnknownField => f.write_str("unknown payload field"),
			Self::FieldTooLarge(n) => write!(f, "`{n}` is larger than the limit"),
			Self::InvalidField(n) => write!(f, "invalid field `{n}`"),
			Self::UnsupportedDigest => f.write_str("digest is not SHA384"),
			Self::PcrLength { index, len } => {
				write!(f, "PCR{index} is {len} bytes, not the length of the document's digest")
			},
			Self::CertificateParse(r) => write!(f, "{r}: not a DER X.509 certificate"),
			Self::UnsupportedCertificateAlgorithm(r) => {
				write!(f, "{r}: not ECDSA P-384 with SHA-384")
			},
			Self::InvalidPublicKey(r) => write!(f, "{r}: invalid P-384 public key"),
			Self::BadSignature => f.write_str("COSE signature does not verify"),
			Self::ChainBroken(r) => write!(f, "{r}: not issued by the next certificate"),
			Self::CertificateExpired(r) => write!(f, "{r}: expired at the verification time"),
			Self::CertificateNotYetValid(r) => {
				write!(f, "{r}: not yet valid at the verification time")
			},
			Self::UntrustedRoot => f.write_str("root certificate is not trusted"),
			Self::NotACa(r) => write!(f, "{r}: basicConstraints wrong for its place in the chain"),
			Self::PathLenExceeded(r) => write!(f, "{r}: pathLenConstraint exceeded"),
			Self::KeyUsage(r) => write!(f, "{r}: keyUsage does not allow this use"),
			Self::BadExtension(r) => write!(f, "{r}: duplicate or unknown critical extension"),
			Self::PcrMissing(i) => write!(f, "PCR{i} missing"),
			Self::PcrMismatch(i) => write!(f, "PCR{i} does not match the expected measurement"),
			Self::DebugEnclave => f.write_str("debug-mode enclave (PCR0..2 all zero)"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for NitroError {}

impl From<minicbor::decode::Error> for NitroError {
	fn from(_: minicbor::decode::Error) -> Self {
		Self::MalformedCbor
	}
}
